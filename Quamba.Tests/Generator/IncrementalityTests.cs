using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Quamba.Generators;
using static Quamba.Tests.Generator.GeneratorHarness;

namespace Quamba.Tests.Generator;

/// <summary>
/// The back end (validation, PTX, self-check) must not re-run for edits that leave a kernel's IR unchanged:
/// its tracked step reports Cached or Unchanged. (The semantic front end re-runs on every compilation change,
/// as all ForAttributeWithMetadataName transforms do; it is cheap and its output compares equal.)
/// </summary>
public class IncrementalityTests
{
    private const string KernelFile = Usings + """
        namespace Sample;

        public static partial class Kernels
        {
            // Scales every element.
            [Kernel]
            public static void Scale(DeviceSpan<float> values, float factor)
            {
                int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
                if (i < values.Length) values[i] *= factor;   // one multiply
            }

            [Kernel]
            public static void Fill(DeviceSpan<int> values) => values[Gpu.ThreadIdxX] = 7;
        }
        """;

    private const string OtherFile = "namespace Sample; public class Unrelated { public int Value => 1; }";

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = Compilation(("/src/Kernels.cs", KernelFile), ("/src/Other.cs", OtherFile));
        var driver = Driver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.Equal(2, driver.GetRunResult().Results.Single().GeneratedSources.Length);
        return (driver, compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, CSharpCompilation compilation, string path, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(newText, Parse, path));
        return driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();
    }

    private static IReadOnlyList<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static void AssertNotRecomputed(GeneratorRunResult result)
    {
        Assert.All(Reasons(result, TrackingNames.Instances), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(result, TrackingNames.Backend), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.NotEmpty(Reasons(result, TrackingNames.Backend));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void EditingAnUnrelatedFileDoesNotRecompileKernels()
    {
        var (driver, compilation) = FirstRun();
        var result = Rerun(driver, compilation, "/src/Other.cs", OtherFile.Replace("=> 1", "=> 2; public int More => 3"));
        AssertNotRecomputed(result);
    }

    [Fact]
    public void EditingACommentDoesNotRecompileKernels()
    {
        var (driver, compilation) = FirstRun();
        // Longer comments shift every later character offset but no line: the IR carries no offsets.
        var edited = KernelFile.Replace("// Scales every element.", "// Multiplies every element by the factor, in place.")
            .Replace("// one multiply", "// one multiply, with the product rounded once");
        var result = Rerun(driver, compilation, "/src/Kernels.cs", edited);
        AssertNotRecomputed(result);
    }

    [Fact]
    public void EditingAKernelBodyRecompilesOnlyThatKernel()
    {
        var (driver, compilation) = FirstRun();
        var result = Rerun(driver, compilation, "/src/Kernels.cs", KernelFile.Replace("= 7;", "= 8;"));
        var backend = Reasons(result, TrackingNames.Backend);
        Assert.Contains(IncrementalStepRunReason.Modified, backend);
        Assert.Single(backend, r => r == IncrementalStepRunReason.Modified);
        Assert.Contains("mov.u32", result.GeneratedSources.Single(s => s.HintName.Contains("FillKernel")).SourceText.ToString());
        Assert.Contains("8", result.GeneratedSources.Single(s => s.HintName.Contains("FillKernel")).SourceText.ToString());
    }

    [Fact]
    public void DiagnosticLocationsFollowEditsWithoutRecompiling()
    {
        const string warning = Usings + """
            public static partial class W
            {
                // comment
                [Kernel]
                public static void Warn(DeviceSpan<double> o, float f) { o[0] = f; }
            }
            """;
        var compilation = Compilation(("/src/W.cs", warning));
        var driver = Driver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var first = driver.GetRunResult().Diagnostics.Single(d => d.Id == "QK0011");
        var result = Rerun(driver, compilation, "/src/W.cs", warning.Replace("// comment", "// a much longer comment than before"));
        var moved = result.Diagnostics.Single(d => d.Id == "QK0011");
        Assert.Equal(first.Location.GetLineSpan().StartLinePosition, moved.Location.GetLineSpan().StartLinePosition);
        Assert.Equal(first.Location.SourceSpan.Start + "a much longer comment than before".Length - "comment".Length, moved.Location.SourceSpan.Start);
        Assert.All(Reasons(result, TrackingNames.Backend), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }
}
