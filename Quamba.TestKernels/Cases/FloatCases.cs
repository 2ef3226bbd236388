using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class FloatSemanticsCase : KernelCase
{
    private readonly float[] _x;
    private readonly float[] _y;

    public FloatSemanticsCase()
    {
        var special = CaseInputs.SpecialFloats;
        _x = special.Concat(special).Concat(CaseInputs.Floats(30, 100, -1e6f, 1e6f)).ToArray();
        _y = special.Concat(special.Reverse()).Concat(CaseInputs.Floats(31, 100, -1e6f, 1e6f)).ToArray();
    }

    public override string Name => "FloatSemantics";
    public override string Kernel => "FloatKernels.FloatSemantics";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _x.Length;
        var arithmetic = new float[n * 4];
        var flags = new int[n];
        var conversions = new int[n * 4];
        var wide = new long[n * 2];
        for (int i = 0; i < n; i++)
        {
            float a = _x[i], b = _y[i];
            arithmetic[i * 4 + 0] = a + b * 3f;
            arithmetic[i * 4 + 1] = a / b;
            arithmetic[i * 4 + 2] = -a - b;
            arithmetic[i * 4 + 3] = i * 0.25f + (float)(uint)i;
            flags[i] = (a == b ? 1 : 0) | (a != b ? 2 : 0) | (a < b ? 4 : 0) | (a >= b ? 8 : 0) | (float.IsNaN(a) ? 16 : 0) | (!(a <= b) ? 32 : 0);
            conversions[i * 4 + 0] = (int)a;
            conversions[i * 4 + 1] = (int)(uint)b;
            conversions[i * 4 + 2] = (sbyte)a;
            conversions[i * 4 + 3] = (int)(long)(a * 1000f);
            wide[i * 2 + 0] = (long)a;
            wide[i * 2 + 1] = unchecked((long)(ulong)b);
        }
        return [CaseOutput.Of("arithmetic", arithmetic), CaseOutput.Of("flags", flags), CaseOutput.Of("conversions", conversions), CaseOutput.Of("wide", wide)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int n = _x.Length;
        var x = r.Upload<float>(_x); var y = r.Upload<float>(_y);
        var arithmetic = r.Allocate<float>(n * 4); var flags = r.Allocate<int>(n); var conversions = r.Allocate<int>(n * 4); var wide = r.Allocate<long>(n * 2);
        r.Launch(CaseInputs.Linear(n, 64),
            c => FloatKernels.FloatSemanticsKernel.Emulate(c, x, y, arithmetic, flags, conversions, wide),
            (s, c) => FloatKernels.FloatSemanticsKernel.Launch(s, c, x, y, arithmetic, flags, conversions, wide));
        return [CaseOutput.Of("arithmetic", r.Download(arithmetic)), CaseOutput.Of("flags", r.Download(flags)), CaseOutput.Of("conversions", r.Download(conversions)), CaseOutput.Of("wide", r.Download(wide))];
    }
}

public sealed class ExactMathCase : KernelCase
{
    // No +0/-0 neighbours: MathF.Max(-0, +0) is +0 in .NET but PTX max may return either zero.
    private readonly float[] _x = new[] { 2.5f, -2.5f, 0.5f, 1.5f, -1.5f, float.NaN, 3.7f, -3.7f, 1e20f, -7f, float.PositiveInfinity, 0.25f }
        .Concat(CaseInputs.Floats(32, 100, -50, 50)).ToArray();

    public override string Name => "ExactMath";
    public override string Kernel => "FloatKernels.ExactMath";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _x.Length;
        var results = new float[n * 10];
        for (int i = 0; i < n; i++)
        {
            float a = _x[i], b = _x[(i + 1) % n];
            int k = i * 10;
            results[k + 0] = MathF.Sqrt(MathF.Abs(a));
            results[k + 1] = MathF.Floor(a);
            results[k + 2] = MathF.Ceiling(a);
            results[k + 3] = MathF.Round(a);
            results[k + 4] = MathF.Truncate(a);
            results[k + 5] = MathF.Max(a, b);
            results[k + 6] = MathF.Min(a, b);
            results[k + 7] = MathF.CopySign(a, b);
            results[k + 8] = MathF.FusedMultiplyAdd(a, b, 1f);
            results[k + 9] = Math.Clamp(a, -2f, 2f);
        }
        return [CaseOutput.Of("results", results)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<float>(_x);
        var results = r.Allocate<float>(_x.Length * 10);
        r.Launch(CaseInputs.Linear(_x.Length, 64), c => FloatKernels.ExactMathKernel.Emulate(c, x, results), (s, c) => FloatKernels.ExactMathKernel.Launch(s, c, x, results));
        return [CaseOutput.Of("results", r.Download(results))];
    }
}

public sealed class DoubleSemanticsCase : KernelCase
{
    private readonly double[] _x = new[] { 2.5, -2.5, 1e300, -1e-300, 123456789.123, double.NaN, -0.5 }
        .Concat(CaseInputs.Floats(33, 80, -1e5f, 1e5f).Select(f => f * 1.000000123)).ToArray();
    private readonly float[] _f;

    public DoubleSemanticsCase() => _f = CaseInputs.Floats(34, _x.Length, -100, 100);

    public override string Name => "DoubleSemantics";
    public override string Kernel => "FloatKernels.DoubleSemantics";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _x.Length;
        var results = new double[n * 4];
        var narrowed = new float[n];
        var integers = new long[n];
        for (int i = 0; i < n; i++)
        {
            double a = _x[i];
            double promoted = _f[i];
            results[i * 4 + 0] = a * promoted + 1.0 / 3.0;
            results[i * 4 + 1] = Math.Sqrt(Math.Abs(a)) - Math.Floor(a);
            results[i * 4 + 2] = Math.Max(a, promoted) + Math.FusedMultiplyAdd(a, 2.0, -promoted);
            results[i * 4 + 3] = i / 7.0 + (double)(long)i;
            narrowed[i] = (float)a;
            integers[i] = (long)a + (int)(a * 0.5);
        }
        return [CaseOutput.Of("results", results), CaseOutput.Of("narrowed", narrowed), CaseOutput.Of("integers", integers)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int n = _x.Length;
        var x = r.Upload<double>(_x); var f = r.Upload<float>(_f);
        var results = r.Allocate<double>(n * 4); var narrowed = r.Allocate<float>(n); var integers = r.Allocate<long>(n);
        r.Launch(CaseInputs.Linear(n, 64),
            c => FloatKernels.DoubleSemanticsKernel.Emulate(c, x, f, results, narrowed, integers),
            (s, c) => FloatKernels.DoubleSemanticsKernel.Launch(s, c, x, f, results, narrowed, integers));
        return [CaseOutput.Of("results", r.Download(results)), CaseOutput.Of("narrowed", r.Download(narrowed)), CaseOutput.Of("integers", r.Download(integers))];
    }
}
