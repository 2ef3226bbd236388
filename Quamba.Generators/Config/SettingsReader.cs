using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Quamba.Generators.Common;
using Quamba.Generators.Config.Json;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>The quantization and target settings of a config, validated against its shape.</summary>
    internal sealed record ConfigSettings(
        EquatableArray<LayerPrecision> Layers,
        int HeadGroups,
        int DimGroups,
        int WeightGroupSize,
        StatePrecision StatePrecision,
        EquatableArray<int> TargetSms,
        bool OpenEnded,
        HadamardSize? Hadamard);

    /// <summary>Reads precision (per model or per layer), activation grouping, weight groups, state precision and targets.</summary>
    internal static class SettingsReader
    {
        public const int DefaultHeadGroups = 4, DefaultDimGroups = 4, DefaultWeightGroupSize = 128;

        public static ConfigSettings? Read(JsonFile file, JsonNode root, Dictionary<string, JsonMember> members, ModelArchitecture? architecture,
            ModelShape? shape, ConfigDiagnostics diagnostics)
        {
            JsonNode? Value(string key) => members.TryGetValue(key, out var m) ? m.Value : null;

            var layers = ReadPrecision(file, root, Value("precision"), shape, diagnostics);
            var headGroups = Value("head_groups") is { } hg ? JsonValues.PositiveInt(file, hg, "head_groups", diagnostics, 64) : null;
            var dimGroups = Value("dim_groups") is { } dg ? JsonValues.PositiveInt(file, dg, "dim_groups", diagnostics, 64) : null;
            var groupSize = Value("weight_group_size") is { } ws ? JsonValues.PositiveInt(file, ws, "weight_group_size", diagnostics, 8192) : null;
            var state = Value("state_precision") is { } sp ? JsonValues.Name(file, sp, "state_precision", "state precision", ConfigNames.StatePrecisions, diagnostics) : null;
            var targets = ReadTargets(file, Value("targets"), diagnostics);
            if (groupSize is { } g && g.Value % 32 != 0)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, g.Location, "weight_group_size", "a positive multiple of 32 (4-bit codes are packed 8 to a word)", ShapeBuilder.Text(g.Value));
                groupSize = null;
            }
            if (layers is null || shape is null || architecture is null) return null;

            var precisionLocation = Value("precision") is { } p ? file.At(p) : null;
            bool any4Bit = layers.Value.Any(l => l is LayerPrecision.W4A8 or LayerPrecision.W4A16);
            bool any8BitActivations = layers.Value.Any(l => l is LayerPrecision.W8A8 or LayerPrecision.W4A8);

            if (architecture == ModelArchitecture.Mamba1)
            {
                const string why = "Mamba1 has one B/C for all channels, so its activation scales are per tensor";
                if (headGroups is { Location: { } hl }) diagnostics.Report(ConfigDiagnosticDescriptors.NoEffect, hl, "head_groups", "mamba1", why);
                if (dimGroups is { Location: { } dl }) diagnostics.Report(ConfigDiagnosticDescriptors.NoEffect, dl, "dim_groups", "mamba1", why);
            }
            else
            {
                int headsPerGroup = shape.NHeads / shape.NGroups;
                if (headGroups is { } h && h.Value > headsPerGroup)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, h.Location,
                        $"'head_groups' ({h.Value}) is more than the {headsPerGroup} heads of each state group: heads are clustered within a group");
                }
                else if (headGroups is null && headsPerGroup < DefaultHeadGroups)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, file.Start(root),
                        $"each state group has {headsPerGroup} heads, fewer than the default 4 head groups: set \"head_groups\" to at most {headsPerGroup}");
                }
                if (dimGroups is { } dv && dv.Value > shape.HeadDim)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, dv.Location,
                        $"'dim_groups' ({dv.Value}) is more than headdim ({shape.HeadDim}): each dim group is a range of a head's channels");
                }
                else if (dimGroups is null && shape.HeadDim < DefaultDimGroups)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, file.Start(root),
                        $"headdim {shape.HeadDim} is smaller than the default 4 dim groups: set \"dim_groups\" to at most {shape.HeadDim}");
                }
            }

            int weightGroupSize = groupSize?.Value ?? DefaultWeightGroupSize;
            if (!any4Bit && groupSize is { Location: { } gl })
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.NoEffect, gl, "weight_group_size", "a config with no 4-bit layer", "only 4-bit weights are quantized in groups");
            }
            else if (any4Bit)
            {
                foreach (var (width, what) in new[] { (shape.DModel, "d_model"), (shape.DInner, "the inner width") })
                {
                    if (width % weightGroupSize == 0) continue;
                    diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, groupSize?.Location ?? precisionLocation,
                        $"4-bit weights are quantized in groups of {weightGroupSize} along the input dimension, but {what} ({width}) is not a multiple of {weightGroupSize}: set \"weight_group_size\" to a divisor of it (a multiple of 32)");
                    break;
                }
            }

            // The online rotation of y: fused with int8 quantization for A8 layers, float-out for W4A16 (its 4-bit
            // out_proj weights carry the rotation); FP16 layers need none.
            HadamardSize? hadamard = null;
            if (layers.Value.Any(l => l != LayerPrecision.Fp16))
            {
                hadamard = ConfigNames.Hadamard(shape.DInner);
                if (hadamard is null)
                {
                    var where = Value("shape") is { } shapeNode ? ShapeLocation(file, shapeNode) : Value("checkpoint") is { } c ? file.At(c) : precisionLocation;
                    diagnostics.Report(ConfigDiagnosticDescriptors.NoHadamard, where, "inner (d_inner)", shape.DInner, NearestHadamard(shape.DInner));
                }
            }

            var statePrecision = state is { } s ? (StatePrecision)s.Value : any8BitActivations ? StatePrecision.Int8 : StatePrecision.Fp16;
            return new ConfigSettings(layers.Value, headGroups?.Value ?? DefaultHeadGroups, dimGroups?.Value ?? DefaultDimGroups, weightGroupSize,
                statePrecision, targets.Sms, targets.OpenEnded, hadamard);
        }

        /// <summary>The value that sets the inner width: d_inner if written, else expand, else d_model.</summary>
        private static LocationInfo ShapeLocation(JsonFile file, JsonNode shape)
        {
            foreach (var key in new[] { "d_inner", "expand", "d_model" })
            {
                if (shape.Member(key) is { } m) return file.At(m.Value);
            }
            return file.Start(shape);
        }

        private static string NearestHadamard(int size)
        {
            for (int delta = 1; delta < size; delta++)
            {
                if (ConfigNames.Hadamard(size - delta) is not null) return ShapeBuilder.Text(size - delta) + (ConfigNames.Hadamard(size + delta) is not null ? " or " + ShapeBuilder.Text(size + delta) : "");
                if (ConfigNames.Hadamard(size + delta) is not null) return ShapeBuilder.Text(size + delta);
            }
            return "1";
        }

        private static EquatableArray<LayerPrecision>? ReadPrecision(JsonFile file, JsonNode root, JsonNode? node, ModelShape? shape, ConfigDiagnostics diagnostics)
        {
            if (node is null)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.MissingKey, file.Start(root), "the config", "precision",
                    "add \"precision\": one of " + ConfigNames.List(ConfigNames.Precisions) + ", or a list with one per layer");
                return null;
            }
            if (node.Kind == JsonKind.String)
            {
                var one = JsonValues.Name(file, node, "precision", "precision", ConfigNames.Precisions, diagnostics);
                if (one is null || shape is null) return null;
                return Enumerable.Repeat((LayerPrecision)one.Value.Value, shape.NLayer).ToEquatableArray();
            }
            if (node.Kind != JsonKind.Array)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(node), "precision",
                    "a precision (" + ConfigNames.List(ConfigNames.Precisions) + ") or an array with one per layer", node.Describe());
                return null;
            }
            var layers = new List<LayerPrecision>();
            bool ok = true;
            for (int i = 0; i < node.Items.Count; i++)
            {
                var item = JsonValues.Name(file, node.Items[i], "precision[" + i.ToString(CultureInfo.InvariantCulture) + "]", "precision", ConfigNames.Precisions, diagnostics);
                if (item is null) ok = false;
                else layers.Add((LayerPrecision)item.Value.Value);
            }
            if (shape is not null && node.Items.Count != shape.NLayer)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, file.At(node),
                    $"the per-layer \"precision\" list has {node.Items.Count} entries but the model has {shape.NLayer} layers (n_layer): give one precision per layer, or a single string for all");
                return null;
            }
            return ok && shape is not null ? layers.ToEquatableArray() : null;
        }

        private static (EquatableArray<int> Sms, bool OpenEnded) ReadTargets(JsonFile file, JsonNode? node, ConfigDiagnostics diagnostics)
        {
            var defaults = (ConfigNames.DefaultSms.ToEquatableArray(), false);
            if (node is null) return defaults;
            var valid = ConfigNames.KnownSms.Select(sm => "sm_" + sm.ToString(CultureInfo.InvariantCulture)).ToArray();
            string validText = ConfigNames.List(valid) + " (a list), or \"sm_NN+\" for that architecture and every later one";
            if (node.Kind == JsonKind.String)
            {
                var text = node.Text.Trim();
                bool open = text.EndsWith("+", System.StringComparison.Ordinal);
                int sm = ParseSm(open ? text.Substring(0, text.Length - 1) : text);
                if (sm == 0)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.UnknownName, file.At(node), node.Text, "target architecture", validText);
                    return defaults;
                }
                return open ? (ConfigNames.KnownSms.Where(k => k >= sm).ToEquatableArray(), true) : (new[] { sm }.ToEquatableArray(), false);
            }
            if (node.Kind != JsonKind.Array || node.Items.Count == 0)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(node), "targets", "a non-empty array of architectures such as [\"sm_80\", \"sm_90\"], or \"sm_80+\"", node.Describe());
                return defaults;
            }
            var sms = new SortedSet<int>();
            for (int i = 0; i < node.Items.Count; i++)
            {
                var item = node.Items[i];
                int sm = item.Kind == JsonKind.String ? ParseSm(item.Text.Trim()) : 0;
                if (item.Kind != JsonKind.String)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(item), "targets[" + i.ToString(CultureInfo.InvariantCulture) + "]", "a string such as \"sm_80\"", item.Describe());
                }
                else if (sm == 0)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.UnknownName, file.At(item), item.Text, "target architecture", validText);
                }
                else
                {
                    sms.Add(sm);
                }
            }
            return (sms.ToEquatableArray(), false);
        }

        /// <summary>"sm_86" -> 86 when it is a known architecture, else 0.</summary>
        private static int ParseSm(string text)
        {
            if (!text.StartsWith("sm_", System.StringComparison.OrdinalIgnoreCase)) return 0;
            return int.TryParse(text.Substring(3), NumberStyles.None, CultureInfo.InvariantCulture, out int sm) && ConfigNames.KnownSms.Contains(sm) ? sm : 0;
        }
    }
}
