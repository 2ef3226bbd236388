using Microsoft.CodeAnalysis;
using Quamba.Generators.Common;
using Quamba.Tests.Generator;
using static Quamba.Tests.Config.ConfigHarness;

namespace Quamba.Tests.Config;

/// <summary>One test per config diagnostic: its ID, the file, the exact line and column, and that errors generate nothing.</summary>
public class ConfigDiagnosticTests
{
    private const string Path = "/proj/quamba.json";

    /// <summary>Runs marked JSON (<c>$$</c> = where the diagnostic must start) and returns the diagnostic found there.</summary>
    private static Diagnostic Expect(string markedJson, string id, string path = Path, params InputFile[] others)
    {
        var markup = new Markup(markedJson);
        var result = Run([new InputFile(Path, markup.Source), .. others]);
        var (line, column) = markup.LineColumn(0);
        var matching = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count > 0, $"no {id}; got: " + string.Join("\n", result.Diagnostics));
        var at = matching.FirstOrDefault(d => d.Location.GetLineSpan().StartLinePosition.Line == line && d.Location.GetLineSpan().StartLinePosition.Character == column);
        Assert.True(at is not null, $"{id} expected at {line + 1}:{column + 1}, reported at " +
            string.Join(", ", matching.Select(d => d.Location.GetLineSpan().Path + ":" + (d.Location.GetLineSpan().StartLinePosition.Line + 1) + ":" + (d.Location.GetLineSpan().StartLinePosition.Character + 1))));
        Assert.Equal(path, at!.Location.GetLineSpan().Path);
        if (at.Severity == DiagnosticSeverity.Error) Assert.Empty(result.Sources);
        else Assert.NotEmpty(result.Sources);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "QC0013");
        return at;
    }

    private const string Mamba2Shape = "\"shape\": { \"d_model\": 256, \"d_state\": 32, \"headdim\": 32, \"ngroups\": 2, \"chunk_size\": 64, \"n_layer\": 6, \"vocab_size\": 4096 }";

    [Fact]
    public void QC0001_InvalidJsonPointsAtTheCharacter()
    {
        var d = Expect("{\n  \"architecture\": \"mamba2\",\n  $$]\n}", "QC0001");
        Assert.Contains("expected a property name", d.GetMessage());
    }

    [Fact]
    public void QC0001_MissingComma()
    {
        var d = Expect("{\n  \"architecture\": \"mamba2\"\n  $$\"precision\": \"w8a8\"\n}", "QC0001");
        Assert.Contains("expected ',' or '}'", d.GetMessage());
    }

    [Fact]
    public void QC0001_UnterminatedObject() => Expect("$${ \"architecture\": \"mamba2\",", "QC0001");

    [Fact]
    public void QC0001_EmptyFile() => Expect("$$", "QC0001");

    [Fact]
    public void QC0002_UnknownKeySuggestsTheNearest()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", " + Mamba2Shape + ",\n  $$\"presicion\": \"w8a8\" }", "QC0002");
        Assert.Contains("did you mean 'precision'", d.GetMessage());
    }

    [Fact]
    public void QC0002_UnknownShapeKey()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", \"precision\": \"w8a8\",\n \"shape\": { \"d_model\": 256, $$\"n_layers\": 6, \"vocab_size\": 4096 } }", "QC0002");
        Assert.Contains("did you mean 'n_layer'", d.GetMessage());
    }

    [Fact]
    public void QC0003_WrongType()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", \"precision\": \"w8a8\",\n \"shape\": { \"d_model\": $$\"256\", \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0003");
        Assert.Contains("'shape.d_model' must be a positive integer", d.GetMessage());
        Assert.Contains("the string \"256\"", d.GetMessage());
    }

    [Fact]
    public void QC0003_NegativeSize() => Expect("{ \"architecture\": \"mamba1\", \"precision\": \"w8a8\",\n \"shape\": { \"d_model\": 256, \"n_layer\": $$-2, \"vocab_size\": 4096 } }", "QC0003");

    [Fact]
    public void QC0004_UnknownPrecisionListsTheValidOnes()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", " + Mamba2Shape + ",\n  \"precision\": $$\"w3a8\" }", "QC0004");
        Assert.Contains("fp16, w8a8, w4a8 or w4a16", d.GetMessage());
    }

    [Fact]
    public void QC0004_UnknownPrecisionInTheLayerList() =>
        Expect("{ \"architecture\": \"mamba2\", " + Mamba2Shape + ",\n  \"precision\": [\"w4a8\", \"w4a8\", $$\"w4a4\", \"w4a8\", \"w4a8\", \"w4a8\"] }", "QC0004");

    [Fact]
    public void QC0004_UnknownArchitecture() => Expect("{ \"architecture\": $$\"mamba3\", " + Mamba2Shape + ", \"precision\": \"w8a8\" }", "QC0004");

    [Fact]
    public void QC0004_UnknownTarget()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", " + Mamba2Shape + ", \"precision\": \"w8a8\",\n \"targets\": [\"sm_80\", $$\"sm_81\"] }", "QC0004");
        Assert.Contains("sm_90", d.GetMessage());
    }

    [Fact]
    public void QC0005_MissingPrecisionPointsAtTheObject() => Expect("$${ \"architecture\": \"mamba2\", " + Mamba2Shape + " }", "QC0005");

    [Fact]
    public void QC0005_NeitherShapeNorCheckpoint() => Expect("$${ \"architecture\": \"mamba2\", \"precision\": \"w8a8\" }", "QC0005");

    [Fact]
    public void QC0006_HeadDimMustDivideTheInnerWidth()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", \"precision\": \"w8a8\",\n \"shape\": { \"d_model\": 256, \"headdim\": $$48, \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0006");
        Assert.Contains("does not divide the inner width 512", d.GetMessage());
    }

    [Fact]
    public void QC0006_HeadsMustDivideIntoGroups()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", \"precision\": \"w8a8\",\n \"shape\": { \"d_model\": 256, \"headdim\": 32, \"ngroups\": $$3, \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0006");
        Assert.Contains("16 heads", d.GetMessage());
    }

    [Fact]
    public void QC0006_LayerListLengthMustMatchNLayer()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", " + Mamba2Shape + ",\n  \"precision\": $$[\"w4a8\", \"w4a16\"] }", "QC0006");
        Assert.Contains("2 entries but the model has 6 layers", d.GetMessage());
    }

    [Fact]
    public void QC0006_WeightGroupsMustDivideTheWidths() =>
        Expect("{ \"architecture\": \"mamba1\", \"precision\": \"w4a8\", \"weight_group_size\": $$128,\n \"shape\": { \"d_model\": 192, \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0006");

    [Fact]
    public void QC0006_ShapeAndCheckpointTogether() =>
        Expect("{ \"architecture\": \"mamba2\", \"precision\": \"w8a8\", \"checkpoint\": \"c.json\",\n $$\"shape\": { \"d_model\": 256, \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0006");

    [Fact]
    public void QC0007_WidthWithoutHadamard()
    {
        // d_inner = 2 x 352 = 704 = 11 x 64: no m x 2^k with m in 1, 12, 20, 28, 40.
        var d = Expect("{ \"architecture\": \"mamba1\", \"precision\": \"w8a8\",\n \"shape\": { \"d_model\": $$352, \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0007");
        Assert.Contains("704", d.GetMessage());
        Assert.Contains("nearest: 640 or 768", d.GetMessage());
    }

    [Fact]
    public void QC0007_NotReportedForFp16()
    {
        var result = RunConfig("{ \"architecture\": \"mamba1\", \"precision\": \"fp16\", \"shape\": { \"d_model\": 352, \"n_layer\": 6, \"vocab_size\": 4096 } }");
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void QC0008_CheckpointNotAnInput()
    {
        var d = Expect("{ \"precision\": \"w8a8\", \"checkpoint\": $$\"../models/tiny/config.json\" }", "QC0008");
        Assert.Contains("/models/tiny/config.json", d.GetMessage());
    }

    [Fact]
    public void QC0009_CheckpointErrorsPointIntoTheCheckpoint()
    {
        var checkpoint = new InputFile("/proj/ckpt/config.json", "{\n  \"model_type\": \"mamba2\",\n  \"hidden_size\": \"wide\"\n}", "checkpoint");
        var result = Run(new InputFile(Path, "{ \"precision\": \"w8a8\", \"checkpoint\": \"ckpt/config.json\" }"), checkpoint);
        var d = Assert.Single(result.Diagnostics, d => d.Id == "QC0009" && d.GetMessage().Contains("hidden_size"));
        Assert.Equal("/proj/ckpt/config.json", d.Location.GetLineSpan().Path);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(17, d.Location.GetLineSpan().StartLinePosition.Character);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void QC0010_DuplicateNames()
    {
        var a = new InputFile("/proj/a/quamba.json", ConfigSamples.Mamba2Tiny("Same", "w8a8"));
        var b = new InputFile("/proj/b/quamba.json", ConfigSamples.Mamba2Tiny("Same", "w4a8"));
        var result = Run(a, b);
        var d = Assert.Single(result.Diagnostics, d => d.Id == "QC0010");
        Assert.Equal("/proj/b/quamba.json", d.Location.GetLineSpan().Path);
        Assert.Contains("/proj/a/quamba.json", d.GetMessage());
        Assert.Single(result.Sources, s => s.HintName == "QuambaPlans.Same.g.cs");
    }

    [Fact]
    public void QC0010_NameWithNoIdentifier() => Expect("{ \"name\": $$\"--\", \"architecture\": \"mamba2\", " + Mamba2Shape + ", \"precision\": \"w8a8\" }", "QC0010");

    [Fact]
    public void QC0011_DuplicateKey()
    {
        var d = Expect("{ \"architecture\": \"mamba2\", " + Mamba2Shape + ",\n \"precision\": \"w8a8\",\n $$\"precision\": \"w4a8\" }", "QC0011");
        Assert.Contains("first at line 2", d.GetMessage());
    }

    [Fact]
    public void QC0012_SettingWithNoEffectIsAWarning()
    {
        var d = Expect("{ \"architecture\": \"mamba1\", \"precision\": \"w8a8\", \"head_groups\": $$2,\n \"shape\": { \"d_model\": 192, \"n_layer\": 6, \"vocab_size\": 4096 } }", "QC0012");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void QC0013_AnExceptionInTheReaderIsADiagnosticNotACrash()
    {
        TestHooks.BeforeStage.Value = stage => { if (stage == "ConfigRead") throw new InvalidOperationException("injected"); };
        try
        {
            var result = RunConfig(ConfigSamples.Mamba2Tiny("T", "w8a8"));
            var d = Assert.Single(result.Diagnostics, d => d.Id == "QC0013");
            Assert.Contains("injected", d.GetMessage());
            Assert.Empty(result.Sources);
        }
        finally
        {
            TestHooks.BeforeStage.Value = null;
        }
    }
}
