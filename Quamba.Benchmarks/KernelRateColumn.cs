using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Quamba.Benchmarks;

/// <summary>
/// A rate column for the integer kernel benchmarks: a per-invocation quantity (weight bytes, or 2 M N K
/// operations) divided by the median time, in units of 10^9 per second. Median, not mean: the development
/// machine is shared, and the median is the statistic least moved by other processes' bursts.
/// </summary>
public sealed class KernelRateColumn(string columnName, string legend, Func<BenchmarkCase, double?> perInvocation) : IColumn
{
    public string Id => $"{nameof(KernelRateColumn)}.{columnName}";
    public string ColumnName => columnName;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        double? quantity = perInvocation(benchmarkCase);
        if (stats is null || quantity is null) return "-";
        double seconds = stats.Median / 1e9;
        return (quantity.Value / seconds / 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
