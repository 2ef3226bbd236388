using Quamba.Model.Models;
using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Execution;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Tokenization;
using Quamba.Model.Quantization.Recipes;
using Quamba.Tests.Model;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>Sequential GPTQ: layer 0 as plain GPTQ, later layers (and the embedding) solved on the quantized layers below.</summary>
public sealed class SequentialGptqTests
{
    [Theory]
    [InlineData("mamba1-tiny")]
    [InlineData("mamba2-tiny")]
    public void LaterLayersAreSolvedOnTheQuantizedLayersBelow(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var options = QuantizationTestModels.Options(QuantizationPrecision.W4A8, gptq: true);
        var prepared = ModelQuantizer.Prepare(TestModels.Directory(name), options, null, ct);
        var plain = ModelQuantizer.Build(prepared, null, ct);
        var sequential = ModelQuantizer.Build(prepared with { Options = options with { SequentialGptq = true } }, null, ct);
        Assert.False(plain.Manifest.SequentialGptq);
        Assert.True(sequential.Manifest.SequentialGptq);
        Assert.Equal(plain.Tensors.Keys.Order(StringComparer.Ordinal), sequential.Tensors.Keys.Order(StringComparer.Ordinal));

        bool Same(string key) => plain.Tensors[key].Bytes.AsSpan().SequenceEqual(sequential.Tensors[key].Bytes);
        // Layer 0 sees the float model either way; every later layer's inputs changed, so its GPTQ solution did.
        Assert.All(plain.Tensors.Keys.Where(k => k.StartsWith("backbone.layers.0.", StringComparison.Ordinal)), k => Assert.True(Same(k), k));
        for (int l = 1; l < plain.Config.NumLayers; l++)
            foreach (string linear in (string[])["in_proj", "out_proj"])
                Assert.False(Same($"backbone.layers.{l}.mixer.{linear}.weight"), $"layer {l} {linear}");
        // Activation scales come from the float calibration in both.
        Assert.True(Same("backbone.layers.3.mixer.out_proj.input_scale"));

        using var model = QuantizedMambaModel.Create(sequential);
        var tokens = TestModels.ReadPrompt(name, 0).InputIds;
        Assert.All(QuantizationTestModels.PrefillLogits(model, tokens), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void APassStoppedAfterItsLastLayerCollectsTheSameHessians()
    {
        // Layer 2's Hessians alone stop every Forward after layer 2; with lm_head's too the passes run to the end.
        string directory = TestModels.Directory("mamba1-tiny");
        using var model = MambaModel.Load(directory);
        var c = model.Config;
        var data = CalibrationData.Load(QuantizationTestModels.CalibrationFile, BpeTokenizer.FromFile(Path.Combine(directory, "tokenizer.json")), 5, 64);
        var hadamard = HadamardTransform.Create(c.IntermediateSize);
        var partial = new LayerRecorder(new HessianCollector(c, hadamard, [2], head: false));
        var full = new HessianCollector(c, hadamard, [2], head: true);
        var ct = TestContext.Current.CancellationToken;
        CalibrationRunner.Run(model, data, partial, null, ct);
        CalibrationRunner.Run(model, data, full, null, ct);
        Assert.Equal(2, partial.DeepestLayer); // stopped before layer 3
        var hessians = partial.Inner.Layer(2);
        Assert.Equal(5 * 64, hessians.OutProj.RowCount);
        Assert.Equal(full.Layer(2).InProj.GetHessian(), hessians.InProj.GetHessian());
        Assert.Equal(full.Layer(2).XProj!.GetHessian(), hessians.XProj!.GetHessian());
        Assert.Equal(full.Layer(2).OutProj.GetHessian(), hessians.OutProj.GetHessian());
        Assert.Equal(5 * 64, full.Head!.RowCount);
    }

    /// <summary>Records the deepest layer a forward pass reported.</summary>
    private sealed class LayerRecorder(HessianCollector inner) : IPartialActivationObserver
    {
        public HessianCollector Inner => inner;
        public int DeepestLayer { get; private set; } = -1;
        public bool Satisfied => inner.Satisfied;
        public void BeginForward(int rows) => inner.BeginForward(rows);

        public void Observe(ActivationSite site, int layer, ActivationBlock block)
        {
            DeepestLayer = Math.Max(DeepestLayer, layer);
            inner.Observe(site, layer, block);
        }
    }
}
