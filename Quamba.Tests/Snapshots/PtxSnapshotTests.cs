using System.Reflection;
using System.Text;
using Quamba.Kernels;
using Quamba.TestKernels.Cases;

namespace Quamba.Tests.Snapshots;

/// <summary>The PTX of every corpus kernel, byte for byte against Snapshots/Ptx/*.ptx.</summary>
public class PtxSnapshotTests
{
    /// <summary>
    /// Generated launcher classes: nested static classes with a KernelDescriptor field, keyed "Outer.ClassName". Only the
    /// corpus's (Quamba.TestKernels.Kernels): the reference configs' launchers (Quamba.Generated) are the config snapshots'.
    /// </summary>
    public static IReadOnlyDictionary<string, KernelDescriptor> CorpusKernels { get; } = typeof(CaseCatalog).Assembly.GetTypes()
        .Where(t => t.IsNested && t.IsAbstract && t.IsSealed && t.Namespace == typeof(Quamba.TestKernels.Kernels.Elementwise).Namespace)
        .Select(t => (Type: t, Field: t.GetField("Descriptor", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field?.FieldType == typeof(KernelDescriptor))
        .ToDictionary(x => x.Type.DeclaringType!.Name + "." + x.Type.Name, x => (KernelDescriptor)x.Field!.GetValue(null)!);

    public static TheoryData<string> KernelNames => new(CorpusKernels.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void PtxMatchesSnapshot(string kernel)
    {
        Snapshot.Match(Encoding.UTF8.GetString(CorpusKernels[kernel].Ptx), Path.Combine("Ptx", kernel + ".ptx"));
    }

    [Fact]
    public void EverySnapshotBelongsToAKernel()
    {
        var directory = Path.Combine(Snapshot.SourceDirectory(ThisFile()), "Ptx");
        var stale = Directory.GetFiles(directory, "*.ptx")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !name!.EndsWith(".received", StringComparison.Ordinal) && !CorpusKernels.ContainsKey(name!))
            .ToList();
        Assert.True(stale.Count == 0, "Snapshots without a kernel (delete them): " + string.Join(", ", stale));
    }

    [Fact]
    public void CorpusHasAtLeastTwentyFiveKernels() => Assert.True(CorpusKernels.Count >= 25, $"only {CorpusKernels.Count} kernels");

    [Fact]
    public void DescriptorsAgreeWithThePtxHeader()
    {
        foreach (var (name, descriptor) in CorpusKernels)
        {
            var text = Encoding.UTF8.GetString(descriptor.Ptx);
            Assert.Contains($".target sm_{descriptor.MinimumSm}\n", text);
            Assert.Contains($".version {descriptor.PtxVersion / 10}.{descriptor.PtxVersion % 10}\n", text);
            Assert.Contains($".visible .entry {descriptor.EntryPoint}(", text);
            Assert.DoesNotContain("\r", text);
            Assert.False(text.Contains('\0'), name + " has a NUL inside its PTX");
        }
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
