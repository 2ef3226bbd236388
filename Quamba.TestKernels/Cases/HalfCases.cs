using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class HalfConversionsCase : KernelCase
{
    private readonly float[] _input = new[] { 65520f, 65519f, 1e-8f, 6e-5f, float.NaN, float.PositiveInfinity, -0f, 1.00048828125f, 1.0009765625f, 3.14159f }
        .Concat(CaseInputs.Floats(110, 60, -1000, 1000)).ToArray();
    private readonly Half[] _halves;

    public HalfConversionsCase() => _halves = CaseInputs.Floats(111, _input.Length, -300, 300).Select(f => (Half)f).ToArray();

    public override string Name => "HalfConversions";
    public override string Kernel => "HalfKernels.HalfConversions";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _input.Length;
        var toHalf = new Half[n * 3];
        var fromHalf = new float[n * 2];
        var toInt = new int[n];
        for (int i = 0; i < n; i++)
        {
            Half h = _halves[i], converted = (Half)_input[i];
            toHalf[i * 3 + 0] = converted;
            toHalf[i * 3 + 1] = (Half)((float)(Half)((float)h * (float)converted) + (float)h);
            toHalf[i * 3 + 2] = (Half)((float)(Half)(float)(i - 8) + (float)(Half)(_input[i] * 0.5));
            fromHalf[i * 2 + 0] = (float)h;
            fromHalf[i * 2 + 1] = (float)(double)h + ((float)h < (float)converted ? 1f : 0f);
            toInt[i] = (int)(float)h;
        }
        return [CaseOutput.Of("toHalf", toHalf), CaseOutput.Of("fromHalf", fromHalf), CaseOutput.Of("toInt", toInt)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int n = _input.Length;
        var input = r.Upload<float>(_input); var halves = r.Upload<Half>(_halves);
        var toHalf = r.Allocate<Half>(n * 3); var fromHalf = r.Allocate<float>(n * 2); var toInt = r.Allocate<int>(n);
        r.Launch(CaseInputs.Linear(n, 64),
            c => HalfKernels.HalfConversionsKernel.Emulate(c, input, halves, toHalf, fromHalf, toInt),
            (s, c) => HalfKernels.HalfConversionsKernel.Launch(s, c, input, halves, toHalf, fromHalf, toInt));
        return [CaseOutput.Of("toHalf", r.Download(toHalf)), CaseOutput.Of("fromHalf", r.Download(fromHalf)), CaseOutput.Of("toInt", r.Download(toInt))];
    }
}

public sealed class BFloat16ConversionsCase : KernelCase
{
    private readonly float[] _input = new[] { 1f, 1.00390625f, 1.005859375f, 3e38f, -3.4e38f, 1e-40f, float.NaN, float.NegativeInfinity, 0.1f }
        .Concat(CaseInputs.Floats(112, 60, -1e4f, 1e4f)).ToArray();

    public override string Name => "BFloat16Conversions";
    public override string Kernel => "HalfKernels.BFloat16Conversions";
    public override int MinimumSm => 80;

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var rounded = _input.Select(f => (BFloat16)f).ToArray();
        var widened = rounded.Select(b => (float)b * 2f + (float)new BFloat16((ushort)(b.Bits ^ 0x8000))).ToArray();
        return [CaseOutput.Of("rounded", rounded), CaseOutput.Of("widened", widened)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var rounded = r.Allocate<BFloat16>(_input.Length); var widened = r.Allocate<float>(_input.Length);
        r.Launch(CaseInputs.Linear(_input.Length, 64),
            c => HalfKernels.BFloat16ConversionsKernel.Emulate(c, input, rounded, widened),
            (s, c) => HalfKernels.BFloat16ConversionsKernel.Launch(s, c, input, rounded, widened));
        return [CaseOutput.Of("rounded", r.Download(rounded)), CaseOutput.Of("widened", r.Download(widened))];
    }
}
