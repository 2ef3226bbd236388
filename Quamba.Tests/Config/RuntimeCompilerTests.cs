using Quamba.Compiler;
using Quamba.Tests.Snapshots;

namespace Quamba.Tests.Config;

/// <summary>The run-time path gives the same PTX as the build, caches it on disk, and reports config errors with positions.</summary>
public class RuntimeCompilerTests
{
    [Fact]
    public void SamePtxAsTheBuildAndASecondRunHitsTheCache()
    {
        var cache = Directory.CreateTempSubdirectory("quamba-cache-").FullName;
        try
        {
            var json = ConfigSamples.Mamba2Tiny("Mamba2TinyW8A8", "w8a8");
            var first = new RuntimeKernelCompiler(cache).Compile("/proj/Mamba2TinyW8A8/quamba.json", json, [], TestContext.Current.CancellationToken);
            var kernel = Assert.Single(first.Kernels, k => k.Step == "HadamardKernels.HadamardQuantize");
            Assert.False(kernel.FromCache);
            var snapshot = File.ReadAllText(Path.Combine(Snapshot.SourceDirectory(ThisFile()), "Snapshots", "Mamba2TinyW8A8", "QuambaPlans.Mamba2TinyW8A8.HadamardQuantizeKernel.ptx"));
            Assert.Equal(snapshot, kernel.Ptx);
            Assert.Equal("HadamardKernels.HadamardQuantize", kernel.Step);
            Assert.NotNull(first.Plan.KernelFor("HadamardKernels.HadamardQuantize", 0));

            var second = new RuntimeKernelCompiler(cache).Compile("/proj/Mamba2TinyW8A8/quamba.json", json, [], TestContext.Current.CancellationToken);
            Assert.Equal(first.Kernels.Count, second.Kernels.Count);
            Assert.All(second.Kernels, k => Assert.True(k.FromCache, k.ClassName + " was not read from the cache"));
            Assert.Equal(kernel.Ptx, Assert.Single(second.Kernels, k => k.Step == "HadamardKernels.HadamardQuantize").Ptx);
            Assert.NotEmpty(Directory.GetFiles(cache, "*.ptx"));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void ConfigErrorsCarryTheirPositions()
    {
        var error = Assert.Throws<ConfigException>(() => new RuntimeKernelCompiler(Path.GetTempPath()).Compile("/p/quamba.json",
            "{ \"architecture\": \"mamba2\",\n  \"precision\": \"w3a8\" }", [], TestContext.Current.CancellationToken));
        Assert.Contains(error.Diagnostics, d => d.StartsWith("/p/quamba.json(2,16): error QC0004", StringComparison.Ordinal));
    }

    [Fact]
    public void KernelsCommandListsAndPrintsPtx()
    {
        var work = Directory.CreateTempSubdirectory("quamba-cli-").FullName;
        try
        {
            var config = Path.Combine(work, "quamba.json");
            var checkpoint = Path.Combine(Snapshot.RepositoryRoot(), "models", "mamba1-tiny");
            File.WriteAllText(config, "{ \"name\": \"CliTiny\", \"checkpoint\": " + System.Text.Json.JsonSerializer.Serialize(checkpoint) + ", \"precision\": \"w8a8\" }");
            var (code, output) = Run("kernels", "--config", config, "--cache", Path.Combine(work, "cache"));
            Assert.True(code == 0, output);
            Assert.Contains("config CliTiny: Mamba1, d 192, E 384, N 16, R 12, 6 layers (6 W8A8)", output);
            Assert.Contains("HadamardQuantizeKernel", output);
            var (ptxCode, ptx) = Run("kernels", "--config", config, "--cache", Path.Combine(work, "cache"), "--ptx", "HadamardQuantizeKernel");
            Assert.Equal(0, ptxCode);
            Assert.Contains(".visible .entry HadamardKernels_HadamardQuantize_Hadamard(", ptx);
            var (badCode, _) = Run("kernels", "--config", config, "--cache", Path.Combine(work, "cache"), "--ptx", "NoSuchKernel");
            Assert.Equal(1, badCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        var result = Cli.CliRunner.Run(args);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
