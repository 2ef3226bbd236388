using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Quamba.Generators;
using Quamba.Tests.Generator;

namespace Quamba.Tests.Config;

/// <summary>Runs the config generator over in-memory AdditionalFiles, as the build does with the package's props.</summary>
internal static class ConfigHarness
{
    /// <summary>An AdditionalFile: path, text and its QuambaKind metadata ("config", "checkpoint" or null).</summary>
    public sealed record InputFile(string Path, string Text, string? Kind = "config");

    public sealed class MemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    public static GeneratorDriver Driver(IEnumerable<InputFile> files) => Driver(files, files.Select(f => (AdditionalText)new MemoryText(f.Path, f.Text)).ToList());

    public static GeneratorDriver Driver(IEnumerable<InputFile> files, IReadOnlyList<AdditionalText> texts) =>
        CSharpGeneratorDriver.Create(
            [new ConfigGenerator().AsSourceGenerator()],
            additionalTexts: texts.ToImmutableArray(),
            parseOptions: GeneratorHarness.Parse,
            optionsProvider: new Options(files.ToDictionary(f => f.Path, f => f.Kind)),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(params InputFile[] files)
    {
        var compilation = GeneratorHarness.Compilation(("/src/Program.cs", "namespace App; public static class Program { }"));
        var driver = Driver(files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, TestContext.Current.CancellationToken);
        return new Result(driver, driver.GetRunResult(), diagnostics, output);
    }

    /// <summary>Runs one quamba.json at /proj/quamba.json.</summary>
    public static Result RunConfig(string json, string path = "/proj/quamba.json") => Run(new InputFile(path, json));

    public sealed record Result(GeneratorDriver Driver, GeneratorDriverRunResult RunResult, ImmutableArray<Diagnostic> Diagnostics, Compilation Output)
    {
        public IReadOnlyList<GeneratedSourceResult> Sources => RunResult.Results.Single().GeneratedSources;

        public IReadOnlyList<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        public IReadOnlyList<Diagnostic> CompilationErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        public string Source(string hintFragment) => Sources.Single(s => s.HintName.Contains(hintFragment, StringComparison.Ordinal)).SourceText.ToString();
    }

    private sealed class Options(Dictionary<string, string?> kinds) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(null);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(null);
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values(kinds.GetValueOrDefault(textFile.Path));

        private sealed class Values(string? kind) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = kind ?? "";
                return key == ConfigGenerator.KindMetadata && kind is not null;
            }
        }
    }
}
