using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Quamba.Benchmarks;

/// <summary>Marks a benchmark with the number of text bytes (UTF-8) one invocation processes.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesPerOperationAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}

/// <summary>A "MB/s" column: the bytes a benchmark processes (see <see cref="BytesPerOperationAttribute"/>,
/// looked up in <see cref="Sizes"/>) divided by its mean time; 1 MB = 10^6 bytes.</summary>
public sealed class ThroughputColumn : IColumn
{
    /// <summary>Byte counts by key; the benchmark class sets it in its static constructor.</summary>
    public static Func<string, long>? Sizes { get; set; }

    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Throughput in 10^6 bytes of UTF-8 text per second (input text for encode, output text for decode)";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var attr = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttributes(typeof(BytesPerOperationAttribute), false)
            .OfType<BytesPerOperationAttribute>().FirstOrDefault();
        // The column runs in the host process, where the benchmark class may never have been touched: run its
        // static constructor, which registers the sizes.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(benchmarkCase.Descriptor.Type.TypeHandle);
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (attr is null || stats is null || Sizes is null)
            return "-";
        double seconds = stats.Mean / 1e9;
        return (Sizes(attr.Key) / seconds / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
