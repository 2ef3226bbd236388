using Quamba.Compiler;
using Quamba.Kernels.Plans;

namespace Quamba.Tests.Config;

/// <summary>
/// A config gets each scan / SSD kernel once, compiled for its state precision, an A16 one only when a layer has fp16
/// activations; the plan gives each layer the instance of its activation precision (the gated norm too: int8 or fp16 z);
/// the int8 state's scale tables.
/// </summary>
public class StatePrecisionPlanTests
{
    [Fact]
    public void MixedMamba2LayersGetTheirScanForTheConfigsStatePrecision()
    {
        var set = Compile("""
            { "name": "MixedState", "architecture": "mamba2", "state_precision": "fp16",
              "shape": { "d_model": 256, "expand": 2, "d_state": 32, "headdim": 32, "ngroups": 2, "chunk_size": 64, "n_layer": 4, "vocab_size": 4096 },
              "precision": ["w8a8", "w4a8", "w4a16", "fp16"] }
            """);
        Assert.Equal(StatePrecision.Fp16, set.Plan.StatePrecision);
        foreach (var step in new[] { "Mamba2SsdKernels.Mamba2SsdPrefill", "Mamba2SsdKernels.Mamba2SsdStep" })
        {
            string method = step.Substring(step.IndexOf('.') + 1);
            Assert.Equal(2, set.Kernels.Count(k => k.Step == step));
            Assert.Equal($"Mamba2SsdKernels_{method}_Shape_Fp16State", set.Plan.KernelFor(step, 0)!.EntryPoint);
            Assert.Equal($"Mamba2SsdKernels_{method}_Shape_Fp16State", set.Plan.KernelFor(step, 1)!.EntryPoint);
            Assert.Equal($"Mamba2SsdKernels_{method}A16_Shape_Fp16State", set.Plan.KernelFor(step, 2)!.EntryPoint);
            Assert.Equal($"Mamba2SsdKernels_{method}A16_Shape_Fp16State", set.Plan.KernelFor(step, 3)!.EntryPoint);
        }
        const string gated = "RmsNormKernels.GatedRmsNorm";
        Assert.Equal(["RmsNormKernels_GatedRmsNorm_Shape", "RmsNormKernels_GatedRmsNorm_Shape", "RmsNormKernels_GatedRmsNormA16_Shape", "RmsNormKernels_GatedRmsNormA16_Shape"],
            Enumerable.Range(0, 4).Select(layer => set.Plan.KernelFor(gated, layer)!.EntryPoint));
        Assert.DoesNotContain(set.Plan.ScaleTables(0), t => t.Name == "ssm_state_scales");
    }

    [Fact]
    public void Mamba1DefaultsToAnInt8StateWithPerStateIndexScalesOnEveryLayer()
    {
        var set = Compile("""
            { "name": "Mamba1Mixed", "architecture": "mamba1", "weight_group_size": 64,
              "shape": { "d_model": 192, "d_inner": 384, "d_state": 16, "dt_rank": 12, "n_layer": 3, "vocab_size": 4096 },
              "precision": ["w8a8", "w4a16", "fp16"] }
            """);
        Assert.Equal(StatePrecision.Int8, set.Plan.StatePrecision);
        Assert.Equal("Mamba1ScanKernels_Mamba1ScanStep_Shape_Int8State", set.Plan.KernelFor("Mamba1ScanKernels.Mamba1ScanStep", 0)!.EntryPoint);
        Assert.Equal("Mamba1ScanKernels_Mamba1ScanStepA16_Shape_Int8State", set.Plan.KernelFor("Mamba1ScanKernels.Mamba1ScanStep", 1)!.EntryPoint);
        Assert.Equal("Mamba1ScanKernels_Mamba1ScanPrefillA16_Shape_Int8State", set.Plan.KernelFor("Mamba1ScanKernels.Mamba1ScanPrefill", 2)!.EntryPoint);
        for (int layer = 0; layer < 3; layer++)
        {
            var scales = Assert.Single(set.Plan.ScaleTables(layer), t => t.Name == "ssm_state_scales");
            Assert.Equal(ScaleGranularity.PerStateIndex, scales.Granularity);
            Assert.Equal([16], scales.Dimensions);
        }
    }

    [Fact]
    public void A16OnlyConfigsDefaultToAnFp16StateAndGetNoA8Scans()
    {
        var set = Compile("""
            { "name": "A16Only", "architecture": "mamba2",
              "shape": { "d_model": 256, "expand": 2, "d_state": 32, "headdim": 32, "ngroups": 2, "chunk_size": 64, "n_layer": 2, "vocab_size": 4096 },
              "precision": "w4a16" }
            """);
        Assert.Equal(StatePrecision.Fp16, set.Plan.StatePrecision);
        var scans = set.Kernels.Where(k => k.Step.StartsWith("Mamba2SsdKernels.", StringComparison.Ordinal)).Select(k => k.ClassName).Order().ToArray();
        Assert.Equal(["Mamba2SsdPrefillA16Kernel", "Mamba2SsdStepA16Kernel"], scans);
        Assert.Equal(["GatedRmsNormA16Kernel"], set.Kernels.Where(k => k.Step == "RmsNormKernels.GatedRmsNorm").Select(k => k.ClassName));
    }

    [Fact]
    public void Mamba2Int8StateScalesFollowXsGroups()
    {
        var set = Compile("""
            { "name": "Mamba2Int8", "architecture": "mamba2", "state_precision": "int8", "head_groups": 2, "dim_groups": 3,
              "shape": { "d_model": 256, "expand": 2, "d_state": 32, "headdim": 32, "ngroups": 2, "chunk_size": 64, "n_layer": 1, "vocab_size": 4096 },
              "precision": "w4a16" }
            """);
        Assert.Equal("Mamba2SsdKernels_Mamba2SsdStepA16_Shape_Int8State", set.Plan.KernelFor("Mamba2SsdKernels.Mamba2SsdStep", 0)!.EntryPoint);
        var scales = Assert.Single(set.Plan.ScaleTables(0), t => t.Name == "ssm_state_scales");
        Assert.Equal(ScaleGranularity.PerClusterAndState, scales.Granularity);
        Assert.Equal([2, 2, 3, 32], scales.Dimensions);
    }

    private static RuntimeKernelSet Compile(string json)
    {
        var cache = Directory.CreateTempSubdirectory("quamba-state-").FullName;
        try
        {
            return new RuntimeKernelCompiler(cache).Compile("/proj/state/quamba.json", json, [], TestContext.Current.CancellationToken);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
