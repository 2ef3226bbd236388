using Quamba.Kernels.Mamba;
using Quamba.Model.Quantization.Clustering;
using Quamba.TestKernels.Cases;
using Quamba.TestKernels.Mamba;

namespace Quamba.Tests.Mamba;

/// <summary>Guards on the cases themselves, and agreement of the kernels' tables with Quamba.Model's.</summary>
public class MambaCaseSanityTests
{
    public static TheoryData<string> CaseNames => new(MambaCaseCatalog.All.Select(c => c.Name));

    /// <summary>
    /// Every expected output is informative: codes take many values and few saturate, floats are finite and not all
    /// zero. A case whose expectation is degenerate would pass against a broken kernel.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ExpectedOutputsAreInformative(string name) => AssertExpectedOutputsAreInformative(MambaCaseCatalog.All.Single(c => c.Name == name));

    internal static void AssertExpectedOutputsAreInformative(KernelCase kernelCase)
    {
        string name = kernelCase.Name;
        foreach (var output in kernelCase.Expected())
        {
            switch (output.Values)
            {
                case sbyte[] codes:
                    int distinct = codes.Distinct().Count();
                    double saturated = codes.Count(v => v is 127 or -128) / (double)codes.Length;
                    Assert.True(distinct >= Math.Min(20, codes.Length / 4), $"{name}/{output.Name}: only {distinct} distinct codes");
                    Assert.True(saturated < 0.2, $"{name}/{output.Name}: {saturated:P0} saturated");
                    break;
                case float[] values:
                    AssertFloatsInformative(name + "/" + output.Name, values);
                    break;
                case Half[] halves:
                    AssertFloatsInformative(name + "/" + output.Name, Array.ConvertAll(halves, v => (float)v));
                    Assert.True(halves.Distinct().Count() >= Math.Min(20, halves.Length / 4), $"{name}/{output.Name}: few distinct values");
                    break;
            }
        }
    }

    private static void AssertFloatsInformative(string what, float[] values)
    {
        Assert.All(values, v => Assert.True(float.IsFinite(v), $"{what}: non-finite value"));
        Assert.True(values.Count(v => v != 0f) > values.Length / 2, $"{what}: mostly zeros");
    }

    [Fact]
    public void ScaleIndexAgreesWithTheModelsCrossHeadTable()
    {
        const int heads = 16, headDim = 32, groups = 2, headGroups = 4, dimGroups = 4;
        var hg = new[] { 0, 1, 2, 3, 3, 2, 1, 0, 2, 2, 0, 1, 3, 1, 0, 3 };
        var bounds = new int[groups * headGroups * (dimGroups + 1)];
        var random = new Random(5);
        for (int g = 0; g < groups * headGroups; g++)
        {
            var cuts = Enumerable.Range(1, headDim - 1).OrderBy(_ => random.Next()).Take(dimGroups - 1).Order().ToArray();
            bounds[g * 5] = 0;
            for (int d = 0; d < 3; d++) bounds[g * 5 + d + 1] = cuts[d];
            bounds[g * 5 + 4] = headDim;
        }
        var table = new CrossHeadGroupTable(groups, heads / groups, headDim, headGroups, dimGroups, hg, bounds);
        for (int h = 0; h < heads; h++)
            for (int p = 0; p < headDim; p++)
                Assert.Equal(table.GroupIndex(h, p), ClusteredQuantizationReference.ScaleIndex(heads, groups, headGroups, dimGroups, hg, bounds, h, p));
    }

    [Fact]
    public void ShapeInstancesSatisfyTheKernelConstraints()
    {
        ShapeChecks.ValidateMamba1<Mamba1Tiny>();
        ShapeChecks.ValidateMamba1<Mamba1_2p8B>();
        ShapeChecks.ValidateMamba2<Mamba2Tiny>();
        ShapeChecks.ValidateMamba2<Mamba2_2p7B>();
        ShapeChecks.ValidateMamba2<Mamba2TestQ256>();
        Assert.Throws<ArgumentException>(() => ShapeChecks.ValidateMamba2<BadShape>());
        ShapeChecks.ValidateRow<Row192>();
        ShapeChecks.ValidateRow<Row256>();
        ShapeChecks.ValidateRow<Row2560>();
    }

    private struct BadShape : IMamba2Shape
    {
        public static int ModelDim => 64;
        public static int InnerDim => 128;
        public static int StateDim => 16; // not a multiple of 32
        public static int HeadDim => 32;
        public static int Heads => 4;
        public static int StateGroups => 1;
        public static int ConvWidth => 4;
        public static int ChunkSize => 64;
        public static int HeadGroups => 4;
        public static int DimGroups => 4;
    }
}
