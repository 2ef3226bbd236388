using Quamba.Model.Benchmarks;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Tests.Checkpoints;

namespace Quamba.Tests.Model;

/// <summary>
/// Prints the CPU throughput table of docs/cpu-performance.md. Explicit: run it on purpose, on an otherwise idle
/// machine: dotnet test Quamba.Tests -c Release --filter "FullyQualifiedName~CpuThroughputReport" -- xUnit.Explicit=only
/// </summary>
public sealed class CpuThroughputReport
{
    [Fact(Explicit = true)]
    public void PrintTable()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var ct = TestContext.Current.CancellationToken;
        output.WriteLine(CpuThroughput.ProcessorName());
        output.WriteLine(CpuThroughputResult.MarkdownHeader);
        using var temp = new TempDirectory();
        var models = new List<(string Name, string Directory)>
        {
            ("mamba1-tiny", TestModels.Directory("mamba1-tiny")),
            ("mamba2-tiny", TestModels.Directory("mamba2-tiny")),
        };
        foreach (string shape in new[] { "mamba-130m", "mamba2-130m" })
        {
            string dir = Path.Combine(temp.Path, shape);
            RandomCheckpoint.Write(shape.StartsWith("mamba2", StringComparison.Ordinal) ? "mamba2" : "mamba1", shape, dir, seed: 0, SafetensorsDType.F32, cancellationToken: ct);
            models.Add(($"{shape} (random)", dir));
        }
        foreach (var (name, dir) in models)
        {
            using var model = MambaModel.Load(dir);
            foreach (int threads in new[] { Environment.ProcessorCount, 1 })
            {
                model.MaxDegreeOfParallelism = threads;
                foreach (int batch in new[] { 1, 4 })
                {
                    var r = CpuThroughput.Measure(model, name, promptLength: 512, decodeTokens: 64, batchSize: batch, repetitions: 5, cancellationToken: ct);
                    output.WriteLine(r.ToMarkdownRow());
                }
            }
        }
    }
}
