using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class BlockSumCase : KernelCase
{
    private const int Blocks = 3;
    private readonly float[] _input = CaseInputs.Floats(60, 5000, -1, 1);

    public override string Name => "BlockSum";
    public override string Kernel => "ReductionKernels.BlockSum";
    public override Tolerance Tolerance => new(1e-4, 1e-5);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var sums = new double[Blocks];
        for (int i = 0; i < _input.Length; i++) sums[i / ReductionKernels.BlockSize % Blocks] += _input[i];
        return [CaseOutput.Of("blockSums", sums.Select(s => (float)s).ToArray())];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var sums = r.Allocate<float>(Blocks);
        r.Launch(new LaunchConfig(Blocks, ReductionKernels.BlockSize), c => ReductionKernels.BlockSumKernel.Emulate(c, input, sums), (s, c) => ReductionKernels.BlockSumKernel.Launch(s, c, input, sums));
        return [CaseOutput.Of("blockSums", r.Download(sums))];
    }
}

public sealed class WarpSumCase : KernelCase
{
    private const int Block = 256;
    private readonly int[] _input = CaseInputs.Ints(61, 1000, -1000, 1000);

    public override string Name => "WarpSum";
    public override string Kernel => "ReductionKernels.WarpSum";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int blocks = (_input.Length + Block - 1) / Block;
        var warps = new int[blocks * Block / 32];
        var totals = new int[blocks];
        for (int i = 0; i < _input.Length; i++)
        {
            warps[i / 32] += _input[i];
            totals[i / Block] += _input[i];
        }
        return [CaseOutput.Of("warpSums", warps), CaseOutput.Of("blockSums", totals)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int blocks = (_input.Length + Block - 1) / Block;
        var input = r.Upload<int>(_input);
        var warps = r.Allocate<int>(blocks * Block / 32);
        var totals = r.Allocate<int>(blocks);
        r.Launch(new LaunchConfig(blocks, Block), c => ReductionKernels.WarpSumKernel.Emulate(c, input, warps, totals), (s, c) => ReductionKernels.WarpSumKernel.Launch(s, c, input, warps, totals));
        return [CaseOutput.Of("warpSums", r.Download(warps)), CaseOutput.Of("blockSums", r.Download(totals))];
    }
}

public sealed class WarpScanCase : KernelCase
{
    private readonly float[] _input = CaseInputs.Floats(62, 256, -2, 2);

    public override string Name => "WarpScan";
    public override string Kernel => "ReductionKernels.WarpScan";
    public override Tolerance Tolerance => new(1e-5, 1e-5);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var prefix = new float[_input.Length];
        var totals = new float[_input.Length];
        for (int w = 0; w < _input.Length; w += 32)
        {
            double running = 0;
            for (int l = 0; l < 32; l++) prefix[w + l] = (float)(running += _input[w + l]);
            for (int l = 0; l < 32; l++) totals[w + l] = prefix[w + 31];
        }
        return [CaseOutput.Of("prefix", prefix), CaseOutput.Of("totals", totals)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var prefix = r.Allocate<float>(_input.Length);
        var totals = r.Allocate<float>(_input.Length);
        r.Launch(new LaunchConfig(_input.Length / 64, 64), c => ReductionKernels.WarpScanKernel.Emulate(c, input, prefix, totals), (s, c) => ReductionKernels.WarpScanKernel.Launch(s, c, input, prefix, totals));
        return [CaseOutput.Of("prefix", r.Download(prefix)), CaseOutput.Of("totals", r.Download(totals))];
    }
}

public sealed class WarpVotesCase : KernelCase
{
    private readonly int[] _input;

    public WarpVotesCase()
    {
        _input = CaseInputs.Ints(63, 128, -5, 100);
        for (int l = 32; l < 64; l++) _input[l] = Math.Abs(_input[l]) + 1;  // warp 1: all positive
        _input[70] = 5000;                                                   // warp 2: one value above 1000
    }

    public override string Name => "WarpVotes";
    public override string Kernel => "ReductionKernels.WarpVotes";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var results = new uint[_input.Length];
        for (int w = 0; w < _input.Length; w += 32)
        {
            uint ballot = 0;
            bool all = true, any = false;
            for (int l = 0; l < 32; l++)
            {
                if (_input[w + l] > 0) ballot |= 1u << l; else all = false;
                any |= _input[w + l] > 1000;
            }
            for (int l = 0; l < 32; l++)
            {
                uint neighbour = (uint)_input[w + (l ^ 1)];
                results[w + l] = ballot ^ (all ? 0x80000000u : 0u) ^ (any ? 0x40000000u : 0u) ^ (neighbour << 8);
            }
        }
        return [CaseOutput.Of("results", results)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<int>(_input);
        var results = r.Allocate<uint>(_input.Length);
        r.Launch(new LaunchConfig(2, 64), c => ReductionKernels.WarpVotesKernel.Emulate(c, input, results), (s, c) => ReductionKernels.WarpVotesKernel.Launch(s, c, input, results));
        return [CaseOutput.Of("results", r.Download(results))];
    }
}
