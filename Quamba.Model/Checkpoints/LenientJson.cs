using System.Text;

namespace Quamba.Model.Checkpoints;

/// <summary>
/// Python's json module writes non-finite floats as bare <c>Infinity</c>, <c>-Infinity</c> and <c>NaN</c>, which are not
/// JSON. This rewrites those tokens (outside strings) as the strings "Infinity", "-Infinity", "NaN" so System.Text.Json
/// can parse the text; number readers then accept those strings.
/// </summary>
internal static class LenientJson
{
    private static readonly string[] Literals = ["-Infinity", "Infinity", "NaN"];

    public static string QuoteNonFiniteLiterals(string json)
    {
        if (json.IndexOf("Infinity", StringComparison.Ordinal) < 0 && json.IndexOf("NaN", StringComparison.Ordinal) < 0)
            return json;
        var result = new StringBuilder(json.Length + 16);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < json.Length) result.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"')
            {
                inString = true;
                result.Append(c);
                continue;
            }
            string? literal = Literals.FirstOrDefault(l => string.CompareOrdinal(json, i, l, 0, l.Length) == 0 && !IsIdentifierChar(json, i + l.Length) && !IsIdentifierChar(json, i - 1));
            if (literal is not null)
            {
                result.Append('"').Append(literal).Append('"');
                i += literal.Length - 1;
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    private static bool IsIdentifierChar(string s, int i) => i >= 0 && i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_');
}
