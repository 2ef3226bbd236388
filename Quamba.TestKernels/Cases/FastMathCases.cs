using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

/// <summary>The hardware approximations: ex2/lg2 ~2^-22 relative, rcp 1 ulp, rsqrt 2 ulp (PTX ISA).</summary>
public sealed class FastMathCase : KernelCase
{
    private readonly float[] _input = CaseInputs.Floats(120, 200, -20, 20);

    public override string Name => "FastMath";
    public override string Kernel => "FastMathKernels.FastMath";
    public override Tolerance Tolerance => new(2e-6, 2e-6);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new float[_input.Length * 5];
        for (int i = 0; i < _input.Length; i++)
        {
            double x = _input[i], positive = MathF.Abs(_input[i]) + 0.5f;
            output[i * 5 + 0] = (float)Math.Pow(2, x);
            output[i * 5 + 1] = (float)Math.Log2(positive);
            output[i * 5 + 2] = (float)(1 / positive);
            output[i * 5 + 3] = (float)(1 / Math.Sqrt(positive));
            output[i * 5 + 4] = MathF.FusedMultiplyAdd(_input[i], _input[i], -1f);
        }
        return [CaseOutput.Of("output", output)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<float>(_input.Length * 5);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => FastMathKernels.FastMathKernel.Emulate(c, input, output), (s, c) => FastMathKernels.FastMathKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

/// <summary>tanh.approx.f32 (sm_75): absolute error about 2^-10.99 per the PTX ISA.</summary>
public sealed class FastTanhCase : KernelCase
{
    private readonly float[] _input = CaseInputs.Floats(121, 200, -6, 6);

    public override string Name => "FastTanh";
    public override string Kernel => "FastMathKernels.FastTanh";
    public override Tolerance Tolerance => new(1e-3, 0);
    public override Tolerance EmulatorTolerance => new(1e-6, 1e-6);
    public override int MinimumSm => 75;

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("output", _input.Select(MathF.Tanh).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<float>(_input.Length);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => FastMathKernels.FastTanhKernel.Emulate(c, input, output), (s, c) => FastMathKernels.FastTanhKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

/// <summary>MathF.Exp/Log/Log2/Tanh/Sin/Cos as the generator builds them on the approximations (docs/kernels.md lists the bounds).</summary>
public sealed class TranscendentalsCase : KernelCase
{
    private readonly float[] _input = CaseInputs.Floats(122, 200, -10, 10);

    public override string Name => "Transcendentals";
    public override string Kernel => "FastMathKernels.Transcendentals";
    public override Tolerance Tolerance => new(4e-6, 1e-5);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new float[_input.Length * 6];
        for (int i = 0; i < _input.Length; i++)
        {
            float x = _input[i], positive = MathF.Abs(x) + 0.01f;
            output[i * 6 + 0] = MathF.Exp(x);
            output[i * 6 + 1] = MathF.Log(positive);
            output[i * 6 + 2] = MathF.Log2(positive);
            output[i * 6 + 3] = MathF.Tanh(x);
            output[i * 6 + 4] = MathF.Sin(x);
            output[i * 6 + 5] = MathF.Cos(x);
        }
        return [CaseOutput.Of("output", output)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<float>(_input.Length * 6);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => FastMathKernels.TranscendentalsKernel.Emulate(c, input, output), (s, c) => FastMathKernels.TranscendentalsKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class RowSoftmaxCase : KernelCase
{
    private const int Rows = 8, Columns = 300;
    private readonly float[] _logits = CaseInputs.Floats(123, Rows * Columns, -8, 8);

    public override string Name => "RowSoftmax";
    public override string Kernel => "FastMathKernels.RowSoftmax";
    public override Tolerance Tolerance => new(1e-7, 2e-5);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new float[_logits.Length];
        for (int r = 0; r < Rows; r++)
        {
            var row = _logits.AsSpan(r * Columns, Columns);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            for (int c = 0; c < Columns; c++) output[r * Columns + c] = (float)(Math.Exp(row[c] - max) / sum);
        }
        return [CaseOutput.Of("probabilities", output)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var logits = r.Upload<float>(_logits);
        var probabilities = r.Allocate<float>(_logits.Length);
        r.Launch(new LaunchConfig(Rows, 128),
            c => FastMathKernels.RowSoftmaxKernel.Emulate(c, logits, probabilities, Columns),
            (s, c) => FastMathKernels.RowSoftmaxKernel.Launch(s, c, logits, probabilities, Columns));
        return [CaseOutput.Of("probabilities", r.Download(probabilities))];
    }
}
