using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>A small struct with a constructor, fields, a property, a method and user-defined operators.</summary>
public readonly struct Complex
{
    public readonly float Re;
    public readonly float Im;

    public Complex(float re, float im)
    {
        Re = re;
        Im = im;
    }

    public float MagnitudeSquared => Re * Re + Im * Im;

    public Complex Conjugate() => new(Re, -Im);

    public static Complex operator +(Complex a, Complex b) => new(a.Re + b.Re, a.Im + b.Im);

    public static Complex operator *(Complex a, Complex b) => new(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);
}

/// <summary>Inlined helpers: static methods, nested calls, ref parameters, struct members, constants.</summary>
public static partial class HelperKernels
{
    private const int Iterations = 12;
    private static readonly float Escape = 4f;

    [Kernel]
    public static void InlinedHelpers(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        int a = input[i];
        int b = a * 7 - 3;
        if (a > b) Swap(ref a, ref b);
        output[i * 3 + 0] = Clamp(Square(a) - b, -1000, 1000);
        output[i * 3 + 1] = Gcd(Math.Abs(a) + 1, Math.Abs(b) + 1);
        output[i * 3 + 2] = Sign(a) + 2 * Sign(b);
    }

    /// <summary>Escape-time iterations of z = z^2 + c with the Complex struct.</summary>
    [Kernel]
    public static void ComplexIterations(ReadOnlyDeviceSpan<float> re, ReadOnlyDeviceSpan<float> im, DeviceSpan<int> iterations, DeviceSpan<float> magnitude)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= re.Length) return;
        var c = new Complex(re[i], im[i]);
        var z = new Complex(0f, 0f);
        int n = 0;
        while (n < Iterations && z.MagnitudeSquared <= Escape)
        {
            z = z * z + c;
            n++;
        }
        iterations[i] = n;
        magnitude[i] = (z * z.Conjugate()).Re;
    }

    private static int Square(int x) => x * x;

    private static int Clamp(int x, int low, int high) => x < low ? low : x > high ? high : x;

    private static void Swap(ref int a, ref int b)
    {
        int t = a;
        a = b;
        b = t;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static int Sign(int x)
    {
        if (x > 0) return 1;
        if (x < 0) return -1;
        return 0;
    }
}
