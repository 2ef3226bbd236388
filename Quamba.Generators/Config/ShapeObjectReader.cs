using Quamba.Generators.Config.Json;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>Reads quamba.json's "shape" object into a <see cref="ShapeInput"/>.</summary>
    internal static class ShapeObjectReader
    {
        public static readonly string[] Keys =
        {
            "d_model", "expand", "d_inner", "d_state", "headdim", "ngroups", "d_conv", "dt_rank", "chunk_size", "n_layer", "vocab_size",
        };

        public static ShapeInput? Read(JsonFile file, JsonNode node, ConfigDiagnostics diagnostics)
        {
            if (node.Kind != JsonKind.Object)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(node), "shape", "an object with the model's sizes", node.Describe());
                return null;
            }
            var members = JsonValues.Members(file, node, "\"shape\"", Keys, diagnostics);
            var input = new ShapeInput("\"shape\"", file.Start(node));
            Located<int>? Int(string key, int max = JsonValues.MaxSize) =>
                members.TryGetValue(key, out var m) ? JsonValues.PositiveInt(file, m.Value, "shape." + key, diagnostics, max) : null;
            input.DModel = Int("d_model");
            input.Expand = Int("expand", 64);
            input.DInner = Int("d_inner");
            input.DState = Int("d_state", 1024);
            input.HeadDim = Int("headdim");
            input.NGroups = Int("ngroups");
            input.DConv = Int("d_conv", 64);
            input.ChunkSize = Int("chunk_size");
            input.NLayer = Int("n_layer", 4096);
            input.VocabSize = Int("vocab_size", 1 << 24);
            if (members.TryGetValue("dt_rank", out var rank) && !(rank.Value.Kind == JsonKind.String && rank.Value.Text == "auto"))
            {
                if (rank.Value.Kind == JsonKind.String)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(rank.Value), "shape.dt_rank", "\"auto\" or a positive integer", rank.Value.Describe());
                }
                else
                {
                    input.DtRank = JsonValues.PositiveInt(file, rank.Value, "shape.dt_rank", diagnostics);
                }
            }
            return input;
        }
    }
}
