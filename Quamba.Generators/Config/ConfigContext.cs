using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Quamba.Generators.Common;
using Quamba.Generators.Config.Json;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>One JSON file being read (a quamba.json or a checkpoint config): its path, text and parsed root.</summary>
    internal sealed class JsonFile
    {
        private readonly SourceText _text;

        public JsonFile(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text ?? "");
            Root = JsonParser.Parse(text ?? "", out var error);
            Error = error;
        }

        public string Path { get; }
        public JsonNode? Root { get; }
        public JsonError? Error { get; }

        public LocationInfo Location(TextSpan span)
        {
            if (span.End > _text.Length) span = new TextSpan(System.Math.Min(span.Start, _text.Length), 0);
            return new LocationInfo(Path, span, _text.Lines.GetLinePositionSpan(span));
        }

        /// <summary>Where the value starts: its first character (an object's '{').</summary>
        public LocationInfo Start(JsonNode node) => Location(new TextSpan(node.Span.Start, node.Kind is JsonKind.Object or JsonKind.Array ? 1 : node.Span.Length));

        public LocationInfo At(JsonNode node) => Location(node.Span);

        public int Line(TextSpan span) => _text.Lines.GetLinePosition(span.Start).Line + 1;
    }

    /// <summary>A value read from a config, with where it was written (null when it is a default).</summary>
    internal readonly struct Located<T>
    {
        public Located(T value, LocationInfo? location)
        {
            Value = value;
            Location = location;
        }

        public T Value { get; }
        public LocationInfo? Location { get; }
        public bool Given => Location is not null;
    }

    /// <summary>The diagnostics collected while reading one config.</summary>
    internal sealed class ConfigDiagnostics
    {
        private readonly List<DiagnosticInfo> _items = new();

        public IReadOnlyList<DiagnosticInfo> Items => _items;

        public bool HasErrors { get; private set; }

        public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments)
        {
            var info = DiagnosticInfo.Create(descriptor, location, arguments);
            if (_items.Contains(info)) return;
            _items.Add(info);
            if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) HasErrors = true;
        }
    }
}
