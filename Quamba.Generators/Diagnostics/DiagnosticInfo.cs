using System.Linq;
using Microsoft.CodeAnalysis;
using Quamba.Generators.Common;

namespace Quamba.Generators.Diagnostics
{
    /// <summary>An equatable diagnostic: descriptor ID, location and message arguments.</summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments) =>
            new(descriptor.Id, location, arguments.Select(a => a?.ToString() ?? "").ToEquatableArray());

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(DiagnosticDescriptors.Get(Id), Location?.ToLocation(), Arguments.Cast<object>().ToArray());

        public bool IsError => DiagnosticDescriptors.Get(Id).DefaultSeverity == DiagnosticSeverity.Error;
    }

    /// <summary>
    /// A diagnostic found after lowering, pointing at a source node by its index in the kernel's source table
    /// (so the lowered IR stays free of text offsets and survives edits elsewhere in the file).
    /// </summary>
    internal sealed record BackendDiagnostic(string Id, int SourceIndex, EquatableArray<string> Arguments)
    {
        public static BackendDiagnostic Create(DiagnosticDescriptor descriptor, int sourceIndex, params object?[] arguments) =>
            new(descriptor.Id, sourceIndex, arguments.Select(a => a?.ToString() ?? "").ToEquatableArray());
    }
}
