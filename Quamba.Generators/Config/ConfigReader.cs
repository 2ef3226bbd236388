using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Text;
using Quamba.Generators.Common;
using Quamba.Generators.Config.Json;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>A checkpoint config.json that is an input of the build (an AdditionalFile).</summary>
    internal sealed record CheckpointFile(string Path, string Text);

    /// <summary>What reading one quamba.json gave: the config (null on any error) and every diagnostic.</summary>
    internal sealed record ConfigReadResult(string Path, QuambaConfig? Config, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>
    /// Reads and validates one quamba.json. Never throws: an unexpected exception becomes QC0013 and no config.
    /// Every problem is reported (not only the first), each at the line and column of the value concerned.
    /// </summary>
    internal static class ConfigReader
    {
        public static readonly string[] Keys =
        {
            "$schema", "name", "architecture", "checkpoint", "shape", "precision", "head_groups", "dim_groups", "weight_group_size",
            "state_precision", "targets",
        };

        public static ConfigReadResult Read(string path, string text, IReadOnlyList<CheckpointFile> checkpoints, CancellationToken cancellationToken = default)
        {
            var diagnostics = new ConfigDiagnostics();
            QuambaConfig? config = null;
            JsonFile? file = null;
            try
            {
                TestHooks.Enter("ConfigRead");
                file = new JsonFile(path, text);
                config = ReadFile(file, checkpoints, diagnostics, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                var location = file?.Location(new TextSpan(0, 0));
                diagnostics.Report(ConfigDiagnosticDescriptors.InternalError, location, path, exception.GetType().Name + ": " + exception.Message);
                config = null;
            }
            return new ConfigReadResult(path, diagnostics.HasErrors ? null : config, diagnostics.Items.ToEquatableArray());
        }

        private static QuambaConfig? ReadFile(JsonFile file, IReadOnlyList<CheckpointFile> checkpoints, ConfigDiagnostics diagnostics, CancellationToken cancellationToken)
        {
            if (file.Error is { } error)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidJson, file.Location(error.Span), ConfigNames.FromPath(file.Path) + ".json", error.Message);
                return null;
            }
            var root = file.Root!;
            if (root.Kind != JsonKind.Object)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.Start(root), "the config", "a JSON object", root.Describe());
                return null;
            }
            var members = JsonValues.Members(file, root, "the config", Keys, diagnostics);
            JsonNode? Value(string key) => members.TryGetValue(key, out var m) ? m.Value : null;

            string name = ReadName(file, Value("name"), diagnostics);
            var declared = Value("architecture") is { } a
                ? JsonValues.Name(file, a, "architecture", "architecture", ConfigNames.Architectures, diagnostics)
                : null;

            // The shape: written in the config, or read from a checkpoint's config.json.
            ShapeInput? input = null;
            var shapeNode = Value("shape");
            var checkpointNode = Value("checkpoint");
            if (shapeNode is not null && checkpointNode is not null)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, file.Location(members["shape"].KeySpan),
                    "give either \"shape\" or \"checkpoint\", not both: the checkpoint's config.json already defines every size");
            }
            else if (checkpointNode is not null)
            {
                input = ReadCheckpoint(file, checkpointNode, checkpoints, diagnostics);
            }
            else if (shapeNode is not null)
            {
                input = ShapeObjectReader.Read(file, shapeNode, diagnostics);
            }
            else
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.MissingKey, file.Start(root), "the config", "shape",
                    "add \"shape\": { \"d_model\": ..., \"n_layer\": ..., \"vocab_size\": ... } or \"checkpoint\": \"path/to/config.json\"");
            }
            cancellationToken.ThrowIfCancellationRequested();

            ModelArchitecture? architecture = null;
            if (declared is { } d)
            {
                architecture = (ModelArchitecture)d.Value;
                if (input?.Architecture is { } fromCheckpoint && fromCheckpoint.Value != architecture)
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, d.Location,
                        $"\"architecture\" is {ConfigNames.Text(architecture.Value)} but the checkpoint is a {ConfigNames.Text(fromCheckpoint.Value)} model");
                }
            }
            else if (input?.Architecture is { } fromCheckpoint)
            {
                architecture = fromCheckpoint.Value;
            }
            else if (Value("architecture") is null && (shapeNode is not null || checkpointNode is null))
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.MissingKey, file.Start(root), "the config", "architecture",
                    "add \"architecture\": \"mamba1\" or \"mamba2\"");
            }

            ModelShape? shape = input is not null && architecture is { } arch ? ShapeBuilder.Build(input, arch, diagnostics) : null;
            var settings = SettingsReader.Read(file, root, members, architecture, shape, diagnostics);
            if (diagnostics.HasErrors || shape is null || architecture is null || settings is null) return null;

            return new QuambaConfig(name, file.Path, architecture.Value, shape, settings.Layers, settings.HeadGroups, settings.DimGroups,
                settings.WeightGroupSize, settings.StatePrecision, settings.TargetSms, settings.OpenEnded, settings.Hadamard, file.Start(root));
        }

        private static string ReadName(JsonFile file, JsonNode? node, ConfigDiagnostics diagnostics)
        {
            string source = ConfigNames.FromPath(file.Path);
            LocationInfo location = file.Location(new TextSpan(0, 0));
            if (node is not null)
            {
                var text = JsonValues.String(file, node, "name", diagnostics);
                if (text is null) return "";
                source = text.Value.Value;
                location = file.At(node);
            }
            var identifier = ConfigNames.ToIdentifier(source);
            if (identifier.Length == 0 || identifier.Length > 100)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidName, location,
                    $"the config name '{source}' gives no usable C# identifier: set \"name\" to letters and digits, e.g. \"name\": \"Mamba2Tiny\"");
            }
            return identifier;
        }

        private static ShapeInput? ReadCheckpoint(JsonFile file, JsonNode node, IReadOnlyList<CheckpointFile> checkpoints, ConfigDiagnostics diagnostics)
        {
            var relative = JsonValues.String(file, node, "checkpoint", diagnostics);
            if (relative is null) return null;
            if (relative.Value.Value.Trim().Length == 0)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(node), "checkpoint", "a path to a config.json", node.Describe());
                return null;
            }
            var resolved = ConfigPaths.Resolve(file.Path, relative.Value.Value.Trim());
            // A directory names its config.json, as the CLI accepts.
            var candidates = resolved.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? new[] { resolved } : new[] { resolved, resolved + "/config.json" };
            var match = checkpoints.FirstOrDefault(c => candidates.Any(p => ConfigPaths.Same(c.Path, p)))
                ?? checkpoints.FirstOrDefault(c => candidates.Any(p => ConfigPaths.SameIgnoringCase(c.Path, p)));
            if (match is null)
            {
                diagnostics.Report(ConfigDiagnosticDescriptors.CheckpointNotAnInput, file.At(node), relative.Value.Value, resolved);
                return null;
            }
            return CheckpointShapeReader.Read(new JsonFile(match.Path, match.Text), file.At(node), diagnostics);
        }
    }
}
