using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Quamba.Generators.Common;
using Quamba.Generators.Config.Emit;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Discovery;
using Quamba.Generators.Lowering;
using Quamba.Generators.Ptx;

namespace Quamba.Generators.Config.Kernels
{
    /// <summary>
    /// Compiles a config's kernel instances: a private compilation of the embedded kernel library plus the config's
    /// shape structs, against the consuming project's references (for the kernel language in Quamba.Kernels), then
    /// the same lowering and back end as [Kernel] methods in source. Results are memoised per process by library
    /// hash, shape source and instance, so a compiler server that keeps the generator loaded does not recompile
    /// unchanged configs on the next build.
    /// </summary>
    internal static class ConfigKernelCompiler
    {
        public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

        private const string GlobalUsings =
            "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\nglobal using System.Linq;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";

        private const int CacheLimit = 1024;
        private static readonly Dictionary<string, CompiledConfigKernel> Cache = new(StringComparer.Ordinal);

        public static CompiledConfig Compile(ConfigKernelSet set, ReferenceSet references, CancellationToken cancellationToken)
        {
            if (set.Instances.IsEmpty) return new CompiledConfig(set, EquatableArray<CompiledConfigKernel>.Empty, EquatableArray<string>.Empty);
            if (references.KernelsAssembly is null)
            {
                return new CompiledConfig(set, EquatableArray<CompiledConfigKernel>.Empty,
                    new[] { "the project does not reference Quamba.Kernels, which holds the kernel language and runtime the generated launchers use: add a reference to the Quamba.Kernels package (or project)" }.ToEquatableArray());
            }
            var results = new List<CompiledConfigKernel>();
            var pending = new List<(ConfigKernelInstance Instance, string Key)>();
            foreach (var instance in set.Instances)
            {
                var key = CacheKey(set, instance, references);
                lock (Cache)
                {
                    if (Cache.TryGetValue(key, out var cached))
                    {
                        results.Add(cached);
                        continue;
                    }
                }
                pending.Add((instance, key));
            }
            if (pending.Count > 0)
            {
                var compilation = CreateCompilation(set, references);
                foreach (var (instance, key) in pending)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var compiled = CompileInstance(compilation, set.Config, instance, cancellationToken);
                    results.Add(compiled);
                    lock (Cache)
                    {
                        if (Cache.Count >= CacheLimit) Cache.Clear();
                        Cache[key] = compiled;
                    }
                }
            }
            var ordered = set.Instances.Select(i => results.First(r => r.Instance == i)).ToEquatableArray();
            return new CompiledConfig(set, ordered, EquatableArray<string>.Empty);
        }

        public static CSharpCompilation CreateCompilation(ConfigKernelSet set, ReferenceSet references)
        {
            var trees = new List<SyntaxTree>
            {
                CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, "QuambaConfigKernels.GlobalUsings.cs"),
                CSharpSyntaxTree.ParseText(set.ShapeSource, ParseOptions, ShapeStructEmitter.HintName(set.Config)),
            };
            foreach (var source in KernelLibrary.Sources) trees.Add(CSharpSyntaxTree.ParseText(source.Text, ParseOptions, source.Path));
            return CSharpCompilation.Create("Quamba.ConfigKernels." + set.Config.Name, trees, references.References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        }

        private static string CacheKey(ConfigKernelSet set, ConfigKernelInstance instance, ReferenceSet references) =>
            string.Join("\u0001", set.LibraryHash, references.KernelsAssembly ?? "", set.ShapeSource, set.Config.MinimumSm.ToString(System.Globalization.CultureInfo.InvariantCulture),
                instance.Kernel.Namespace, instance.Kernel.ContainingType, instance.Kernel.Method, string.Join(",", instance.TypeArguments), instance.ClassName, instance.Step,
                string.Join(",", instance.Precisions));

        private static CompiledConfigKernel CompileInstance(CSharpCompilation compilation, QuambaConfig config, ConfigKernelInstance instance, CancellationToken cancellationToken)
        {
            CompiledConfigKernel Fail(params string[] errors) => new(instance, null, null, 0, 0, errors.ToEquatableArray());
            try
            {
                TestHooks.Enter("ConfigKernel");
                var kernel = instance.Kernel;
                var typeName = (kernel.Namespace.Length > 0 ? kernel.Namespace + "." : "") + kernel.ContainingType;
                var type = compilation.GetTypeByMetadataName(typeName);
                var method = type?.GetMembers(kernel.Method).OfType<IMethodSymbol>()
                    .FirstOrDefault(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KernelDiscovery.KernelAttributeName));
                if (method?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
                {
                    return Fail("the kernel " + typeName + "." + kernel.Method + " was not found in the kernel library");
                }
                var typeArguments = new List<ITypeSymbol>();
                foreach (var argument in instance.TypeArguments)
                {
                    // The config's own structs are nested in QuambaPlans.<Name>; a library type (the state storage) is named in full.
                    bool own = argument.StartsWith("global::" + PlanEmitter.Namespace + ".", StringComparison.Ordinal);
                    var metadataName = own
                        ? PlanEmitter.Namespace + ".QuambaPlans+" + config.Name + "+" + argument.Substring(argument.LastIndexOf('.') + 1)
                        : argument.Substring("global::".Length);
                    var symbol = compilation.GetTypeByMetadataName(metadataName);
                    if (symbol is null) return Fail((own ? "the shape struct " : "the library type ") + argument + " was not found");
                    typeArguments.Add(symbol);
                }
                var known = new KnownSymbols(compilation);
                var discoveryDiagnostics = new List<DiagnosticInfo>();
                var identity = KernelDiscovery.BuildIdentity(method, typeArguments, known, discoveryDiagnostics);
                if (identity is null) return Fail(discoveryDiagnostics.Select(Describe).DefaultIfEmpty("unsupported kernel signature").ToArray());
                identity = identity with
                {
                    HintName = "QuambaPlans." + config.Name + "." + instance.ClassName + ".g.cs",
                    Namespace = PlanEmitter.Namespace,
                    ContainingTypes = new[] { new ContainingType("class", "QuambaPlans", true), new ContainingType("class", config.Name, true) }.ToEquatableArray(),
                    ClassName = instance.ClassName,
                    EntryPoint = identity.EntryPoint,
                };
                var lowered = new KernelLowerer(compilation, known, cancellationToken).Lower(method, syntax, typeArguments, identity.EntryPoint);
                var errors = lowered.Diagnostics.Where(d => d.IsError).Select(Describe).ToList();
                if (errors.Count > 0 || lowered.Function is null) return Fail(errors.DefaultIfEmpty("lowering failed").ToArray());
                var compiled = KernelBackend.Compile(new KernelInstance(identity, config.MinimumSm, lowered.Function), 0, cancellationToken);
                var backendErrors = compiled.Diagnostics.Where(d => DiagnosticDescriptors.Get(d.Id).DefaultSeverity == DiagnosticSeverity.Error)
                    .Select(d => DescribeBackend(d, lowered.SourceLocations)).ToList();
                if (compiled.Ptx is null || backendErrors.Count > 0) return Fail(backendErrors.DefaultIfEmpty("the back end produced no PTX").ToArray());
                return new CompiledConfigKernel(instance, identity, compiled.Ptx, compiled.MinimumSm, compiled.PtxVersion, EquatableArray<string>.Empty);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                return Fail("QK0013: " + exception.GetType().Name + ": " + exception.Message);
            }
        }

        private static string Describe(DiagnosticInfo info)
        {
            var diagnostic = info.ToDiagnostic();
            var where = info.Location is { } l ? " at " + l.FilePath + ":" + (l.LineSpan.Start.Line + 1) : "";
            return diagnostic.Id + ": " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture) + where;
        }

        private static string DescribeBackend(BackendDiagnostic d, IReadOnlyList<LocationInfo> locations)
        {
            var location = d.SourceIndex >= 0 && d.SourceIndex < locations.Count ? locations[d.SourceIndex] : null;
            return Describe(new DiagnosticInfo(d.Id, location, d.Arguments));
        }
    }
}
