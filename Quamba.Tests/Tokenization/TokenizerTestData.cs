using System.Text.Json.Nodes;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>Paths to the repository's models and data, and the shared mamba tokenizer.</summary>
internal static class TokenizerTestData
{
    private static readonly Lazy<string> s_root = new(FindRepoRoot);
    private static readonly Lazy<BpeTokenizer> s_tokenizer = new(() => BpeTokenizer.FromFile(TokenizerPath));
    private static readonly Lazy<string> s_baseJson = new(() => File.ReadAllText(TokenizerPath));

    public static string RepoRoot => s_root.Value;

    public static string TokenizerPath => Path.Combine(RepoRoot, "models", "mamba1-tiny", "tokenizer.json");

    public static string DataFile(string name) => Path.Combine(RepoRoot, "Quamba.Tests", "Tokenization", "Data", name);

    /// <summary>The tokenizer of models/mamba1-tiny, loaded once (it is thread-safe).</summary>
    public static BpeTokenizer Tokenizer => s_tokenizer.Value;

    /// <summary>A fresh mutable copy of models/mamba1-tiny/tokenizer.json.</summary>
    public static JsonObject BaseJson() => JsonNode.Parse(s_baseJson.Value)!.AsObject();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Quamba.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Quamba.sln above {AppContext.BaseDirectory}.");
    }
}
