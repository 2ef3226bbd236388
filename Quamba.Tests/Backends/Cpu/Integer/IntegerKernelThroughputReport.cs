using Quamba.Model.Benchmarks;

namespace Quamba.Tests.Backends.Cpu.Integer;

/// <summary>
/// Prints the integer kernels' throughput (not a pass/fail speed test: speed claims come from measurements).
/// Run: dotnet test Quamba.Tests -c Release --filter "FullyQualifiedName~IntegerKernelThroughputReport" -- xUnit.Explicit=only
/// (or: dotnet run --project Quamba.Tests -c Release -- -method "*IntegerKernelThroughputReport*" -explicit only)
/// </summary>
public class IntegerKernelThroughputReport(ITestOutputHelper output)
{
    [Fact(Explicit = true)]
    public void PrintThroughput()
    {
        output.WriteLine($"{Environment.ProcessorCount} logical cores; Auto path: int8 {Quamba.Model.Backends.Cpu.Integer.Int8MatrixMultiply.SelectedPath}, " +
            $"W4A8 {Quamba.Model.Backends.Cpu.Integer.Int4MatrixMultiply.SelectedW4A8Path}, W4A16 {Quamba.Model.Backends.Cpu.Integer.Int4MatrixMultiply.SelectedW4A16Path}");
        output.WriteLine(KernelThroughput.Header);
        foreach (bool single in new[] { true, false })
            foreach (var r in IntegerKernelThroughput.Measure(singleThread: single)) output.WriteLine(r.ToString());
    }
}
