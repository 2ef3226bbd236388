using System.Diagnostics;
using Quamba.Tests.Snapshots;

namespace Quamba.Tests.Config;

/// <summary>
/// The package wiring, end to end and from a clean state: pack Quamba.Kernels (which carries the generator and its
/// MSBuild files) into a temporary feed, copy samples/HelloQuamba elsewhere, build and run it against that feed
/// with an empty package cache; then point its quamba.json at a checkpoint config.json instead of a shape and
/// rebuild, which must regenerate the plan.
/// </summary>
public class SampleBuildTests
{
    [Fact]
    public void HelloQuambaBuildsAndRunsAgainstThePackages()
    {
        var root = Snapshot.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("quamba-sample-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            var packages = Path.Combine(work, "packages");
            var sample = Path.Combine(work, "HelloQuamba");
            Directory.CreateDirectory(sample);
            foreach (var file in new[] { "HelloQuamba.csproj", "Program.cs", "quamba.json" })
            {
                File.Copy(Path.Combine(root, "samples", "HelloQuamba", file), Path.Combine(sample, file));
            }

            var pack = Dotnet(root, packages, "pack", Path.Combine(root, "Quamba.Kernels", "Quamba.Kernels.csproj"), "-c", "Release", "-o", feed, "-p:Version=1.0.0-sampletest");
            Assert.True(pack.ExitCode == 0, pack.Output);

            var run = Dotnet(sample, packages, "run", "-p:RestoreSources=" + feed, "-p:QuambaVersion=1.0.0-sampletest");
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("plan HelloTiny: Mamba2, d 256, E 512, H 16, G 2, layers W8A8 W8A8 W4A8 W4A8 W4A16 W4A16", run.Output);
            Assert.Contains("HadamardQuantize<512> on CPU emulator: 1536 codes, 0 mismatches", run.Output);

            // The shape from a checkpoint's config.json (an input the package's targets add), all layers W8A8.
            var checkpoint = Path.Combine(sample, "model");
            Directory.CreateDirectory(checkpoint);
            File.Copy(Path.Combine(root, "models", "mamba2-tiny", "config.json"), Path.Combine(checkpoint, "config.json"));
            File.WriteAllText(Path.Combine(sample, "quamba.json"), """{ "name": "HelloTiny", "checkpoint": "model/config.json", "precision": "w8a8" }""");
            var rerun = Dotnet(sample, packages, "run", "-p:RestoreSources=" + feed, "-p:QuambaVersion=1.0.0-sampletest");
            Assert.True(rerun.ExitCode == 0, rerun.Output);
            Assert.Contains("layers W8A8 W8A8 W8A8 W8A8 W8A8 W8A8", rerun.Output);
            Assert.DoesNotContain("HadamardRotate", rerun.Output);

            // A config error is a build error at the file, line and column.
            File.WriteAllText(Path.Combine(sample, "quamba.json"), "{ \"name\": \"HelloTiny\", \"checkpoint\": \"model/config.json\",\n  \"precision\": \"w3a8\" }");
            var broken = Dotnet(sample, packages, "build", "-p:RestoreSources=" + feed, "-p:QuambaVersion=1.0.0-sampletest");
            Assert.NotEqual(0, broken.ExitCode);
            Assert.Contains("quamba.json(2,16): error QC0004", broken.Output);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static (int ExitCode, string Output) Dotnet(string directory, string packages, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("-nodeReuse:false");
        start.Environment["NUGET_PACKAGES"] = packages;
        start.Environment["HELLOQUAMBA_EMULATE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out: dotnet " + string.Join(" ", arguments) + "\n" + output.Result + error.Result);
        }
        return (process.ExitCode, "dotnet " + string.Join(" ", arguments) + "\n" + output.Result + error.Result);
    }
}
