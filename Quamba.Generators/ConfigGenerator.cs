using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Quamba.Generators.Common;
using Quamba.Generators.Config;
using Quamba.Generators.Config.Emit;
using Quamba.Generators.Config.Kernels;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Emit;

namespace Quamba.Generators
{
    /// <summary>Names of the tracked steps of the config pipeline, for incrementality tests.</summary>
    public static class ConfigTrackingNames
    {
        /// <summary>The quamba.json and checkpoint files among the AdditionalFiles, with their text.</summary>
        public const string Inputs = "Quamba.Config.Inputs";

        /// <summary>Parsing and validation of each config.</summary>
        public const string Read = "Quamba.Config.Read";

        /// <summary>The kernel instances each valid config needs, with its shape structs.</summary>
        public const string Sets = "Quamba.Config.Sets";

        /// <summary>The private compilation and PTX of each config's instances.</summary>
        public const string Compile = "Quamba.Config.Compile";
    }

    /// <summary>
    /// quamba.json -> kernel sets. Each AdditionalFile marked as a Quamba config (QuambaKind="config", or named
    /// quamba.json / *.quamba.json) is read and validated (QC diagnostics in the file); a valid one gets shape
    /// structs, the compiled instances of the library kernels it needs, typed launchers and a plan class
    /// <c>Quamba.Generated.QuambaPlans.&lt;Name&gt;</c>. Nothing is emitted for a config with any error.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ConfigGenerator : IIncrementalGenerator
    {
        public const string KindMetadata = "build_metadata.AdditionalFiles.QuambaKind";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var inputs = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select(static (pair, cancellationToken) => Classify(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
                .Where(static input => input is not null)
                .Select(static (input, _) => input!)
                .WithTrackingName(ConfigTrackingNames.Inputs);

            var checkpoints = inputs.Where(static i => !i.IsConfig).Select(static (i, _) => new CheckpointFile(i.Path, i.Text)).Collect()
                .Select(static (files, _) => files.OrderBy(f => f.Path, System.StringComparer.Ordinal).ToEquatableArray());

            var reads = inputs.Where(static i => i.IsConfig)
                .Combine(checkpoints)
                .Select(static (pair, cancellationToken) => ConfigReader.Read(pair.Left.Path, pair.Left.Text, pair.Right.AsImmutableArray(), cancellationToken))
                .WithTrackingName(ConfigTrackingNames.Read);

            // Names must be unique: two configs named alike would generate one class twice.
            var named = reads.Collect().Select(static (all, _) => ConfigNameCheck.Check(all));

            var sets = named.SelectMany(static (checkedReads, _) => checkedReads.Where(r => r.Config is not null))
                .Select(static (read, _) => KernelCatalog.Build(read.Config!, LibraryKernels.Find(KernelLibrary.Sources), KernelLibrary.Hash))
                .WithTrackingName(ConfigTrackingNames.Sets);

            var references = context.CompilationProvider.Select(static (compilation, _) => ReferenceSet.From(compilation));

            var compiled = sets.Combine(references)
                .Select(static (pair, cancellationToken) => ConfigKernelCompiler.Compile(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(ConfigTrackingNames.Compile);

            context.RegisterSourceOutput(named, static (output, checkedReads) =>
            {
                foreach (var read in checkedReads)
                {
                    foreach (var diagnostic in read.Diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });

            context.RegisterSourceOutput(compiled, static (output, result) =>
            {
                var config = result.Set.Config;
                if (!result.Succeeded)
                {
                    foreach (var error in result.Errors)
                    {
                        output.ReportDiagnostic(DiagnosticInfo.Create(ConfigDiagnosticDescriptors.KernelLibrary, config.Location, error).ToDiagnostic());
                    }
                    foreach (var kernel in result.Kernels.Where(k => k.Ptx is null))
                    {
                        foreach (var error in kernel.Errors)
                        {
                            output.ReportDiagnostic(DiagnosticInfo.Create(ConfigDiagnosticDescriptors.KernelInstance, config.Location,
                                kernel.Instance.KernelName, config.Name, error, "no kernels or plan were generated for this config").ToDiagnostic());
                        }
                    }
                    return;
                }
                output.AddSource(ShapeStructEmitter.HintName(config), SourceText.From(result.Set.ShapeSource, Encoding.UTF8));
                foreach (var kernel in result.Kernels)
                {
                    output.AddSource(kernel.Identity!.HintName, SourceText.From(LauncherEmitter.Emit(kernel.ToCompiledKernel()), Encoding.UTF8));
                }
                output.AddSource(PlanEmitter.HintName(config), SourceText.From(PlanEmitter.Emit(result.Set, result.Kernels), Encoding.UTF8));
            });
        }

        private static ConfigInput? Classify(AdditionalText file, Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options, System.Threading.CancellationToken cancellationToken)
        {
            options.TryGetValue(KindMetadata, out var kind);
            var name = file.Path.Replace('\\', '/');
            name = name.Substring(name.LastIndexOf('/') + 1);
            bool isConfig = kind == "config" || string.IsNullOrEmpty(kind) && (name == "quamba.json" || name.EndsWith(".quamba.json", System.StringComparison.Ordinal));
            bool isCheckpoint = kind == "checkpoint";
            if (!isConfig && !isCheckpoint) return null;
            var text = file.GetText(cancellationToken)?.ToString() ?? "";
            return new ConfigInput(isConfig, ConfigPaths.Normalize(file.Path), text);
        }
    }

    /// <summary>A config or checkpoint file the generator reads.</summary>
    internal sealed record ConfigInput(bool IsConfig, string Path, string Text);
}
