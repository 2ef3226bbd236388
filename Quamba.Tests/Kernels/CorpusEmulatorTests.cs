using Quamba.TestKernels.Cases;

namespace Quamba.Tests.Kernels;

/// <summary>
/// Every corpus case on the CPU emulator against its plain C# expectation. (The model kernels' cases run in
/// Quamba.Tests.Mamba.MambaKernelEmulatorTests.)
/// </summary>
public class CorpusEmulatorTests
{
    public static TheoryData<string> CaseNames => new(CaseCatalog.Corpus.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EmulatorMatchesExpectation(string name)
    {
        var kernelCase = CaseCatalog.Get(name);
        var actual = kernelCase.RunEmulator();
        var problems = CaseComparison.Compare(kernelCase.Expected(), actual, kernelCase.EmulatorTolerance);
        Assert.True(problems.Count == 0, $"{name} ({kernelCase.Kernel}), tolerance {kernelCase.EmulatorTolerance}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void CatalogNamesAreUnique()
    {
        var names = CaseCatalog.All.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
