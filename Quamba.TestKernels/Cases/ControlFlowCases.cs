using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class BranchesCase : KernelCase
{
    private readonly int[] _input = new[] { -101, -100, -4, -3, 0, 7, 1001, 25, 51, 52, 1, 2 }.Concat(CaseInputs.Ints(40, 200, -300, 1500)).ToArray();

    public override string Name => "Branches";
    public override string Kernel => "ControlFlowKernels.Branches";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("output", _input.Select(v =>
    {
        int result;
        if (v < -100) result = 1;
        else if (v < 0 && (v & 1) == 0) result = 2;
        else if (v == 0 || v == 7) result = 3;
        else result = v > 1000 ? 4 : v % 5 == 0 ? 5 : 6;
        bool odd = (v & 1) != 0, big = v > 50;
        return result * 10 + (odd ^ big ? 1 : 0) + (odd & !big ? 2 : 0);
    }).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<int>(_input);
        var output = r.Allocate<int>(_input.Length);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => ControlFlowKernels.BranchesKernel.Emulate(c, input, output), (s, c) => ControlFlowKernels.BranchesKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class LoopsCase : KernelCase
{
    private readonly int[] _input = CaseInputs.Ints(41, 150, -3, 40);

    public override string Name => "Loops";
    public override string Kernel => "ControlFlowKernels.Loops";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("output", _input.Select(n =>
    {
        int sum = 0;
        for (int a = 0; a < n; a++)
        {
            if (a % 3 == 0) continue;
            for (int b = a; b < n; b++)
            {
                if (a * b > 40) break;
                sum += a * b;
            }
        }
        for (int w = n; w > 0; w >>= 1) sum ^= w;
        int d = 0;
        do d += 2; while (d < n);
        return sum + d;
    }).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<int>(_input);
        var output = r.Allocate<int>(_input.Length);
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => ControlFlowKernels.LoopsKernel.Emulate(c, input, output), (s, c) => ControlFlowKernels.LoopsKernel.Launch(s, c, input, output));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}

public sealed class CollatzCase : KernelCase
{
    private readonly uint[] _start = new uint[] { 0, 1, 27, 97, 871, 77031, 837799, 4294967295 }.Concat(CaseInputs.Ints(42, 120, 1, 100000).Select(v => (uint)v)).ToArray();

    public override string Name => "Collatz";
    public override string Kernel => "ControlFlowKernels.Collatz";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("steps", _start.Select(s =>
    {
        ulong n = s;
        int count = 0;
        while (n != 1 && n != 0)
        {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            if (++count == 1000) return -1;
        }
        return count;
    }).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var start = r.Upload<uint>(_start);
        var steps = r.Allocate<int>(_start.Length);
        r.Launch(CaseInputs.Linear(_start.Length, 32), c => ControlFlowKernels.CollatzKernel.Emulate(c, start, steps), (s, c) => ControlFlowKernels.CollatzKernel.Launch(s, c, start, steps));
        return [CaseOutput.Of("steps", r.Download(steps))];
    }
}

public sealed class SwitchesCase : KernelCase
{
    private readonly int[] _input = new[] { -11, -10, 10, 11, 12, 13, 0, 1, 2, 5, 8, 9 }.Concat(CaseInputs.Ints(43, 120, -50, 50)).ToArray();

    public override string Name => "Switches";
    public override string Kernel => "ControlFlowKernels.Switches";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("output", _input.Select(v =>
    {
        int r = (v & 7) switch { 0 => 100, 1 or 2 => 200 + v, 5 => -v, _ => 7 };
        int s = v switch { < -10 => 1, >= -10 and <= 10 => 2, 11 or 12 => 3, _ => 4 };
        return r * s;
    }).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<int>(_input);
        var output = r.Allocate<int>(_input.Length);
        var mode = ControlFlowKernels.Mode.Multiply;
        r.Launch(CaseInputs.Linear(_input.Length, 64), c => ControlFlowKernels.SwitchesKernel.Emulate(c, input, output, mode), (s, c) => ControlFlowKernels.SwitchesKernel.Launch(s, c, input, output, mode));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}
