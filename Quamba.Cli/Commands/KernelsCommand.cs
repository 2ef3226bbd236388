using System.CommandLine;
using Quamba.Compiler;

namespace Quamba.Cli.Commands;

/// <summary>
/// <c>quamba kernels --config FILE [--ptx NAME]</c>: the kernel instances a quamba.json produces (the same the build
/// generates), compiled in process with the on-disk PTX cache; <c>--ptx</c> prints one instance's PTX.
/// </summary>
internal static class KernelsCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "The quamba.json to compile.", Required = true };
        var ptx = new Option<string?>("--ptx") { Description = "Print the PTX of this instance (its launcher class name, e.g. HadamardQuantizeKernel, or its step)." };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "PTX cache directory (default: ~/.cache/quamba/kernels)." };
        var command = new Command("kernels", "List the kernel instances a quamba.json config produces, or print one's PTX.") { config, ptx, cache };
        command.SetAction(result =>
        {
            var compiler = new RuntimeKernelCompiler(result.GetValue(cache)?.FullName);
            RuntimeKernelSet set;
            try
            {
                set = compiler.CompileFile(result.GetRequiredValue(config).FullName);
            }
            catch (ConfigException error)
            {
                foreach (var line in error.Diagnostics) Console.Error.WriteLine(line);
                return 1;
            }
            var wanted = result.GetValue(ptx);
            if (wanted is not null)
            {
                var match = set.Kernels.FirstOrDefault(k => string.Equals(k.ClassName, wanted, StringComparison.OrdinalIgnoreCase))
                    ?? set.Kernels.FirstOrDefault(k => string.Equals(k.Step, wanted, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    Console.Error.WriteLine($"quamba: no kernel '{wanted}' in this config; its kernels: {string.Join(", ", set.Kernels.Select(k => k.ClassName))}");
                    return 1;
                }
                Console.Out.Write(match.Ptx);
                return 0;
            }
            var plan = set.Plan;
            var s = plan.Shape;
            Console.Out.WriteLine($"config {plan.Name}: {plan.Architecture}, d {s.DModel}, E {s.DInner}, N {s.DState}, " +
                (plan.Architecture == Quamba.Kernels.Plans.ModelArchitecture.Mamba2 ? $"P {s.HeadDim}, H {s.NHeads}, G {s.NGroups}, " : $"R {s.DtRank}, ") +
                $"{s.NLayer} layers ({string.Join(", ", plan.Layers.GroupBy(l => l).Select(g => g.Count() + " " + g.Key))}), targets {string.Join(" ", plan.TargetSms.Select(t => "sm_" + t))}{(plan.TargetsOpenEnded ? "+" : "")}");
            foreach (var kernel in set.Kernels)
            {
                var precisions = kernel.Precisions.Count == 0 ? "every layer" : string.Join(" ", kernel.Precisions);
                Console.Out.WriteLine($"{kernel.ClassName,-28} {kernel.Step,-36} {precisions,-12} sm_{kernel.Descriptor.MinimumSm} PTX {kernel.Descriptor.PtxVersion / 10}.{kernel.Descriptor.PtxVersion % 10} " +
                    $"{kernel.Ptx.Count(c => c == '\n')} lines{(kernel.FromCache ? " (cached)" : "")}");
            }
            return 0;
        });
        return command;
    }
}
