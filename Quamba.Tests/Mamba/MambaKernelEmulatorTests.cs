using Quamba.TestKernels.Cases;
using Quamba.TestKernels.Mamba;

namespace Quamba.Tests.Mamba;

/// <summary>Every model-kernel case (Quamba.Kernels.Mamba) on the CPU emulator against its C# reference.</summary>
public class MambaKernelEmulatorTests
{
    public static TheoryData<string> CaseNames => new(MambaCaseCatalog.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MambaKernelMatchesReferenceOnTheEmulator(string name)
    {
        var kernelCase = MambaCaseCatalog.All.Single(c => c.Name == name);
        var actual = kernelCase.RunEmulator();
        var problems = CaseComparison.Compare(kernelCase.Expected(), actual, kernelCase.EmulatorTolerance);
        Assert.True(problems.Count == 0, $"{name} ({kernelCase.Kernel}), tolerance {kernelCase.EmulatorTolerance}:\n" + string.Join("\n", problems));
    }
}
