using Quamba.Model.Checkpoints;

namespace Quamba.Tests.Model;

/// <summary>Locates the repository's tiny trained models and their reference outputs.</summary>
internal static class TestModels
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Directory(string name) => Path.Combine(RepositoryRoot, "models", name);

    public static ReferencePrompt ReadPrompt(string model, int prompt)
    {
        using var file = SafetensorsFile.Open(Path.Combine(Directory(model), "reference.safetensors"));
        var ids = file[$"prompt{prompt}.input_ids"].ToArray<int>();
        var logits = file[$"prompt{prompt}.logits"].ToFloat32Array();
        var greedy = file[$"prompt{prompt}.greedy_ids"].ToArray<int>();
        return new ReferencePrompt(ids, logits, greedy);
    }

    /// <summary>eos_token_id from the model's generation_config.json.</summary>
    public static int EosTokenId(string model)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory(model), "generation_config.json")));
        return json.RootElement.GetProperty("eos_token_id").GetInt32();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Quamba.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Quamba.sln above {AppContext.BaseDirectory}");
    }
}

internal sealed record ReferencePrompt(int[] InputIds, float[] Logits, int[] GreedyIds);
