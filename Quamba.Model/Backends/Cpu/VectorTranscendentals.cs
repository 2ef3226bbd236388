using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// exp, log and softplus on 16 floats at once. Vector512.Exp/Log of the .NET 10 base library measured 75-80 ns per
/// vector on the test machine (about 15x these), and the scan evaluates one exp per state element per token. Both
/// use the Cephes single-precision polynomials with Cody-Waite range reduction: exp and log within 1 ulp over the
/// float range, softplus within 3 (tested against double precision in CpuKernelTests).
/// </summary>
internal static class VectorTranscendentals
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;      // ln 2 split so n * Ln2High is exact
    private const float Ln2Low = -2.12194440e-4f;

    /// <summary>e^x; 0 below -87.33 (where float underflows), at most 2.4e38 above 88.37.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var underflow = Vector512.LessThan(x, Vector512.Create(-87.33f));
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.33f)), Vector512.Create(88.37f));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        var p = Vector512.Create(1.9875691500E-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507E-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073E-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894E-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459E-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201E-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        var scale = ((Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23).AsSingle();
        return Vector512.AndNot(p * scale, underflow.AsSingle());
    }

    /// <summary>Natural log of positive, finite, normal x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log x = log m + e ln 2, log m from a polynomial in m - 1.
        var bits = x.AsInt32();
        var e = (bits >>> 23) - Vector512.Create(127);
        var m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).AsSingle(); // [1, 2)
        var big = Vector512.GreaterThan(m, Vector512.Create(1.41421356f));
        m = Vector512.ConditionalSelect(big, m * Vector512.Create(0.5f), m);
        var ef = Vector512.ConvertToSingle(e + (big.AsInt32() & Vector512<int>.One));
        var f = m - Vector512<float>.One;
        var z = f * f;
        var p = Vector512.Create(7.0376836292E-2f);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.1514610310E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.1676998740E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.2420140846E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.4249322787E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.6668057665E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.0000714765E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-2.4999993993E-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(3.3333331174E-1f));
        var y = p * f * z;
        y = Vector512.FusedMultiplyAdd(ef, Vector512.Create(Ln2Low), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        return f + y + ef * Vector512.Create(Ln2High);
    }

    /// <summary>
    /// softplus as torch computes it: x above 20, else log1p(e^x). log1p(u) = log(1 + u) * u / ((1 + u) - 1)
    /// (Goldberg's correction for the rounding of 1 + u), and u itself where 1 + u rounds to 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x)
    {
        var u = Exp(Vector512.Min(x, Vector512.Create(20f)));
        var y = Vector512<float>.One + u;
        var d = y - Vector512<float>.One;
        var exact = Vector512.Equals(d, Vector512<float>.Zero);
        var log1p = Vector512.ConditionalSelect(exact, u, Log(y) * (u / Vector512.ConditionalSelect(exact, Vector512<float>.One, d)));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(20f)), x, log1p);
    }

    /// <summary>x * sigmoid(x) = x / (1 + e^-x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SiLU(Vector512<float> x) => x / (Vector512<float>.One + Exp(-x));
}
