using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Quamba.Model.Backends.Cpu.Integer;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Benchmarks;

/// <summary>
/// The CPU integer kernels on a 4096 x 4096 weight (random values: speed does not depend on them):
/// int8 GEMV (M = 1) and GEMM (M = 128), W4A8 GEMV, on each SIMD path, one thread or all cores.
/// W4A16 lives in <see cref="W4A16KernelBenchmarks"/> (it has no VNNI path).
/// </summary>
[Config(typeof(IntegerKernelConfig))]
public class IntegerKernelBenchmarks
{
    internal const int N = 4096, K = 4096, GemmRows = 128;

    [Params("AvxVnni", "Avx512", "Avx2", "Portable")]
    public string Path { get; set; } = "";

    /// <summary>1: the calling thread only; 0: Parallel.For over all cores (the default behaviour).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    private IntegerKernelPath _path;
    private Int8GemmWeights _w8 = null!;
    private QuantizedInt4Matrix _w4 = null!;
    private sbyte[] _a = [];
    private int[] _c = [];
    private float[] _cf = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Enum.Parse<IntegerKernelPath>(Path);
        if (!IntegerKernelPaths.IsSupported(_path))
            throw new PlatformNotSupportedException($"This CPU lacks the {Path} path; filter it out with --filter.");
        var rng = new Random(1);
        var w8 = new sbyte[N * K];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w8.AsSpan()));
        _w8 = new Int8GemmWeights(w8, N, K);
        _w4 = RandomInt4(rng);
        _a = new sbyte[GemmRows * K];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_a.AsSpan()));
        _c = new int[GemmRows * N];
        _cf = new float[N];
    }

    internal static QuantizedInt4Matrix RandomInt4(Random rng)
    {
        var packed = new byte[N * K / 2];
        rng.NextBytes(packed);
        return new QuantizedInt4Matrix(N, K, 128, packed, Enumerable.Repeat(0.01f, N * (K / 128)).ToArray());
    }

    [Benchmark(Description = "int8 GEMV 1x4096x4096")]
    public void Int8Gemv()
    {
        using var serial = Threads == 1 ? RowBlockScheduler.SerialScope() : null;
        Int8MatrixMultiply.Multiply(_a.AsSpan(0, K), 1, _w8, _c.AsSpan(0, N), _path);
    }

    [Benchmark(Description = "int8 GEMM 128x4096x4096")]
    public void Int8Gemm()
    {
        using var serial = Threads == 1 ? RowBlockScheduler.SerialScope() : null;
        Int8MatrixMultiply.Multiply(_a, GemmRows, _w8, _c, _path);
    }

    [Benchmark(Description = "W4A8 GEMV 1x4096x4096")]
    public void W4A8Gemv()
    {
        using var serial = Threads == 1 ? RowBlockScheduler.SerialScope() : null;
        Int4MatrixMultiply.MultiplyW4A8(_a.AsSpan(0, K), 1, 0.01f, _w4, _cf, _path);
    }
}

/// <summary>W4A16 GEMV (float activations, 4-bit weights dequantised on the fly) on each path that has it.</summary>
[Config(typeof(IntegerKernelConfig))]
public class W4A16KernelBenchmarks
{
    private const int N = IntegerKernelBenchmarks.N, K = IntegerKernelBenchmarks.K;

    [Params("Avx512", "Avx2", "Portable")]
    public string Path { get; set; } = "";

    [Params(1, 0)]
    public int Threads { get; set; }

    private IntegerKernelPath _path;
    private QuantizedInt4Matrix _w4 = null!;
    private float[] _a = [];
    private float[] _c = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Enum.Parse<IntegerKernelPath>(Path);
        if (!IntegerKernelPaths.IsSupported(_path))
            throw new PlatformNotSupportedException($"This CPU lacks the {Path} path; filter it out with --filter.");
        var rng = new Random(2);
        _w4 = IntegerKernelBenchmarks.RandomInt4(rng);
        _a = Enumerable.Range(0, K).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        _c = new float[N];
    }

    [Benchmark(Description = "W4A16 GEMV 1x4096x4096")]
    public void W4A16Gemv()
    {
        using var serial = Threads == 1 ? RowBlockScheduler.SerialScope() : null;
        Int4MatrixMultiply.MultiplyW4A16(_a, 1, _w4, _c, _path);
    }
}

/// <summary>Adds the weight GB/s and GOP/s columns (per-invocation sizes by benchmark method) and the median.</summary>
internal sealed class IntegerKernelConfig : ManualConfig
{
    private const double Int8Weights = (double)IntegerKernelBenchmarks.N * IntegerKernelBenchmarks.K;
    private const double Int4Weights = Int8Weights / 2 + IntegerKernelBenchmarks.N * (IntegerKernelBenchmarks.K / 128) * 4.0; // codes + scales

    public IntegerKernelConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new KernelRateColumn("weight GB/s", "Weight bytes read per second at the median time (codes + scales), 10^9 B/s", c => Bytes(c)));
        AddColumn(new KernelRateColumn("GOP/s", "2 M N K integer (or float) operations per second at the median time, 10^9/s", c => Operations(c)));
    }

    private static double? Bytes(BenchmarkCase c) => c.Descriptor.WorkloadMethod.Name switch
    {
        nameof(IntegerKernelBenchmarks.Int8Gemv) or nameof(IntegerKernelBenchmarks.Int8Gemm) => Int8Weights,
        nameof(IntegerKernelBenchmarks.W4A8Gemv) or nameof(W4A16KernelBenchmarks.W4A16Gemv) => Int4Weights,
        _ => null,
    };

    private static double? Operations(BenchmarkCase c) =>
        2.0 * IntegerKernelBenchmarks.N * IntegerKernelBenchmarks.K * (c.Descriptor.WorkloadMethod.Name == nameof(IntegerKernelBenchmarks.Int8Gemm) ? IntegerKernelBenchmarks.GemmRows : 1);
}
