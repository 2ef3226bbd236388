using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Execution;
using Quamba.Model.Quantization.Recipes;
using Quamba.Tests.Model;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>The tied embedding / lm_head: GPTQ with the Hessian of lm_head's input, or 8-bit rows.</summary>
public sealed class HeadQuantizationTests
{
    private const string Name = "mamba2-tiny";

    private static float[] Table(QuantizedCheckpoint q, string embeddingName)
    {
        var c = q.Config;
        return new StoredTensorReader(q).Linear(embeddingName[..^".weight".Length], q.Manifest.Head.Embedding, c.VocabSize, c.HiddenSize, 1f, "head.embedding").DequantizeWeights();
    }

    [Fact]
    public void WithGptqTheTiedEmbeddingIsSolvedForLmHeadsInput()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = QuantizationTestModels.Options(QuantizationPrecision.W4A16, gptq: true);
        var prepared = ModelQuantizer.Prepare(TestModels.Directory(Name), options, null, ct);
        var gptq = ModelQuantizer.Build(prepared, null, ct);
        var rtn = ModelQuantizer.Build(prepared with { Options = options with { EmbeddingGptq = false } }, null, ct);

        Assert.Equal(("int4", 128, "gptq"), (gptq.Manifest.Head.Embedding.Format, gptq.Manifest.Head.Embedding.GroupSize!.Value, gptq.Manifest.Head.Embedding.Method));
        Assert.Equal(("int4", 128, "rtn"), (rtn.Manifest.Head.Embedding.Format, rtn.Manifest.Head.Embedding.GroupSize!.Value, rtn.Manifest.Head.Embedding.Method));
        // Only the table differs; it keeps its layout (same tensors, shapes, bytes).
        Assert.Equal(rtn.Tensors.Keys.Order(StringComparer.Ordinal), gptq.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in rtn.Tensors)
        {
            Assert.Equal(tensor.Shape, gptq.Tensors[key].Shape);
            if (!key.StartsWith(prepared.Transformed.EmbeddingName[..^"weight".Length], StringComparison.Ordinal))
                Assert.True(tensor.Bytes.AsSpan().SequenceEqual(gptq.Tensors[key].Bytes), $"{key} differs");
        }

        // GPTQ lowers lm_head's error on the calibration inputs (it was solved on that Hessian, dampened).
        var c = prepared.Transformed.Config;
        double[] h = prepared.Collector!.Hessians!.Head!.GetHessian();
        string name = prepared.Transformed.EmbeddingName;
        float[] w = prepared.Transformed[name];
        double eGptq = QuantTestData.HessianWeightedError(h, w, Table(gptq, name), c.VocabSize, c.HiddenSize);
        double eRtn = QuantTestData.HessianWeightedError(h, w, Table(rtn, name), c.VocabSize, c.HiddenSize);
        Assert.True(eGptq < 0.9 * eRtn, $"lm_head error with GPTQ {eGptq} is not 10% below RTN's {eRtn}");
    }

    [Fact]
    public void AnEightBitEmbeddingRunsWithFourBitLayers()
    {
        var options = QuantizationTestModels.Options(QuantizationPrecision.W4A8, gptq: true) with { EmbeddingBits = 8 };
        var q = ModelQuantizer.Quantize(TestModels.Directory(Name), options, cancellationToken: TestContext.Current.CancellationToken);
        var e = q.Manifest.Head.Embedding;
        Assert.Equal(("int8", "per_output_channel", "gptq"), (e.Format, e.Granularity, e.Method));
        Assert.All(q.Manifest.Layers, l => Assert.Equal("int4", l.Linears["in_proj"].Format));
        using var model = QuantizedMambaModel.Create(q);
        var tokens = TestModels.ReadPrompt(Name, 0).InputIds;
        Assert.All(QuantizationTestModels.PrefillLogits(model, tokens), v => Assert.True(float.IsFinite(v)));
    }
}
