using System.Numerics;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class BitTricksCase : KernelCase
{
    private readonly float[] _input = CaseInputs.SpecialFloats.Concat(CaseInputs.Floats(100, 60, -1e30f, 1e30f)).ToArray();

    public override string Name => "BitTricks";
    public override string Kernel => "BitKernels.BitTricks";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new uint[_input.Length * 4];
        for (int i = 0; i < _input.Length; i++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(_input[i]);
            output[i * 4 + 0] = (bits >> 23) & 0xFF;
            output[i * 4 + 1] = (uint)BitOperations.PopCount(bits) | (uint)BitOperations.LeadingZeroCount(bits) << 8;
            output[i * 4 + 2] = bits & 0x807FFFFF | 127u << 23;
            uint reversed = 0;
            for (int b = 0; b < 32; b++) if ((bits & (1u << b)) != 0) reversed |= 1u << (31 - b);
            output[i * 4 + 3] = reversed;
        }
        return [CaseOutput.Of("output", output)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<uint>(_input.Length * 4);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => BitKernels.BitTricksKernel.Emulate(c, input, output), (s, c) => BitKernels.BitTricksKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}
