using Quamba.Tests.Snapshots;

namespace Quamba.Tests.Config;

/// <summary>
/// The generated C# (shape structs, launchers, plan) and PTX of each reference config, byte for byte
/// (Snapshots/Config/&lt;Name&gt;/). Accept intended changes with QUAMBA_ACCEPT_SNAPSHOTS=1 and review the diff.
/// </summary>
public class ConfigSnapshotTests
{
    public static TheoryData<string> Configs => new(
        "Mamba1TinyW8A8", "Mamba2TinyW8A8", "Mamba2TinyW4A8", "Mamba2TinyW4A16", "Mamba130mW8A8", "Mamba2p8bW8A8", "Mamba2_2p7bW4A8", "Mamba2_8bW4AX");

    public static string Json(string name) => name switch
    {
        "Mamba1TinyW8A8" => ConfigSamples.Mamba1TinyW8A8,
        "Mamba2TinyW8A8" => ConfigSamples.Mamba2Tiny(name, "w8a8"),
        "Mamba2TinyW4A8" => ConfigSamples.Mamba2Tiny(name, "w4a8"),
        "Mamba2TinyW4A16" => ConfigSamples.Mamba2Tiny(name, "w4a16"),
        "Mamba130mW8A8" => ConfigSamples.Mamba130mW8A8,
        "Mamba2p8bW8A8" => ConfigSamples.Mamba2p8bW8A8,
        "Mamba2_2p7bW4A8" => ConfigSamples.Mamba2_2p7bW4A8,
        "Mamba2_8bW4AX" => ConfigSamples.Mamba2_8bW4AX(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void GeneratedCodeAndPtx(string name)
    {
        var result = ConfigHarness.RunConfig(Json(name), "/proj/" + name + "/quamba.json");
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Contains(result.Sources, s => s.HintName == "QuambaPlans." + name + ".g.cs");
        Assert.Contains(result.Sources, s => s.HintName.EndsWith("Kernel.g.cs", StringComparison.Ordinal));
        foreach (var source in result.Sources)
        {
            var text = source.SourceText.ToString();
            bool snapshotted = !source.HintName.EndsWith("Kernel.g.cs", StringComparison.Ordinal) || SnapshottedKernels.Any(k => source.HintName.EndsWith("." + k + ".g.cs", StringComparison.Ordinal));
            int start = text.IndexOf("\"\"\"\n", StringComparison.Ordinal);
            string ptxSnapshot = source.HintName.Replace(".g.cs", ".ptx");
            if (snapshotted) Snapshot.Match(WithoutPtx(text, start, ptxSnapshot), "Snapshots/" + name + "/" + source.HintName.Replace(".g.cs", ".cs.txt"));
            if (start < 0) continue;
            var ptx = ExtractPtx(text, start + 4);
            Assert.Contains("\n.version ", ptx);
            Assert.Contains(".visible .entry ", ptx);
            if (snapshotted) Snapshot.Match(ptx, "Snapshots/" + name + "/" + ptxSnapshot);
        }
    }

    /// <summary>
    /// Launchers snapshotted per config: the Hadamard kernels. The other library kernels (conv, scans, norms) are
    /// checked to compile to PTX here; their PTX per shape is snapshotted once, for the library's own instances, by
    /// MambaPtxSnapshotTests (a copy per config would add megabytes of identical-but-for-constants text).
    /// </summary>
    private static readonly string[] SnapshottedKernels = ["HadamardQuantizeKernel", "HadamardRotateKernel"];

    /// <summary>
    /// The generated C# with the PTX literal's lines replaced by the name of its own snapshot (where it is compared
    /// byte for byte), so the repository does not hold each module twice.
    /// </summary>
    private static string WithoutPtx(string source, int start, string ptxSnapshot)
    {
        if (start < 0) return source;
        int end = source.IndexOf("\"\"\"u8", start, StringComparison.Ordinal);
        int lineStart = source.LastIndexOf('\n', end) + 1;
        return source.Substring(0, start + 4) + "(the PTX module: " + ptxSnapshot + ")\n" + source.Substring(lineStart);
    }

    private static string ExtractPtx(string source, int start)
    {
        int end = source.IndexOf("\"\"\"u8", start, StringComparison.Ordinal);
        var lines = source.Substring(start, end - start).Split('\n');
        int indent = lines[0].TakeWhile(c => c == ' ').Count();
        var text = string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart(' '))).TrimEnd(' ');
        // A raw literal's value ends before the newline that precedes its closing delimiter.
        return text.EndsWith('\n') ? text.Substring(0, text.Length - 1) : text;
    }
}
