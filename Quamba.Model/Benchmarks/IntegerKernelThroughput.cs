using System.Diagnostics;
using Quamba.Model.Backends.Cpu.Integer;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Benchmarks;

/// <summary>One throughput measurement of an integer kernel.</summary>
/// <param name="Kernel">e.g. "int8 GEMV".</param>
/// <param name="Path">The SIMD path that ran.</param>
/// <param name="Shape">M x N x K.</param>
/// <param name="MeanMilliseconds">Mean time of one call over the repetitions.</param>
/// <param name="StdDevMilliseconds">Standard deviation of the per-repetition means.</param>
/// <param name="WeightGigabytesPerSecond">Weight bytes read per second (the bound for GEMV).</param>
/// <param name="GigaOpsPerSecond">2 M N K operations per second.</param>
public sealed record KernelThroughput(string Kernel, string Path, string Shape, double MeanMilliseconds, double StdDevMilliseconds,
    double WeightGigabytesPerSecond, double GigaOpsPerSecond)
{
    public override string ToString() =>
        $"{Kernel,-12} {Path,-9} {Shape,-18} {MeanMilliseconds,9:F3} ms +- {StdDevMilliseconds,7:F3}  {WeightGigabytesPerSecond,7:F2} GB/s  {GigaOpsPerSecond,8:F1} GOP/s";
}

/// <summary>
/// Measures the CPU integer kernels (int8 GEMV/GEMM, W4A8, W4A16) on every SIMD path this CPU has, with random
/// operands (speed does not depend on values). Protocol: one warm-up call, then <c>repetitions</c> timed batches
/// of calls; mean and standard deviation of the per-batch means.
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
    public static IReadOnlyList<KernelThroughput> Measure(int n = 4096, int k = 4096, int gemmRows = 128, int repetitions = 5)
    {
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

        var results = new List<KernelThroughput>();
        foreach (var path in Int8Paths.Where(IntegerKernelPaths.IsSupported))
        {
            results.Add(Time("int8 GEMV", path, 1, n, k, w8.Length, repetitions,
                () => Int8MatrixMultiply.Multiply(a8.AsSpan(0, k), 1, weights, c32.AsSpan(0, n), path)));
            results.Add(Time("int8 GEMM", path, gemmRows, n, k, w8.Length, repetitions,
                () => Int8MatrixMultiply.Multiply(a8, gemmRows, weights, c32, path)));
        }
        foreach (var path in Int8Paths.Where(IntegerKernelPaths.IsSupported))
            results.Add(Time("W4A8 GEMV", path, 1, n, k, packed.Length, repetitions,
                () => Int4MatrixMultiply.MultiplyW4A8(a8.AsSpan(0, k), 1, 0.01f, w4, cf.AsSpan(0, n), path)));
        foreach (var path in W4A16Paths.Where(IntegerKernelPaths.IsSupported))
            results.Add(Time("W4A16 GEMV", path, 1, n, k, packed.Length, repetitions,
                () => Int4MatrixMultiply.MultiplyW4A16(a32.AsSpan(0, k), 1, w4, cf.AsSpan(0, n), path)));
        return results;
    }

    private static KernelThroughput Time(string kernel, IntegerKernelPath path, int m, int n, int k, long weightBytes, int repetitions, Action call)
    {
        call(); // warm-up: JIT (tier-up happens as the batches run) and first touch of the weights
        // Calls per batch: enough for ~200 ms, judged from one timed call.
        var probe = Stopwatch.StartNew();
        call();
        int calls = (int)Math.Clamp(0.2 / Math.Max(probe.Elapsed.TotalSeconds, 1e-6), 1, 10_000);
        var means = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) call();
            means[r] = sw.Elapsed.TotalSeconds / calls;
        }
        double mean = means.Average();
        double std = Math.Sqrt(means.Sum(t => (t - mean) * (t - mean)) / Math.Max(1, repetitions - 1));
        return new KernelThroughput(kernel, path.ToString(), $"{m} x {n} x {k}", mean * 1e3, std * 1e3,
            weightBytes / mean / 1e9, 2.0 * m * n * k / mean / 1e9);
    }
}
