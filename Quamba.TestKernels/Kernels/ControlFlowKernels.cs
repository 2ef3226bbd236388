using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Every statement form: if/else chains, ?:, &amp;&amp;/||, for/while/do, break/continue, switch, early return.</summary>
public static partial class ControlFlowKernels
{
    [Kernel]
    public static void Branches(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        int v = input[i];
        int result;
        if (v < -100) result = 1;
        else if (v < 0 && (v & 1) == 0) result = 2;
        else if (v == 0 || v == 7) result = 3;
        else result = v > 1000 ? 4 : v % 5 == 0 ? 5 : 6;
        bool odd = (v & 1) != 0;
        bool big = v > 50;
        output[i] = result * 10 + (odd ^ big ? 1 : 0) + (odd & !big ? 2 : 0);
    }

    [Kernel]
    public static void Loops(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        int n = input[i];
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
        int w = n;
        while (w > 0)
        {
            sum ^= w;
            w >>= 1;
        }
        int d = 0;
        do
        {
            d += 2;
        }
        while (d < n);
        output[i] = sum + d;
    }

    /// <summary>The Collatz step count: a data-dependent while loop with early exit.</summary>
    [Kernel]
    public static void Collatz(ReadOnlyDeviceSpan<uint> start, DeviceSpan<int> steps)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= start.Length) return;
        ulong n = start[i];
        int count = 0;
        while (n != 1 && n != 0)
        {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            count++;
            if (count == 1000)
            {
                steps[i] = -1;
                return;
            }
        }
        steps[i] = count;
    }

    [Kernel]
    public static void Switches(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> output, Mode mode)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        int v = input[i];
        int r;
        switch (v & 7)
        {
            case 0:
                r = 100;
                break;
            case 1:
            case 2:
                r = 200 + v;
                break;
            case 5:
                r = -v;
                break;
            default:
                r = 7;
                break;
        }
        int s = v switch
        {
            < -10 => 1,
            >= -10 and <= 10 => 2,
            11 or 12 => 3,
            _ => 4,
        };
        int m = mode switch
        {
            Mode.Add => r + s,
            Mode.Multiply => r * s,
            _ => r - s,
        };
        output[i] = m;
    }

    public enum Mode
    {
        Add,
        Multiply,
        Subtract,
    }
}
