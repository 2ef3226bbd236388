using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Transforms;
using Quamba.Model.Tokenization;
using Quamba.Tests.Checkpoints;
using Quamba.Tests.Model;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>
/// The offline transforms keep the float model's function: folding gamma into in_proj and Quamba2's reordering change
/// only float summation orders, so logits agree within 1e-5 relative (max |difference| / max |logit|). A wrong
/// permutation (a row moved without its column, a head leaving its state group) changes logits by O(1).
/// </summary>
public sealed class TransformTests
{
    private const double Invariant = 1e-5;

    public static TheoryData<string> Models => new() { "mamba1-tiny", "mamba2-tiny" };

    private static float[] Logits(string directory, int[] tokens)
    {
        using var model = MambaModel.Load(directory);
        return QuantizationTestModels.PrefillLogits(model, tokens);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FoldingNormGammaIntoInProjKeepsTheLogits(string name)
    {
        var tokens = TestModels.ReadPrompt(name, 0).InputIds;
        var checkpoint = FloatCheckpoint.Load(TestModels.Directory(name));
        NormFolding.Apply(checkpoint);
        Assert.All(Enumerable.Range(0, checkpoint.Config.NumLayers), l => Assert.All(checkpoint[FloatCheckpoint.LayerNorm(l)], g => Assert.Equal(1f, g)));
        using var folded = new TempDirectory();
        checkpoint.Write(folded.Path);
        double error = QuantizationTestModels.RelativeError(Logits(TestModels.Directory(name), tokens), Logits(folded.Path, tokens));
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: relative logit error {error:E2} after folding");
        Assert.True(error <= Invariant, $"relative logit error {error:E2} after folding");
    }

    [Fact]
    public void Mamba2SortAndClusterReorderingKeepsTheLogits()
    {
        string name = "mamba2-tiny", directory = TestModels.Directory(name);
        var config = ModelConfig.Load(directory);
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(directory, "tokenizer.json"));
        var data = CalibrationData.Load(QuantizationTestModels.CalibrationFile, tokenizer, samples: 2, length: 128);
        var statistics = new ChannelStatisticsCollector(config);
        using (var model = MambaModel.Load(directory))
            CalibrationRunner.Run(model, data, statistics, null, TestContext.Current.CancellationToken);

        var checkpoint = FloatCheckpoint.Load(directory);
        int movedHeads = 0, movedChannels = 0;
        for (int l = 0; l < config.NumLayers; l++)
        {
            var clustering = SortAndCluster.ClusterLayer(statistics.Statistics(l), config.NumHeads, config.HeadDim, config.NGroups);
            movedHeads += clustering.HeadPermutation.Where((old, i) => old != i).Count();
            movedChannels += clustering.ChannelPermutation.Where((old, i) => old != i).Count();
            // Heads never leave their state group (the property the invariance rests on).
            int perGroup = config.NumHeads / config.NGroups;
            Assert.All(Enumerable.Range(0, config.NumHeads), h => Assert.Equal(h / perGroup, clustering.HeadPermutation[h] / perGroup));
            Mamba2Reordering.Apply(checkpoint, l, clustering);
        }
        // The test is only meaningful if the permutations actually move things.
        Assert.True(movedHeads > 0 && movedChannels > config.IntermediateSize, $"{movedHeads} heads, {movedChannels} channels moved");

        using var reordered = new TempDirectory();
        checkpoint.Write(reordered.Path);
        var tokens = TestModels.ReadPrompt(name, 0).InputIds;
        double error = QuantizationTestModels.RelativeError(Logits(directory, tokens), Logits(reordered.Path, tokens));
        TestContext.Current.TestOutputHelper?.WriteLine($"relative logit error {error:E2} after reordering");
        Assert.True(error <= Invariant, $"relative logit error {error:E2} after reordering");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheObservationHookSeesEveryQuantizationPointAndChangesNothing(string name)
    {
        var tokens = TestModels.ReadPrompt(name, 0).InputIds;
        using var model = MambaModel.Load(TestModels.Directory(name));
        var plain = QuantizationTestModels.PrefillLogits(model, tokens);
        var recorder = new SiteRecorder();
        model.ActivationObserver = recorder;
        var observed = QuantizationTestModels.PrefillLogits(model, tokens);
        model.ActivationObserver = null;

        Assert.Equal(plain, observed); // bit-identical: the hook only reads
        var c = model.Config;
        bool mamba1 = c.Architecture == MambaArchitecture.Mamba1;
        var expected = new Dictionary<ActivationSite, int>
        {
            [ActivationSite.MixerInput] = c.HiddenSize,
            [ActivationSite.InProjOutput] = c.InProjRows,
            [ActivationSite.ConvOutput] = c.ConvChannels,
            [ActivationSite.OutProjInput] = c.IntermediateSize,
        };
        if (mamba1) expected[ActivationSite.XProjOutput] = c.TimeStepRank + 2 * c.StateSize;
        foreach (var (site, width) in expected)
            for (int l = 0; l < c.NumLayers; l++)
                Assert.Equal((width, tokens.Length), recorder.Seen[(site, l)]);
        Assert.Equal((c.HiddenSize, tokens.Length), recorder.Seen[(ActivationSite.HeadInput, -1)]);
    }

    private sealed class SiteRecorder : IActivationObserver
    {
        public Dictionary<(ActivationSite, int), (int Width, int Rows)> Seen { get; } = [];

        public void Observe(ActivationSite site, int layer, ActivationBlock block) => Seen[(site, layer)] = (block.Width, block.Batch * block.Length);
    }
}
