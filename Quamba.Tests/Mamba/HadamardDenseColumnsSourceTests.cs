using System.Text;
using Quamba.Kernels.Mamba;
using Quamba.Tests.Snapshots;

namespace Quamba.Tests.Mamba;

/// <summary>
/// The Hadamard kernels' unrolled dense columns (Quamba.Kernels/Mamba/HadamardKernels.DenseColumns.cs) are rendered
/// here from <see cref="HadamardTables"/> in <see cref="HadamardGrouping"/>'s order, so the signs compiled into the
/// kernels are the model's matrices. The test fails when the checked-in file differs; set QUAMBA_ACCEPT_SNAPSHOTS=1
/// to rewrite it.
/// </summary>
public class HadamardDenseColumnsSourceTests
{
    private static readonly int[] Orders = [12, 20, 28];

    [Fact]
    public void CheckedInSourceIsTheRenderedOne()
    {
        var path = Path.Combine(Snapshot.RepositoryRoot(), "Quamba.Kernels", "Mamba", "HadamardKernels.DenseColumns.cs");
        // Not Snapshot.Match: its .received file would land in Quamba.Kernels' sources and be compiled.
        var expected = Render();
        var actual = File.Exists(path) ? File.ReadAllText(path) : "";
        if (actual == expected) return;
        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
        {
            File.WriteAllText(path, expected, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }
        Assert.Fail($"{path} is stale (set {Snapshot.AcceptVariable}=1 to rewrite it):\n" + LineDiff.Unified(actual, expected));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(20)]
    [InlineData(28)]
    public void GroupedTermsSumToTheMatrixProduct(int order)
    {
        // sum_g sign_g * combination_g equals sum_a D[a, c] z[a] exactly for small integers z.
        var signs = HadamardTables.Signs(order);
        var z = Enumerable.Range(0, order).Select(a => (float)(1 << (a % 12)) * (a % 3 == 0 ? -1 : 1)).ToArray();
        for (int c = 0; c < order; c++)
        {
            float direct = 0f, grouped = 0f;
            for (int a = 0; a < order; a++) direct += signs[a * order + c] * z[a];
            for (int g = 0; g < order / HadamardGrouping.GroupSize; g++)
            {
                var (k, negative) = HadamardGrouping.Term(signs, order, g, c);
                float combination = HadamardGrouping.Combination(k, z[4 * g], z[4 * g + 1], z[4 * g + 2], z[4 * g + 3]);
                grouped += negative ? -combination : combination;
            }
            Assert.Equal(direct, grouped);
        }
    }

    /// <summary>The whole source file.</summary>
    public static string Render()
    {
        var s = new StringBuilder();
        s.Append("""
            // Rendered by Quamba.Tests (HadamardDenseColumnsSourceTests) from HadamardTables: do not edit. Set
            // QUAMBA_ACCEPT_SNAPSHOTS=1 and run that test to rewrite it.
            namespace Quamba.Kernels.Mamba;

            // The dense step of one column b for each base order, in HadamardGrouping's order with the signs compiled in:
            // group g's inputs z[4g .. 4g + 3] give A = z0 +- z1 and B = z2 +- z3 (a{g}p, a{g}m, b{g}p, b{g}m), its signed sums
            // s{g}_k = A +- B, and each output y[c] adds one per group. Input a is at row[z + SegmentFloats(2^k, a)], output c
            // at o + c 2^k.
            public static partial class HadamardKernels
            {
            """);
        s.Append('\n');
        foreach (int order in Orders)
        {
            if (order != Orders[0]) s.Append('\n');
            RenderColumn(s, order);
        }
        s.Append("}\n");
        return s.ToString().Replace("\r\n", "\n");
    }

    private static void RenderColumn(StringBuilder s, int order)
    {
        var signs = HadamardTables.Signs(order);
        int groups = order / HadamardGrouping.GroupSize;
        var terms = new (int Combination, bool Negative)[groups, order];
        for (int g = 0; g < groups; g++)
            for (int c = 0; c < order; c++) terms[g, c] = HadamardGrouping.Term(signs, order, g, c);

        s.Append($"    /// <summary>H_{order}'s {order} outputs of one column.</summary>\n");
        s.Append($"    private static void DenseColumn{order}<TShape, TOutput>(DeviceSpan<float> row, int z, RowOutput output, int o, DeviceSpan<sbyte> codes, DeviceSpan<float> floats)\n");
        s.Append("        where TShape : IHadamardShape where TOutput : IOutputKind\n    {\n");
        for (int g = 0; g < groups; g++)
        {
            var loads = Enumerable.Range(4 * g, 4).Select(a => $"z{a} = row[{(a == 0 ? "z" : $"z + HadamardLayout.SegmentFloats(TShape.WalshSize, {a})")}]");
            s.Append($"        float {string.Join(", ", loads)};\n");
            s.Append($"        float a{g}p = z{4 * g} + z{4 * g + 1}, a{g}m = z{4 * g} - z{4 * g + 1}, b{g}p = z{4 * g + 2} + z{4 * g + 3}, b{g}m = z{4 * g + 2} - z{4 * g + 3};\n");
            var used = Enumerable.Range(0, order).Select(c => terms[g, c].Combination).Distinct().Order();
            var sums = used.Select(k =>
                $"s{g}_{k} = a{g}{(HadamardGrouping.FirstPairDiffers(k) ? 'm' : 'p')} {(HadamardGrouping.PairsDiffer(k) ? '-' : '+')} b{g}{(HadamardGrouping.SecondPairDiffers(k) ? 'm' : 'p')}");
            s.Append($"        float {string.Join(", ", sums)};\n");
        }
        for (int c = 0; c < order; c++)
        {
            var y = new StringBuilder();
            for (int g = 0; g < groups; g++)
            {
                var (k, negative) = terms[g, c];
                y.Append(g == 0 ? (negative ? "-" : "") : negative ? " - " : " + ");
                y.Append($"s{g}_{k}");
            }
            s.Append($"        float y{c} = {y};\n");
        }
        s.Append("        if (TOutput.Quantizes)\n        {\n");
        for (int c = 0; c < order; c++) s.Append($"            codes[{Output(c)}] = ReciprocalQuantization.QuantizeProduct(y{c}, output.Normalisation, output.Scale, output.ProductReciprocal);\n");
        s.Append("        }\n        else\n        {\n");
        for (int c = 0; c < order; c++) s.Append($"            floats[{Output(c)}] = y{c} * output.Normalisation;\n");
        s.Append("        }\n    }\n");
    }

    private static string Output(int c) => c switch { 0 => "o", 1 => "o + TShape.WalshSize", _ => $"o + {c} * TShape.WalshSize" };
}
