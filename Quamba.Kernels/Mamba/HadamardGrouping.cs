namespace Quamba.Kernels.Mamba;

/// <summary>
/// How the dense step of a Hadamard rotation, <c>y[c] = sum_a D[a, c] z[a]</c> with D = H_12, H_20 or H_28, groups its
/// inputs by four so that outputs share work: group g (inputs a = 4g .. 4g + 3) forms its 8 signed sums
/// <c>z0 +- z1 +- z2 +- z3</c> once, as <c>A +- B</c> with <c>A = z0 +- z1</c> and <c>B = z2 +- z3</c> (12 adds), and each
/// output adds one of them per group, negated or not (<see cref="Term"/>), in order of g. Every implementation follows
/// this order, so they agree bit for bit: Quamba.Model's <c>HadamardTransform</c>, <see cref="HadamardReference"/> and
/// the kernels' unrolled columns (<c>HadamardKernels.DenseColumns.cs</c>).
/// </summary>
public static class HadamardGrouping
{
    /// <summary>Inputs per group.</summary>
    public const int GroupSize = 4;

    /// <summary>Signed sums a group forms: its first input's sign is factored out, 2^3 patterns remain.</summary>
    public const int Combinations = 8;

    /// <summary>Whether combination k takes <c>A = z0 - z1</c> (else z0 + z1).</summary>
    public static bool FirstPairDiffers(int k) => (k & 1) != 0;

    /// <summary>Whether combination k takes <c>B = z2 - z3</c> (else z2 + z3).</summary>
    public static bool SecondPairDiffers(int k) => (k & 2) != 0;

    /// <summary>Whether combination k is <c>A - B</c> (else A + B).</summary>
    public static bool PairsDiffer(int k) => (k & 4) != 0;

    /// <summary>Combination k of a group's inputs, formed as every implementation forms it: A and B first, then A +- B.</summary>
    public static float Combination(int k, float z0, float z1, float z2, float z3)
    {
        float a = FirstPairDiffers(k) ? z0 - z1 : z0 + z1;
        float b = SecondPairDiffers(k) ? z2 - z3 : z2 + z3;
        return PairsDiffer(k) ? a - b : a + b;
    }

    /// <summary>
    /// Output <paramref name="output"/>'s term from group <paramref name="group"/> of the row-major +-1
    /// <paramref name="matrix"/> of order <paramref name="order"/>: with s_i = D[4g + i, c],
    /// <c>sum_i s_i z_i = s_0 (A + s_0 s_2 B)</c>, <c>A = z0 + s_0 s_1 z1</c>, <c>B = z2 + s_2 s_3 z3</c>: the combination
    /// and whether it is negated (s_0 = -1).
    /// </summary>
    public static (int Combination, bool Negative) Term(ReadOnlySpan<float> matrix, int order, int group, int output)
    {
        bool n0 = matrix[GroupSize * group * order + output] < 0, n1 = matrix[(GroupSize * group + 1) * order + output] < 0;
        bool n2 = matrix[(GroupSize * group + 2) * order + output] < 0, n3 = matrix[(GroupSize * group + 3) * order + output] < 0;
        int combination = (n0 != n1 ? 1 : 0) | (n2 != n3 ? 2 : 0) | (n0 != n2 ? 4 : 0);
        return (combination, n0);
    }
}
