using Quamba.TestKernels.Cases;
using Quamba.TestKernels.Mamba;

namespace Quamba.Tests.Mamba;

/// <summary>Every model-kernel case (Quamba.Kernels.Mamba) on the CPU emulator against its C# reference.</summary>
public class MambaKernelEmulatorTests
{
    public static TheoryData<string> CaseNames => new(MambaCaseCatalog.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MambaKernelMatchesReferenceOnTheEmulator(string name) => AssertMatchesReferenceOnTheEmulator(MambaCaseCatalog.All.Single(c => c.Name == name));

    /// <summary>Runs a case on the emulator and compares with its reference under the case's emulator tolerance.</summary>
    internal static void AssertMatchesReferenceOnTheEmulator(KernelCase kernelCase)
    {
        var actual = kernelCase.RunEmulator();
        var problems = CaseComparison.Compare(kernelCase.Expected(), actual, kernelCase.EmulatorTolerance);
        Assert.True(problems.Count == 0, $"{kernelCase.Name} ({kernelCase.Kernel}), tolerance {kernelCase.EmulatorTolerance}:\n" + string.Join("\n", problems));
        if (kernelCase.EmulatorTolerance.Codes > 0) AssertOffByOneCodesAreRare(kernelCase.Name, kernelCase.Expected(), actual);
    }

    /// <summary>Where codes or stored fp16 values may move by one unit (sums in another order), at most 1% of them do.</summary>
    private static void AssertOffByOneCodesAreRare(string name, IReadOnlyList<CaseOutput> expected, IReadOnlyList<CaseOutput> actual)
    {
        for (int o = 0; o < expected.Count; o++)
        {
            if (expected[o].Values is not (sbyte[] or Half[])) continue;
            var e = expected[o].Values;
            var a = actual[o].Values;
            int moved = Enumerable.Range(0, e.Length).Count(i => !Equals(e.GetValue(i), a.GetValue(i)));
            Assert.True(moved <= e.Length / 100, $"{name}/{expected[o].Name}: {moved} of {e.Length} values differ by one unit");
        }
    }
}
