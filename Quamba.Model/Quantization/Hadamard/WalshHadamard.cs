using System.Numerics;
using System.Runtime.InteropServices;

namespace Quamba.Model.Quantization.Hadamard;

/// <summary>
/// The unnormalised fast Walsh-Hadamard transform (Sylvester order, <c>W[i, j] = (-1)^popcount(i &amp; j)</c>),
/// in place, O(n log n). W is symmetric, so <c>x W</c> and <c>W x</c> are the same transform.
/// </summary>
public static class WalshHadamard
{
    /// <summary>Transforms <paramref name="values"/> in place; its length must be a power of two.</summary>
    public static void Transform(Span<float> values)
    {
        int n = values.Length;
        if (n == 0 || !BitOperations.IsPow2(n))
            throw new ArgumentException($"The Walsh-Hadamard transform needs a power-of-two length; got {n}.", nameof(values));
        int vc = Vector<float>.Count;
        for (int h = 1; h < n; h <<= 1)
        {
            if (h >= vc && Vector.IsHardwareAccelerated)
            {
                // Butterfly pairs (i, i + h) over whole vectors: h is a multiple of the vector width.
                var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
                int hv = h / vc;
                for (int start = 0; start < vectors.Length; start += 2 * hv)
                    for (int i = start; i < start + hv; i++)
                    {
                        var a = vectors[i];
                        var b = vectors[i + hv];
                        vectors[i] = a + b;
                        vectors[i + hv] = a - b;
                    }
            }
            else
            {
                for (int start = 0; start < n; start += 2 * h)
                    for (int i = start; i < start + h; i++)
                    {
                        float a = values[i], b = values[i + h];
                        values[i] = a + b;
                        values[i + h] = a - b;
                    }
            }
        }
    }

    /// <summary>Entry (i, j) of the unnormalised Walsh-Hadamard matrix: +1 or -1.</summary>
    public static int Entry(int i, int j) => (BitOperations.PopCount((uint)(i & j)) & 1) == 0 ? 1 : -1;
}
