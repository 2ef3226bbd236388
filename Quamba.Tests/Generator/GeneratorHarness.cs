using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Quamba.Generators;

namespace Quamba.Tests.Generator;

/// <summary>Compiles kernel source in memory and runs the kernel generator over it, as the build would.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(Quamba.Kernels.KernelAttribute).Assembly.Location))
            .ToImmutableArray();
    });

    public static readonly CSharpParseOptions Parse = new(LanguageVersion.Preview);

    public const string Usings = "using System;\nusing Quamba.Kernels;\n";

    public static CSharpCompilation Compilation(params (string Path, string Source)[] files) =>
        CSharpCompilation.Create("KernelTests",
            files.Select(f => CSharpSyntaxTree.ParseText(f.Source, Parse, f.Path)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(string? quambaTargetSm = null, bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            [new KernelGenerator().AsSourceGenerator()],
            parseOptions: Parse,
            optionsProvider: new Options(quambaTargetSm),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator on one source file; returns its result and the compilation with the generated code.</summary>
    public static Result Run(string source, string path = "/src/Kernels.cs", string? quambaTargetSm = null)
    {
        var compilation = Compilation((path, source));
        var driver = Driver(quambaTargetSm).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new Result(driver.GetRunResult(), generatorDiagnostics, output);
    }

    public sealed record Result(GeneratorDriverRunResult RunResult, ImmutableArray<Diagnostic> Diagnostics, Compilation Output)
    {
        public IReadOnlyList<GeneratedSourceResult> Sources => RunResult.Results.Single().GeneratedSources;

        /// <summary>Errors of the compilation that includes the generated launchers (should be none for valid kernels).</summary>
        public IReadOnlyList<Diagnostic> CompilationErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        public string Ptx(string classNameFragment)
        {
            var source = Sources.Single(s => s.HintName.Contains(classNameFragment, StringComparison.Ordinal)).SourceText.ToString();
            int start = source.IndexOf("\"\"\"\n", StringComparison.Ordinal) + 4;
            int end = source.IndexOf("\"\"\"u8", start, StringComparison.Ordinal);
            var lines = source.Substring(start, end - start).Split('\n');
            int indent = lines[0].TakeWhile(c => c == ' ').Count();
            return string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart(' '))).TrimEnd(' ');
        }
    }

    private sealed class Options(string? targetSm) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Global(targetSm);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global.Empty;

        private sealed class Global(string? targetSm) : AnalyzerConfigOptions
        {
            public static readonly Global Empty = new(null);

            public override bool TryGetValue(string key, out string value)
            {
                value = targetSm ?? "";
                return key == "build_property.QuambaTargetSm" && targetSm is not null;
            }
        }
    }
}

/// <summary>Source with <c>$$</c> markers: each marks where a diagnostic is expected to start.</summary>
internal sealed class Markup
{
    public Markup(string markedSource)
    {
        var positions = new List<int>();
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < markedSource.Length; i++)
        {
            if (i + 1 < markedSource.Length && markedSource[i] == '$' && markedSource[i + 1] == '$')
            {
                positions.Add(text.Length);
                i++;
                continue;
            }
            text.Append(markedSource[i]);
        }
        Source = text.ToString();
        Positions = positions;
    }

    public string Source { get; }
    public IReadOnlyList<int> Positions { get; }

    /// <summary>0-based (line, column) of marker <paramref name="index"/>.</summary>
    public (int Line, int Column) LineColumn(int index)
    {
        int position = Positions[index];
        int line = 0, column = 0;
        for (int i = 0; i < position; i++)
        {
            if (Source[i] == '\n') { line++; column = 0; }
            else column++;
        }
        return (line, column);
    }
}
