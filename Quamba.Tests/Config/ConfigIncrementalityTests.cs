using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Quamba.Generators;
using Quamba.Tests.Generator;
using static Quamba.Tests.Config.ConfigHarness;

namespace Quamba.Tests.Config;

/// <summary>Editing a C# file leaves the config steps cached; editing the config re-reads and recompiles only that config.</summary>
public class ConfigIncrementalityTests
{
    private static IReadOnlyList<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var steps) ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList() : [];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(params InputFile[] files)
    {
        var compilation = GeneratorHarness.Compilation(("/src/Program.cs", "namespace App; public static class Program { public static int Value => 1; }"));
        var driver = Driver(files).RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.NotEmpty(driver.GetRunResult().Results.Single().GeneratedSources);
        return (driver, compilation);
    }

    [Fact]
    public void EditingAnUnrelatedFileDoesNotRegenerate()
    {
        var (driver, compilation) = FirstRun(new InputFile("/proj/quamba.json", ConfigSamples.Mamba2Tiny("Tiny", "w8a8")));
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("namespace App; public static class Program { public static int Value => 2; }", GeneratorHarness.Parse, "/src/Program.cs", cancellationToken: TestContext.Current.CancellationToken));
        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();
        foreach (var step in new[] { ConfigTrackingNames.Inputs, ConfigTrackingNames.Read, ConfigTrackingNames.Sets })
        {
            Assert.NotEmpty(Reasons(result, step));
            Assert.All(Reasons(result, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + ": " + r));
        }
        // The compile step sees the new compilation's references (same objects): it must not run again.
        Assert.All(Reasons(result, ConfigTrackingNames.Compile), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "compile: " + r));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void EditingAConfigRegeneratesOnlyThatConfig()
    {
        var a = new InputFile("/proj/a/quamba.json", ConfigSamples.Mamba2Tiny("A", "w8a8"));
        var b = new InputFile("/proj/b/quamba.json", ConfigSamples.Mamba1TinyW8A8);
        var textA = new MemoryText(a.Path, a.Text);
        var compilation = GeneratorHarness.Compilation(("/src/Program.cs", "namespace App; public static class Program { }"));
        var driver = Driver([a, b], [textA, new MemoryText(b.Path, b.Text)]).RunGenerators(compilation, TestContext.Current.CancellationToken);
        driver = driver.ReplaceAdditionalText(textA, new MemoryText(a.Path, ConfigSamples.Mamba2Tiny("A", "w4a16")));
        var result = driver.RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();
        Assert.Single(Reasons(result, ConfigTrackingNames.Compile), r => r == IncrementalStepRunReason.Modified || r == IncrementalStepRunReason.New);
        Assert.Contains("HadamardRotateKernel", string.Join(",", result.GeneratedSources.Select(s => s.HintName)));
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "QuambaPlans.A.HadamardQuantizeKernel.g.cs");
    }
}
