using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Quamba.Generators.Config;
using Quamba.Generators.Config.Emit;
using Quamba.Generators.Config.Kernels;
using Quamba.Kernels;
using Quamba.Kernels.Mamba;
using Quamba.Kernels.Plans;
using GenArchitecture = Quamba.Generators.Config.ModelArchitecture;
using GenPrecision = Quamba.Generators.Config.LayerPrecision;
using GenState = Quamba.Generators.Config.StatePrecision;
using LayerPrecision = Quamba.Kernels.Plans.LayerPrecision;
using ModelArchitecture = Quamba.Kernels.Plans.ModelArchitecture;
using StatePrecision = Quamba.Kernels.Plans.StatePrecision;

namespace Quamba.Compiler;

/// <summary>
/// Compiles a config's kernels at run time with the build's own reader, catalog and PTX compiler (the generator
/// assembly, referenced as a library), so the CLI can run a checkpoint no build-time config named. PTX is cached on
/// disk under <see cref="CacheDirectory"/>, keyed by a hash of the kernel library source, the shape structs and the
/// instance: a second run of the same shape loads it instead of compiling.
/// </summary>
public sealed class RuntimeKernelCompiler(string? cacheDirectory = null)
{
    public string CacheDirectory { get; } = cacheDirectory ?? DefaultCacheDirectory();

    public static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "quamba", "kernels");
    }

    /// <summary>Reads a quamba.json from disk (and the checkpoint config.json it names) and compiles its kernels.</summary>
    public RuntimeKernelSet CompileFile(string configPath, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(configPath);
        if (!File.Exists(path)) throw new FileNotFoundException($"config not found: {path}", path);
        var text = File.ReadAllText(path);
        var checkpoints = new List<CheckpointFile>();
        // The checkpoint it names, if any: read it the way the build's targets do (any candidate that exists).
        var probe = ConfigReader.Read(path, text, [], cancellationToken);
        foreach (var d in probe.Diagnostics.Where(d => d.Id == "QC0008"))
        {
            var resolved = d.Arguments.Count > 1 ? d.Arguments[1] : "";
            foreach (var candidate in new[] { resolved, Path.Combine(resolved, "config.json") })
            {
                if (File.Exists(candidate)) checkpoints.Add(new CheckpointFile(ConfigPaths.Normalize(Path.GetFullPath(candidate)), File.ReadAllText(candidate)));
            }
        }
        return Compile(ConfigPaths.Normalize(path), text, checkpoints, cancellationToken);
    }

    /// <summary>Kernels for a checkpoint directory or config.json at one precision for every layer (no quamba.json needed).</summary>
    public RuntimeKernelSet CompileCheckpoint(string checkpoint, string precision, CancellationToken cancellationToken = default)
    {
        var file = Path.GetFullPath(Directory.Exists(checkpoint) ? Path.Combine(checkpoint, "config.json") : checkpoint);
        if (!File.Exists(file)) throw new FileNotFoundException($"checkpoint config not found: {file}", file);
        var name = Path.GetFileName(Path.GetDirectoryName(file)) ?? "Checkpoint";
        var json = "{ \"name\": " + System.Text.Json.JsonSerializer.Serialize(name) + ", \"checkpoint\": " + System.Text.Json.JsonSerializer.Serialize(file) + ", \"precision\": " + System.Text.Json.JsonSerializer.Serialize(precision) + " }";
        return Compile(ConfigPaths.Normalize(Path.Combine(Path.GetDirectoryName(file)!, "quamba.json")), json,
            new List<CheckpointFile> { new(ConfigPaths.Normalize(file), File.ReadAllText(file)) }, cancellationToken);
    }

    /// <summary>Compiles a config given as text; <paramref name="checkpoints"/> are (path, text) of the checkpoint configs it may name.</summary>
    public RuntimeKernelSet Compile(string path, string text, IReadOnlyList<(string Path, string Text)> checkpoints, CancellationToken cancellationToken = default) =>
        Compile(path, text, checkpoints.Select(c => new CheckpointFile(ConfigPaths.Normalize(c.Path), c.Text)).ToList(), cancellationToken);

    private RuntimeKernelSet Compile(string path, string text, List<CheckpointFile> checkpoints, CancellationToken cancellationToken)
    {
        var read = ConfigReader.Read(path, text, checkpoints, cancellationToken);
        var errors = read.Diagnostics.Where(d => d.IsError).Select(Format).ToList();
        if (read.Config is not { } config || errors.Count > 0) throw new ConfigException(errors);

        var set = KernelCatalog.Build(config, LibraryKernels.Find(KernelLibrary.Sources), KernelLibrary.Hash);
        var kernels = new List<RuntimeKernel>();
        var missing = new List<ConfigKernelInstance>();
        var cached = new Dictionary<ConfigKernelInstance, (string Ptx, string Entry, int Sm, int Version)>();
        foreach (var instance in set.Instances)
        {
            if (TryLoad(Key(set, instance), out var hit)) cached[instance] = hit;
            else missing.Add(instance);
        }
        var compiled = missing.Count == 0
            ? null
            : ConfigKernelCompiler.Compile(set with { Instances = Quamba.Generators.Common.EquatableArray.ToEquatableArray(missing) }, References(), cancellationToken);
        if (compiled is { Succeeded: false })
        {
            throw new ConfigException(compiled.Errors.Concat(compiled.Kernels.SelectMany(k => k.Errors.Select(e => k.Instance.KernelName + ": " + e))).ToList());
        }
        foreach (var instance in set.Instances)
        {
            bool fromCache = cached.TryGetValue(instance, out var entry);
            if (!fromCache)
            {
                var k = compiled!.Kernels.Single(c => c.Instance == instance);
                entry = (k.Ptx!, k.Identity!.EntryPoint, k.MinimumSm, k.PtxVersion);
                Store(Key(set, instance), entry);
            }
            var name = string.Join(".", instance.Kernel.Namespace, instance.Kernel.ContainingType, instance.Kernel.Method)
                + "<" + string.Join(", ", instance.TypeArguments.Select(t => t.Replace("global::", ""))) + ">";
            var descriptor = new KernelDescriptor(name, entry.Entry, Encoding.UTF8.GetBytes(entry.Ptx), entry.Sm, entry.Version);
            kernels.Add(new RuntimeKernel(instance.ClassName, instance.Step, instance.Precisions.Select(Map).ToList(), descriptor, entry.Ptx, fromCache)
            {
                Method = string.Join(".", instance.Kernel.Namespace, instance.Kernel.ContainingType, instance.Kernel.Method),
                TypeArguments = instance.Kernel.TypeParameters.Select(kind => TypeArgument(config, kind)).ToList(),
            });
        }
        var shapes = ShapeStructEmitter.Structs(config).Select(s => new RuntimeShape(s.Name, s.Interface, s.Members.ToList())).ToList();
        return new RuntimeKernelSet(ToPlan(config, kernels), kernels) { Shapes = shapes };
    }

    /// <summary>A shape parameter takes the config's struct (by name); the state parameter the library's storage type (full name).</summary>
    private static string TypeArgument(QuambaConfig config, ShapeInterface kind) => kind == ShapeInterface.SsmState
        ? typeof(ISsmState<>).Namespace + "." + ShapeStructEmitter.StateStorage(config.StatePrecision)
        : ShapeStructEmitter.StructName(kind);

    private static ReferenceSet References()
    {
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var references = trusted
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(KernelAttribute).Assembly.Location))
            .ToImmutableArray();
        return new ReferenceSet(references, typeof(KernelAttribute).Assembly.GetName().FullName);
    }

    private static string Key(ConfigKernelSet set, ConfigKernelInstance instance)
    {
        var text = string.Join("\u0001", set.LibraryHash, set.ShapeSource, set.Config.MinimumSm, instance.Kernel.Namespace, instance.Kernel.ContainingType,
            instance.Kernel.Method, string.Join(",", instance.TypeArguments), instance.ClassName, typeof(KernelAttribute).Assembly.ManifestModule.ModuleVersionId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private bool TryLoad(string key, out (string Ptx, string Entry, int Sm, int Version) entry)
    {
        entry = default;
        var ptxPath = Path.Combine(CacheDirectory, key + ".ptx");
        var metaPath = Path.Combine(CacheDirectory, key + ".meta");
        try
        {
            if (!File.Exists(ptxPath) || !File.Exists(metaPath)) return false;
            var meta = File.ReadAllLines(metaPath);
            if (meta.Length < 3 || !int.TryParse(meta[1], out int sm) || !int.TryParse(meta[2], out int version)) return false;
            entry = (File.ReadAllText(ptxPath), meta[0], sm, version);
            return entry.Ptx.Length > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Store(string key, (string Ptx, string Entry, int Sm, int Version) entry)
    {
        try
        {
            Directory.CreateDirectory(CacheDirectory);
            // Write to temporary names, then move: a concurrent reader never sees half a file.
            var tmp = Path.Combine(CacheDirectory, key + "." + Environment.ProcessId + ".tmp");
            File.WriteAllText(tmp, entry.Ptx);
            File.Move(tmp, Path.Combine(CacheDirectory, key + ".ptx"), overwrite: true);
            File.WriteAllText(tmp, entry.Entry + "\n" + entry.Sm + "\n" + entry.Version + "\n");
            File.Move(tmp, Path.Combine(CacheDirectory, key + ".meta"), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: a read-only location only costs a recompile next time.
        }
    }

    private static KernelPlan ToPlan(QuambaConfig c, IReadOnlyList<RuntimeKernel> kernels)
    {
        var s = c.Shape;
        var planned = kernels.SelectMany(k => k.Precisions.Count == 0
            ? [new PlannedKernel(k.Step, null, k.Descriptor)]
            : k.Precisions.Select(p => new PlannedKernel(k.Step, p, k.Descriptor))).ToList();
        return new KernelPlan(c.Name, c.Architecture == GenArchitecture.Mamba1 ? ModelArchitecture.Mamba1 : ModelArchitecture.Mamba2,
            new PlanShape(s.DModel, s.DInner, s.DState, s.HeadDim, s.NGroups, s.NHeads, s.DConv, s.DtRank, s.ChunkSize, s.NLayer, s.VocabSize),
            c.Layers.Select(Map).ToList(), c.HeadGroups, c.DimGroups, c.WeightGroupSize,
            c.StatePrecision switch { GenState.Fp32 => StatePrecision.Fp32, GenState.Fp16 => StatePrecision.Fp16, _ => StatePrecision.Int8 },
            c.TargetSms.ToList(), c.TargetsOpenEnded, c.InnerHadamard?.Size ?? 0, planned);
    }

    private static LayerPrecision Map(GenPrecision p) => p switch
    {
        GenPrecision.Fp16 => LayerPrecision.Fp16,
        GenPrecision.W8A8 => LayerPrecision.W8A8,
        GenPrecision.W4A8 => LayerPrecision.W4A8,
        _ => LayerPrecision.W4A16,
    };

    private static string Format(Quamba.Generators.Diagnostics.DiagnosticInfo d)
    {
        var diagnostic = d.ToDiagnostic();
        var where = d.Location is { } l ? $"{l.FilePath}({l.LineSpan.Start.Line + 1},{l.LineSpan.Start.Character + 1}): " : "";
        return where + (diagnostic.Severity == DiagnosticSeverity.Error ? "error " : "warning ") + diagnostic.Id + ": " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
