using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Discovery;
using Quamba.Generators.Emit;
using Quamba.Generators.Ptx;

namespace Quamba.Generators
{
    /// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Semantic front end: signature checks and lowering to IR (re-runs on every compilation change).</summary>
        public const string FrontEnd = "Quamba.Kernels.FrontEnd";

        /// <summary>The per-instance IR, free of source offsets: unchanged by edits that do not change the kernel.</summary>
        public const string Instances = "Quamba.Kernels.Instances";

        /// <summary>Validation, PTX emission and self-check: cached unless the instance's IR changed.</summary>
        public const string Backend = "Quamba.Kernels.Backend";
    }

    /// <summary>
    /// The kernel compiler: [Kernel] methods -> typed IR -> validated PTX + C# launchers. The semantic front end
    /// runs per kernel; its location-free IR feeds a cached back end; diagnostics and source are separate outputs.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class KernelGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var frontEnds = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KernelDiscovery.KernelAttributeName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                    KernelDiscovery.Transform)
                .WithTrackingName(TrackingNames.FrontEnd);

            var projectTargetSm = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
                options.GlobalOptions.TryGetValue("build_property.QuambaTargetSm", out var text)
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int sm) && KernelDiscovery.IsKnownArchitecture(sm)
                    ? sm
                    : 0);

            var instances = frontEnds
                .SelectMany(static (frontEnd, _) => frontEnd.Instances)
                .WithTrackingName(TrackingNames.Instances);

            var compiled = instances
                .Combine(projectTargetSm)
                .Select(static (pair, cancellationToken) => KernelBackend.Compile(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.Backend);

            context.RegisterSourceOutput(compiled, static (output, kernel) =>
            {
                if (kernel.Ptx is null) return;
                output.AddSource(kernel.Identity.HintName, SourceText.From(LauncherEmitter.Emit(kernel), Encoding.UTF8));
            });

            // Diagnostics: the front end's carry their locations; the back end's point into each instance's source table.
            var frontEndDiagnostics = frontEnds.Select(static (frontEnd, _) => (frontEnd.Diagnostics, frontEnd.Locations)).Collect();
            var backendDiagnostics = compiled.Select(static (kernel, _) => (kernel.Identity.HintName, kernel.Diagnostics)).Collect();
            context.RegisterSourceOutput(frontEndDiagnostics.Combine(backendDiagnostics), static (output, pair) =>
            {
                var reported = new HashSet<DiagnosticInfo>();
                var locationTables = new Dictionary<string, EquatableArray<LocationInfo>>();
                foreach (var (diagnostics, locations) in pair.Left)
                {
                    foreach (var diagnostic in diagnostics)
                    {
                        if (reported.Add(diagnostic)) output.ReportDiagnostic(diagnostic.ToDiagnostic());
                    }
                    foreach (var table in locations) locationTables[table.HintName] = table.Locations;
                }
                foreach (var (hintName, diagnostics) in pair.Right)
                {
                    locationTables.TryGetValue(hintName, out var table);
                    foreach (var diagnostic in diagnostics)
                    {
                        var location = diagnostic.SourceIndex >= 0 && diagnostic.SourceIndex < table.Count
                            ? table[diagnostic.SourceIndex]
                            : table.Count > 0 ? table[0] : null;
                        var info = new DiagnosticInfo(diagnostic.Id, location, diagnostic.Arguments);
                        if (reported.Add(info)) output.ReportDiagnostic(info.ToDiagnostic());
                    }
                }
            });
        }
    }
}
