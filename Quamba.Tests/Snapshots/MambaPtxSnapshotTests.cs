using System.Reflection;
using System.Text;
using Quamba.Kernels;
using Quamba.Kernels.Mamba;

namespace Quamba.Tests.Snapshots;

/// <summary>The PTX of every model-kernel instance (Quamba.Kernels.Mamba), byte for byte against Snapshots/Ptx/Mamba/*.ptx.</summary>
public class MambaPtxSnapshotTests
{
    /// <summary>Generated launcher classes of the model kernels, keyed "Outer.ClassName" (e.g. HadamardKernels.HadamardQuantizeKernel_Hadamard384).</summary>
    public static IReadOnlyDictionary<string, KernelDescriptor> MambaKernels { get; } = typeof(IMamba1Shape).Assembly.GetTypes()
        .Where(t => t.IsNested && t.IsAbstract && t.IsSealed && t.Namespace == typeof(IMamba1Shape).Namespace)
        .Select(t => (Type: t, Field: t.GetField("Descriptor", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field?.FieldType == typeof(KernelDescriptor))
        .ToDictionary(x => x.Type.DeclaringType!.Name + "." + x.Type.Name, x => (KernelDescriptor)x.Field!.GetValue(null)!);

    public static TheoryData<string> KernelNames => new(MambaKernels.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void MambaPtxMatchesSnapshot(string kernel)
    {
        var text = Encoding.UTF8.GetString(MambaKernels[kernel].Ptx);
        Assert.Contains($".visible .entry {MambaKernels[kernel].EntryPoint}(", text);
        Snapshot.Match(text, Path.Combine("Ptx", "Mamba", kernel + ".ptx"));
    }

    [Fact]
    public void EveryMambaSnapshotBelongsToAKernel()
    {
        var directory = Path.Combine(Snapshot.SourceDirectory(ThisFile()), "Ptx", "Mamba");
        if (!Directory.Exists(directory)) return;
        var stale = Directory.GetFiles(directory, "*.ptx")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !name!.EndsWith(".received", StringComparison.Ordinal) && !MambaKernels.ContainsKey(name!))
            .ToList();
        Assert.True(stale.Count == 0, "Snapshots without a kernel (delete them): " + string.Join(", ", stale));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
