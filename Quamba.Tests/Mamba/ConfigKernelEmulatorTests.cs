using System.Text.Json.Nodes;
using Quamba.Tests.Config;
using Quamba.Tests.Snapshots;
using Quamba.TestKernels.Mamba;

namespace Quamba.Tests.Mamba;

/// <summary>
/// Every kernel of every reference config (Quamba.TestKernels/Configs, compiled by the config generator) on the CPU
/// emulator against its reference, through the config's generated launchers (<see cref="ConfigCaseCatalog"/>).
/// </summary>
public class ConfigKernelEmulatorTests
{
    public static TheoryData<string> CaseNames => new(ConfigCaseCatalog.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ConfigKernelMatchesReferenceOnTheEmulator(string name) =>
        MambaKernelEmulatorTests.AssertMatchesReferenceOnTheEmulator(ConfigCaseCatalog.All.Single(c => c.Name == name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ExpectedOutputsAreInformative(string name) =>
        MambaCaseSanityTests.AssertExpectedOutputsAreInformative(ConfigCaseCatalog.All.Single(c => c.Name == name));

    /// <summary>No launcher is left out: each generated launcher class of each config is run by exactly one case.</summary>
    [Fact]
    public void EveryGeneratedLauncherRunsInACase()
    {
        Assert.True(ConfigCaseCatalog.Problems.Count == 0, string.Join("\n", ConfigCaseCatalog.Problems));
        foreach (var config in ConfigCaseCatalog.Configs)
        {
            var run = ConfigCaseCatalog.All.Where(c => c.Config == config.Name).SelectMany(c => c.Launchers).ToList();
            Assert.Equal(run.Count, run.Distinct().Count());
            Assert.Equal(config.Launchers.Select(l => l.Name).Order(StringComparer.Ordinal), run.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>The compiled configs are the snapshot configs, with the same JSON (so the snapshots' instances are the ones run).</summary>
    [Fact]
    public void ConfigsAreTheSnapshotConfigs()
    {
        var names = ConfigSnapshotTests.Configs.Select(row => (string)row.Data).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names, ConfigCaseCatalog.Configs.Select(c => c.Name).ToArray());
        foreach (var name in names)
        {
            var file = Path.Combine(Snapshot.RepositoryRoot(), "Quamba.TestKernels", "Configs", name + ".quamba.json");
            var compiled = JsonNode.Parse(File.ReadAllText(file));
            var snapshot = JsonNode.Parse(ConfigSnapshotTests.Json(name));
            Assert.True(JsonNode.DeepEquals(compiled, snapshot), $"{file} differs from the snapshot config {name} (ConfigSamples.cs)");
        }
    }
}
