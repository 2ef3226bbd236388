using System.Collections.Generic;
using Quamba.Generators.Common;
using Quamba.Generators.Config.Json;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>
    /// Reads the model shape from a checkpoint's config.json: Hugging Face (model_type "mamba" / "mamba2") or the
    /// original state-spaces layout (d_model, n_layer, ssm_cfg). Errors are QC0009 at the value in the checkpoint.
    /// Keys it does not use are ignored (checkpoints carry many).
    /// </summary>
    internal static class CheckpointShapeReader
    {
        public static ShapeInput? Read(JsonFile file, LocationInfo reference, ConfigDiagnostics diagnostics)
        {
            if (file.Error is { } error)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.Location(error.Span), file.Path, "not valid JSON: " + error.Message);
                return null;
            }
            var root = file.Root!;
            if (root.Kind != JsonKind.Object)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.Start(root), file.Path, "the config must be a JSON object, found " + root.Describe());
                return null;
            }
            if (root.Member("model_type") is not null) return ReadHuggingFace(file, root, reference, diagnostics);
            if (root.Member("d_model") is not null) return ReadStateSpaces(file, root, reference, diagnostics);
            diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.Start(root), file.Path,
                "neither a Hugging Face config (model_type \"mamba\" or \"mamba2\") nor a state-spaces config (d_model, n_layer, ssm_cfg)");
            return null;
        }

        private static ShapeInput? ReadHuggingFace(JsonFile file, JsonNode root, LocationInfo reference, ConfigDiagnostics diagnostics)
        {
            var typeNode = root.Member("model_type")!.Value;
            ModelArchitecture architecture;
            if (typeNode.Kind == JsonKind.String && typeNode.Text == "mamba") architecture = ModelArchitecture.Mamba1;
            else if (typeNode.Kind == JsonKind.String && typeNode.Text == "mamba2") architecture = ModelArchitecture.Mamba2;
            else
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.At(typeNode), file.Path,
                    "model_type is " + typeNode.Describe() + "; supported: \"mamba\" (Mamba1), \"mamba2\" (Mamba2)");
                return null;
            }
            var input = new ShapeInput("checkpoint '" + file.Path + "'", reference) { Keys = KeyNames.HuggingFace };
            input.Architecture = new Located<ModelArchitecture>(architecture, file.At(typeNode));
            input.DModel = Required(file, root, "hidden_size", diagnostics);
            input.NLayer = Required(file, root, "num_hidden_layers", diagnostics);
            input.VocabSize = Required(file, root, "vocab_size", diagnostics);
            input.DState = Required(file, root, "state_size", diagnostics);
            input.Expand = Optional(file, root, "expand", diagnostics);
            input.DConv = Optional(file, root, "conv_kernel", diagnostics);
            if (architecture == ModelArchitecture.Mamba1)
            {
                input.DInner = Optional(file, root, "intermediate_size", diagnostics);
                input.DtRank = Rank(file, root, "time_step_rank", diagnostics);
            }
            else
            {
                input.HeadDim = Required(file, root, "head_dim", diagnostics);
                input.NHeads = Optional(file, root, "num_heads", diagnostics);
                input.NGroups = Required(file, root, "n_groups", diagnostics);
                input.ChunkSize = Optional(file, root, "chunk_size", diagnostics);
                input.DInner = Optional(file, root, "intermediate_size", diagnostics);
            }
            return input;
        }

        private static ShapeInput? ReadStateSpaces(JsonFile file, JsonNode root, LocationInfo reference, ConfigDiagnostics diagnostics)
        {
            var input = new ShapeInput("checkpoint '" + file.Path + "'", reference) { Keys = KeyNames.StateSpaces };
            input.DModel = Required(file, root, "d_model", diagnostics);
            input.NLayer = Required(file, root, "n_layer", diagnostics);
            var vocab = Required(file, root, "vocab_size", diagnostics);
            var multiple = Optional(file, root, "pad_vocab_size_multiple", diagnostics);
            if (vocab is { } v && multiple is { } m)
            {
                int padded = (v.Value + m.Value - 1) / m.Value * m.Value;
                vocab = new Located<int>(padded, v.Location);
            }
            input.VocabSize = vocab;
            var ssm = root.Member("ssm_cfg")?.Value;
            if (ssm is not null && ssm.Kind != JsonKind.Object)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.At(ssm), file.Path, "ssm_cfg must be an object, found " + ssm.Describe());
                return null;
            }
            var architecture = ModelArchitecture.Mamba1;
            LocationInfo? architectureLocation = file.Start(root);
            var layer = ssm?.Member("layer")?.Value;
            if (layer is not null)
            {
                if (layer.Kind == JsonKind.String && layer.Text == "Mamba2") architecture = ModelArchitecture.Mamba2;
                else if (!(layer.Kind == JsonKind.String && layer.Text == "Mamba1"))
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.At(layer), file.Path,
                        "ssm_cfg.layer is " + layer.Describe() + "; supported: \"Mamba1\", \"Mamba2\"");
                    return null;
                }
                architectureLocation = file.At(layer);
            }
            input.Architecture = new Located<ModelArchitecture>(architecture, architectureLocation);
            if (ssm is not null)
            {
                input.DState = Optional(file, ssm, "d_state", diagnostics);
                input.Expand = Optional(file, ssm, "expand", diagnostics);
                input.DConv = Optional(file, ssm, "d_conv", diagnostics);
                if (architecture == ModelArchitecture.Mamba1)
                {
                    input.DtRank = Rank(file, ssm, "dt_rank", diagnostics);
                }
                else
                {
                    input.HeadDim = Optional(file, ssm, "headdim", diagnostics);
                    input.NGroups = Optional(file, ssm, "ngroups", diagnostics);
                    input.ChunkSize = Optional(file, ssm, "chunk_size", diagnostics);
                }
            }
            return input;
        }

        private static Located<int>? Required(JsonFile file, JsonNode obj, string key, ConfigDiagnostics diagnostics)
        {
            var member = obj.Member(key);
            if (member is null || member.Value.Kind == JsonKind.Null)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.Start(obj), file.Path, "'" + key + "' is missing");
                return null;
            }
            return Int(file, member.Value, key, diagnostics);
        }

        private static Located<int>? Optional(JsonFile file, JsonNode obj, string key, ConfigDiagnostics diagnostics)
        {
            var member = obj.Member(key);
            return member is null || member.Value.Kind == JsonKind.Null ? null : Int(file, member.Value, key, diagnostics);
        }

        private static Located<int>? Rank(JsonFile file, JsonNode obj, string key, ConfigDiagnostics diagnostics)
        {
            var member = obj.Member(key);
            if (member is null || member.Value.Kind == JsonKind.Null || member.Value.Kind == JsonKind.String && member.Value.Text == "auto") return null;
            return Int(file, member.Value, key, diagnostics);
        }

        private static Located<int>? Int(JsonFile file, JsonNode value, string key, ConfigDiagnostics diagnostics)
        {
            var scratch = new ConfigDiagnostics();
            var result = JsonValues.PositiveInt(file, value, key, scratch, key == "vocab_size" ? 1 << 24 : JsonValues.MaxSize);
            if (result is null)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidCheckpoint, file.At(value), file.Path,
                    "'" + key + "' must be a positive integer, found " + value.Describe());
            }
            return result;
        }
    }
}
