using System.Collections.Generic;
using System.Globalization;
using Quamba.Generators.Config.Json;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>Typed reads of JSON values; each failure is a QC0003 at the value, naming the key path.</summary>
    internal static class JsonValues
    {
        /// <summary>Sizes above this are rejected: no real model comes near, and products of them stay within int.</summary>
        public const int MaxSize = 1 << 20;

        public static Located<int>? PositiveInt(JsonFile file, JsonNode value, string key, ConfigDiagnostics diagnostics, int max = MaxSize)
        {
            if (value.Kind == JsonKind.Number && value.IsInteger && value.Integer >= 1 && value.Integer <= max)
            {
                return new Located<int>((int)value.Integer, file.At(value));
            }
            // 2.0 is an integer written as a float (Python writes expand that way): accept it.
            if (value.Kind == JsonKind.Number && !value.IsInteger && value.Number >= 1 && value.Number <= max && value.Number == System.Math.Floor(value.Number))
            {
                return new Located<int>((int)value.Number, file.At(value));
            }
            diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(value), key,
                "a positive integer (at most " + max.ToString(CultureInfo.InvariantCulture) + ")", value.Describe());
            return null;
        }

        public static Located<string>? String(JsonFile file, JsonNode value, string key, ConfigDiagnostics diagnostics)
        {
            if (value.Kind == JsonKind.String) return new Located<string>(value.Text, file.At(value));
            diagnostics.Report(ConfigDiagnosticDescriptors.InvalidValue, file.At(value), key, "a string", value.Describe());
            return null;
        }

        /// <summary>A string that must be one of <paramref name="names"/> (case-insensitive); QC0004 otherwise.</summary>
        public static Located<int>? Name(JsonFile file, JsonNode value, string key, string what, string[] names, ConfigDiagnostics diagnostics)
        {
            var text = String(file, value, key, diagnostics);
            if (text is null) return null;
            for (int i = 0; i < names.Length; i++)
            {
                if (string.Equals(names[i], text.Value.Value.Trim(), System.StringComparison.OrdinalIgnoreCase)) return new Located<int>(i, text.Value.Location);
            }
            diagnostics.Report(ConfigDiagnosticDescriptors.UnknownName, file.At(value), text.Value.Value, what, ConfigNames.List(names));
            return null;
        }

        /// <summary>
        /// Reports unknown keys (QC0002, with the nearest valid key) and repeated keys (QC0011) of an object and
        /// returns its known members by key (the first of repeated ones).
        /// </summary>
        public static Dictionary<string, JsonMember> Members(JsonFile file, JsonNode obj, string where, string[] validKeys, ConfigDiagnostics diagnostics)
        {
            var result = new Dictionary<string, JsonMember>();
            var valid = new HashSet<string>(validKeys);
            foreach (var member in obj.Members)
            {
                if (result.TryGetValue(member.Key, out var first))
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.DuplicateKey, file.Location(member.KeySpan), member.Key, where, file.Line(first.KeySpan));
                    continue;
                }
                if (!valid.Contains(member.Key))
                {
                    diagnostics.Report(ConfigDiagnosticDescriptors.UnknownKey, file.Location(member.KeySpan), member.Key, where,
                        ConfigNames.Nearest(member.Key, validKeys), string.Join(", ", validKeys));
                    continue;
                }
                result[member.Key] = member;
            }
            return result;
        }
    }
}
