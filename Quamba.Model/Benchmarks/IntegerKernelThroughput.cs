using System.Diagnostics;
using Quamba.Model.Backends.Cpu.Integer;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Benchmarks;

/// <summary>One throughput measurement of an integer kernel.</summary>
/// <param name="Kernel">e.g. "int8 GEMV".</param>
/// <param name="Path">The SIMD path that ran.</param>
/// <param name="Shape">M x N x K.</param>
/// <param name="Threads">1 (serial) or the machine's core count (Parallel.For over output-row blocks).</param>
/// <param name="MeanMilliseconds">Mean time of one call over the repetitions (batch means).</param>
/// <param name="StdDevMilliseconds">Standard deviation of the batch means.</param>
/// <param name="MedianMilliseconds">Median of the batch means.</param>
/// <param name="BestMilliseconds">Fastest batch mean: on a shared machine the least disturbed estimate.</param>
/// <param name="WeightBytes">Weight bytes one call reads (the bound for GEMV).</param>
/// <param name="Operations">2 M N K.</param>
public sealed record KernelThroughput(string Kernel, string Path, string Shape, int Threads, double MeanMilliseconds, double StdDevMilliseconds,
    double MedianMilliseconds, double BestMilliseconds, long WeightBytes, double Operations)
{
    /// <summary>Weight GB/s at the median time.</summary>
    public double MedianGigabytesPerSecond => WeightBytes / MedianMilliseconds / 1e6;
    public double BestGigabytesPerSecond => WeightBytes / BestMilliseconds / 1e6;
    public double MedianGigaOpsPerSecond => Operations / MedianMilliseconds / 1e6;
    public double BestGigaOpsPerSecond => Operations / BestMilliseconds / 1e6;

    public static string Header =>
        $"| kernel | path | M x N x K | threads | mean ms | std ms | median ms | best ms | GB/s (median / best) | GOP/s (median / best) |\n|---|---|---|---|---|---|---|---|---|---|";

    public override string ToString() =>
        $"| {Kernel} | {Path} | {Shape} | {Threads} | {MeanMilliseconds:F3} | {StdDevMilliseconds:F3} | {MedianMilliseconds:F3} | {BestMilliseconds:F3} | " +
        $"{MedianGigabytesPerSecond:F1} / {BestGigabytesPerSecond:F1} | {MedianGigaOpsPerSecond:F0} / {BestGigaOpsPerSecond:F0} |";
}

/// <summary>
/// Measures the CPU integer kernels (int8 GEMV/GEMM, W4A8, W4A16) on every SIMD path this CPU has, with random
/// operands (speed does not depend on values). Protocol: warm-up calls, then <c>repetitions</c> timed batches of
/// calls (~50 ms each); mean, standard deviation, median and best of the per-batch means.
/// </summary>
public static class IntegerKernelThroughput
{
    internal static readonly IntegerKernelPath[] Int8Paths =
        [IntegerKernelPath.AvxVnni, IntegerKernelPath.Avx512, IntegerKernelPath.Avx2, IntegerKernelPath.Portable];

    internal static readonly IntegerKernelPath[] W4A16Paths =
        [IntegerKernelPath.Avx512, IntegerKernelPath.Avx2, IntegerKernelPath.Portable];

    /// <param name="n">Output width N.</param>
    /// <param name="k">Inner width K.</param>
    /// <param name="gemmRows">M of the GEMM measurements (GEMV is M = 1).</param>
    /// <param name="singleThread">Run every kernel on the calling thread only (one core).</param>
    public static IReadOnlyList<KernelThroughput> Measure(int n = 4096, int k = 4096, int gemmRows = 128, int repetitions = 15, bool singleThread = false)
    {
        using var serial = singleThread ? RowBlockScheduler.SerialScope() : null;
        var rng = new Random(1);
        var w8 = new sbyte[(long)n * k];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w8.AsSpan()));
        var weights = new Int8GemmWeights(w8, n, k);
        var packed = new byte[(long)n * Int4Packing.BytesPerRow(k)];
        rng.NextBytes(packed);
        var scales = Enumerable.Range(0, n * ((k + 127) / 128)).Select(_ => 0.01f).ToArray();
        var w4 = new QuantizedInt4Matrix(n, k, 128, packed, scales);
        var a8 = new sbyte[(long)gemmRows * k];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a8.AsSpan()));
        var a32 = Enumerable.Range(0, gemmRows * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var c32 = new int[(long)gemmRows * n];
        var cf = new float[(long)gemmRows * n];

        int threads = singleThread ? 1 : Environment.ProcessorCount;
        var results = new List<KernelThroughput>();
        foreach (var path in Int8Paths.Where(IntegerKernelPaths.IsSupported))
        {
            results.Add(Time("int8 GEMV", path, 1, n, k, w8.Length, repetitions, threads,
                () => Int8MatrixMultiply.Multiply(a8.AsSpan(0, k), 1, weights, c32.AsSpan(0, n), path)));
            results.Add(Time("int8 GEMM", path, gemmRows, n, k, w8.Length, repetitions, threads,
                () => Int8MatrixMultiply.Multiply(a8, gemmRows, weights, c32, path)));
        }
        foreach (var path in Int8Paths.Where(IntegerKernelPaths.IsSupported))
            results.Add(Time("W4A8 GEMV", path, 1, n, k, packed.Length, repetitions, threads,
                () => Int4MatrixMultiply.MultiplyW4A8(a8.AsSpan(0, k), 1, 0.01f, w4, cf.AsSpan(0, n), path)));
        foreach (var path in W4A16Paths.Where(IntegerKernelPaths.IsSupported))
            results.Add(Time("W4A16 GEMV", path, 1, n, k, packed.Length, repetitions, threads,
                () => Int4MatrixMultiply.MultiplyW4A16(a32.AsSpan(0, k), 1, w4, cf.AsSpan(0, n), path)));
        return results;
    }

    private static KernelThroughput Time(string kernel, IntegerKernelPath path, int m, int n, int k, long weightBytes, int repetitions, int threads, Action call)
    {
        for (int i = 0; i < 3; i++) call(); // warm-up: JIT tiers and first touch of the operands
        // Calls per batch: enough for ~50 ms, judged from one timed call.
        var probe = Stopwatch.StartNew();
        call();
        int calls = (int)Math.Clamp(0.05 / Math.Max(probe.Elapsed.TotalSeconds, 1e-6), 1, 10_000);
        var means = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) call();
            means[r] = sw.Elapsed.TotalMilliseconds / calls;
        }
        double mean = means.Average();
        double std = Math.Sqrt(means.Sum(t => (t - mean) * (t - mean)) / Math.Max(1, repetitions - 1));
        var sorted = means.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new KernelThroughput(kernel, path.ToString(), $"{m} x {n} x {k}", threads, mean, std, median, sorted[0], weightBytes, 2.0 * m * n * k);
    }
}
