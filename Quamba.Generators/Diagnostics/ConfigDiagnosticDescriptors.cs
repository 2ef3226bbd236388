using Microsoft.CodeAnalysis;

namespace Quamba.Generators.Diagnostics
{
    /// <summary>
    /// Diagnostics about quamba.json configs (QC IDs, stable: AnalyzerReleases.Shipped.md and docs/config.md).
    /// Each points at the config (or checkpoint) file, line and column of the offending value.
    /// </summary>
    internal static class ConfigDiagnosticDescriptors
    {
        private const string Category = "Quamba.Config";

        public static readonly DiagnosticDescriptor InvalidJson = Error(
            "QC0001", "Config is not valid JSON",
            "'{0}' is not valid JSON: {1}");

        public static readonly DiagnosticDescriptor UnknownKey = Error(
            "QC0002", "Unknown config key",
            "Unknown key '{0}' in {1}: did you mean '{2}'? Valid keys: {3}");

        public static readonly DiagnosticDescriptor InvalidValue = Error(
            "QC0003", "Config value of the wrong type or out of range",
            "'{0}' must be {1}, found {2}");

        public static readonly DiagnosticDescriptor UnknownName = Error(
            "QC0004", "Unknown precision, architecture or target",
            "'{0}' is not a known {1}: use {2}");

        public static readonly DiagnosticDescriptor MissingKey = Error(
            "QC0005", "Required config key missing",
            "{0} has no '{1}': {2}");

        public static readonly DiagnosticDescriptor InconsistentShape = Error(
            "QC0006", "Inconsistent model shape or settings",
            "{0}");

        public static readonly DiagnosticDescriptor NoHadamard = Error(
            "QC0007", "Width with no Hadamard construction",
            "The {0} width {1} has no Hadamard construction: supported widths are 2^k and m x 2^k with m in 12, 20, 28, 40 (nearest: {2})");

        public static readonly DiagnosticDescriptor CheckpointNotAnInput = Error(
            "QC0008", "Checkpoint config is not an input of the build",
            "Checkpoint '{0}' (resolved to '{1}') is not an input of the build: check the path; the Quamba package adds a checkpoint named by a string literal automatically, otherwise add <AdditionalFiles Include=\"{0}\" QuambaKind=\"checkpoint\" />");

        public static readonly DiagnosticDescriptor InvalidCheckpoint = Error(
            "QC0009", "Invalid checkpoint config",
            "Checkpoint config '{0}': {1}");

        public static readonly DiagnosticDescriptor InvalidName = Error(
            "QC0010", "Invalid or duplicate config name",
            "{0}");

        public static readonly DiagnosticDescriptor DuplicateKey = Error(
            "QC0011", "Duplicate config key",
            "Key '{0}' appears more than once in {1} (first at line {2})");

        public static readonly DiagnosticDescriptor NoEffect = Warning(
            "QC0012", "Config setting has no effect",
            "'{0}' has no effect for {1}: {2}");

        public static readonly DiagnosticDescriptor InternalError = Error(
            "QC0013", "Config generator internal error",
            "The config generator failed on '{0}': {1}. This is a bug in Quamba.Generators; nothing was generated for this config");

        public static readonly DiagnosticDescriptor KernelLibrary = Error(
            "QC0014", "Kernel library missing or mismatched",
            "{0}");

        public static readonly DiagnosticDescriptor KernelInstance = Error(
            "QC0015", "A kernel instance the config needs failed to compile",
            "Kernel '{0}' for config '{1}' failed to compile: {2} ({3})");

        public static readonly DiagnosticDescriptor[] All =
        {
            InvalidJson, UnknownKey, InvalidValue, UnknownName, MissingKey, InconsistentShape, NoHadamard, CheckpointNotAnInput,
            InvalidCheckpoint, InvalidName, DuplicateKey, NoEffect, InternalError, KernelLibrary, KernelInstance,
        };

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static string HelpLink(string id) => "docs/config.md#" + id.ToLowerInvariant();
    }
}
