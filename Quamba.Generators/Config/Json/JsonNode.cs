using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace Quamba.Generators.Config.Json
{
    internal enum JsonKind : byte { Object, Array, String, Number, True, False, Null }

    /// <summary>A member of a JSON object: its key, the key's span (quotes included) and its value.</summary>
    internal sealed class JsonMember
    {
        public JsonMember(string key, TextSpan keySpan, JsonNode value)
        {
            Key = key;
            KeySpan = keySpan;
            Value = value;
        }

        public string Key { get; }
        public TextSpan KeySpan { get; }
        public JsonNode Value { get; }
    }

    /// <summary>
    /// A parsed JSON value with the span of its text, so that every diagnostic about a config value can point at
    /// the exact line and column. Objects keep their members in file order (duplicates included: the config
    /// reader reports them).
    /// </summary>
    internal sealed class JsonNode
    {
        private JsonNode(JsonKind kind, TextSpan span)
        {
            Kind = kind;
            Span = span;
        }

        public JsonKind Kind { get; }
        public TextSpan Span { get; }

        /// <summary>The decoded string, or the raw text of a number.</summary>
        public string Text { get; private set; } = "";

        public double Number { get; private set; }

        /// <summary>True when a number was written without fraction or exponent and fits a long.</summary>
        public bool IsInteger { get; private set; }

        public long Integer { get; private set; }

        public IReadOnlyList<JsonMember> Members { get; private set; } = System.Array.Empty<JsonMember>();
        public IReadOnlyList<JsonNode> Items { get; private set; } = System.Array.Empty<JsonNode>();

        public static JsonNode String(string value, TextSpan span) => new(JsonKind.String, span) { Text = value };

        public static JsonNode NumberValue(string raw, double value, bool isInteger, long integer, TextSpan span) =>
            new(JsonKind.Number, span) { Text = raw, Number = value, IsInteger = isInteger, Integer = integer };

        public static JsonNode Literal(JsonKind kind, TextSpan span) => new(kind, span);

        public static JsonNode Object(IReadOnlyList<JsonMember> members, TextSpan span) => new(JsonKind.Object, span) { Members = members };

        public static JsonNode Array(IReadOnlyList<JsonNode> items, TextSpan span) => new(JsonKind.Array, span) { Items = items };

        /// <summary>The first member named <paramref name="key"/>, or null.</summary>
        public JsonMember? Member(string key)
        {
            foreach (var member in Members)
            {
                if (member.Key == key) return member;
            }
            return null;
        }

        /// <summary>How the value reads in a message: "string \"abc\"", "number 3.5", "an object".</summary>
        public string Describe()
        {
            switch (Kind)
            {
                case JsonKind.Object: return "an object";
                case JsonKind.Array: return "an array";
                case JsonKind.String: return "the string \"" + Shorten(Text) + "\"";
                case JsonKind.Number: return "the number " + Shorten(Text);
                case JsonKind.True: return "true";
                case JsonKind.False: return "false";
                default: return "null";
            }
        }

        private static string Shorten(string text) => text.Length > 40 ? text.Substring(0, 40) + "..." : text;
    }

    /// <summary>A syntax error: what was wrong, and where.</summary>
    internal sealed class JsonError
    {
        public JsonError(string message, TextSpan span)
        {
            Message = message;
            Span = span;
        }

        public string Message { get; }
        public TextSpan Span { get; }
    }
}
