using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class DynamicReverseCase : KernelCase
{
    private const int Block = 128;
    private readonly float[] _input = CaseInputs.Floats(90, Block * 4, -10, 10);

    public override string Name => "DynamicReverse";
    public override string Kernel => "MemoryKernels.DynamicReverse";

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("output", Enumerable.Range(0, _input.Length).Select(i => _input[i / Block * Block + Block - 1 - i % Block] + Block).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<float>(_input.Length);
        var config = new LaunchConfig(_input.Length / Block, Block, Block * sizeof(float));
        r.Launch(config, c => MemoryKernels.DynamicReverseKernel.Emulate(c, input, output), (s, c) => MemoryKernels.DynamicReverseKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class TransposeCase : KernelCase
{
    private const int Rows = 70, Columns = 45;
    private readonly float[] _input = CaseInputs.Floats(91, Rows * Columns, -1, 1);

    public override string Name => "Transpose";
    public override string Kernel => "MemoryKernels.Transpose";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new float[Rows * Columns];
        for (int y = 0; y < Rows; y++)
            for (int x = 0; x < Columns; x++) output[x * Rows + y] = _input[y * Columns + x];
        return [CaseOutput.Of("output", output)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<float>(_input.Length);
        const int t = MemoryKernels.Tile;
        var config = new LaunchConfig(new Dim3((Columns + t - 1) / t, (Rows + t - 1) / t), new Dim3(t, t));
        r.Launch(config, c => MemoryKernels.TransposeKernel.Emulate(c, input, output, Rows, Columns), (s, c) => MemoryKernels.TransposeKernel.Launch(s, c, input, output, Rows, Columns));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class Index3DCase : KernelCase
{
    private static readonly Dim3 Block = new(4, 2, 3);
    private static readonly Dim3 Grid = new(2, 3, 2);

    public override string Name => "Index3D";
    public override string Kernel => "MemoryKernels.Index3D";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var output = new int[Block.Volume * Grid.Volume];
        for (int bz = 0; bz < Grid.Z; bz++)
        for (int by = 0; by < Grid.Y; by++)
        for (int bx = 0; bx < Grid.X; bx++)
        for (int tz = 0; tz < Block.Z; tz++)
        for (int ty = 0; ty < Block.Y; ty++)
        for (int tx = 0; tx < Block.X; tx++)
        {
            int block = (bz * Grid.Y + by) * Grid.X + bx;
            int thread = (tz * Block.Y + ty) * Block.X + tx;
            output[block * (int)Block.Volume + thread] = tx | ty << 4 | tz << 8 | bx << 12 | by << 16 | bz << 20 | Block.Z << 24 | Grid.Z << 28;
        }
        return [CaseOutput.Of("output", output)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var output = r.Allocate<int>((int)(Block.Volume * Grid.Volume));
        r.Launch(new LaunchConfig(Grid, Block), c => MemoryKernels.Index3DKernel.Emulate(c, output), (s, c) => MemoryKernels.Index3DKernel.Launch(s, c, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class SortEightCase : KernelCase
{
    private readonly int[] _input = CaseInputs.Ints(92, 64 * 8, -1000, 1000);

    public override string Name => "SortEight";
    public override string Kernel => "MemoryKernels.SortEight";

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("output", _input.Chunk(8).SelectMany(c => c.Order()).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<int>(_input);
        var output = r.Allocate<int>(_input.Length);
        r.Launch(CaseInputs.Linear(_input.Length / 8 + 10, 32), c => MemoryKernels.SortEightKernel.Emulate(c, input, output), (s, c) => MemoryKernels.SortEightKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}
