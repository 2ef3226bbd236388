using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class InlinedHelpersCase : KernelCase
{
    private readonly int[] _input = new[] { 0, 1, -1, 12, -12, 1000 }.Concat(CaseInputs.Ints(50, 120, -200, 200)).ToArray();

    public override string Name => "InlinedHelpers";
    public override string Kernel => "HelperKernels.InlinedHelpers";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new int[_input.Length * 3];
        for (int i = 0; i < _input.Length; i++)
        {
            int a = _input[i], b = a * 7 - 3;
            if (a > b) (a, b) = (b, a);
            output[i * 3 + 0] = Math.Clamp(a * a - b, -1000, 1000);
            output[i * 3 + 1] = Gcd(Math.Abs(a) + 1, Math.Abs(b) + 1);
            output[i * 3 + 2] = Math.Sign(a) + 2 * Math.Sign(b);
        }
        return [CaseOutput.Of("output", output)];
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<int>(_input);
        var output = r.Allocate<int>(_input.Length * 3);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => HelperKernels.InlinedHelpersKernel.Emulate(c, input, output), (s, c) => HelperKernels.InlinedHelpersKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class ComplexIterationsCase : KernelCase
{
    private readonly float[] _re = CaseInputs.Floats(51, 200, -2f, 1f);
    private readonly float[] _im = CaseInputs.Floats(52, 200, -1.2f, 1.2f);

    public override string Name => "ComplexIterations";
    public override string Kernel => "HelperKernels.ComplexIterations";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _re.Length;
        var iterations = new int[n];
        var magnitude = new float[n];
        for (int i = 0; i < n; i++)
        {
            float cr = _re[i], ci = _im[i], zr = 0f, zi = 0f;
            int k = 0;
            while (k < 12 && zr * zr + zi * zi <= 4f)
            {
                float nr = zr * zr - zi * zi, ni = zr * zi + zi * zr;
                zr = nr + cr;
                zi = ni + ci;
                k++;
            }
            iterations[i] = k;
            magnitude[i] = zr * zr - zi * -zi;
        }
        return [CaseOutput.Of("iterations", iterations), CaseOutput.Of("magnitude", magnitude)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var re = r.Upload<float>(_re); var im = r.Upload<float>(_im);
        var iterations = r.Allocate<int>(_re.Length); var magnitude = r.Allocate<float>(_re.Length);
        r.Launch(CaseInputs.Linear(_re.Length, 64),
            c => HelperKernels.ComplexIterationsKernel.Emulate(c, re, im, iterations, magnitude),
            (s, c) => HelperKernels.ComplexIterationsKernel.Launch(s, c, re, im, iterations, magnitude));
        return [CaseOutput.Of("iterations", r.Download(iterations)), CaseOutput.Of("magnitude", r.Download(magnitude))];
    }
}

/// <summary>Both [Specialize] instances of the generic RowSum: constants from the shape types.</summary>
public sealed class RowSumCase<TShape> : KernelCase where TShape : ITileShape
{
    private const int Rows = 6;
    private readonly float[] _matrix = CaseInputs.Floats(53, Rows * TShape.Columns, -1, 1);

    public override string Name => "RowSum<" + typeof(TShape).Name + ">";
    public override string Kernel => "GenericKernels.RowSum<" + typeof(TShape).Name + ">";
    public override Tolerance Tolerance => new(1e-5, 1e-5);

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("sums", Enumerable.Range(0, Rows).Select(r => (float)_matrix.Skip(r * TShape.Columns).Take(TShape.Columns).Sum(v => (double)v)).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var matrix = r.Upload<float>(_matrix);
        var sums = r.Allocate<float>(Rows);
        var config = new Quamba.Kernels.LaunchConfig(Rows, TShape.ThreadsPerRow);
        if (typeof(TShape) == typeof(Tile256x64))
            r.Launch(config, c => GenericKernels.RowSumKernel_Tile256x64.Emulate(c, matrix, sums), (s, c) => GenericKernels.RowSumKernel_Tile256x64.Launch(s, c, matrix, sums));
        else
            r.Launch(config, c => GenericKernels.RowSumKernel_Tile512x128.Emulate(c, matrix, sums), (s, c) => GenericKernels.RowSumKernel_Tile512x128.Launch(s, c, matrix, sums));
        return [CaseOutput.Of("sums", r.Download(sums))];
    }
}
