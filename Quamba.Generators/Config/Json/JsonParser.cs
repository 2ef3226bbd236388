using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Quamba.Generators.Config.Json
{
    /// <summary>
    /// A small JSON reader that records the span of every value (netstandard2.0 analyzers cannot rely on
    /// System.Text.Json being loadable). Tolerant where editors are: // and /* */ comments, trailing commas,
    /// and the NaN / Infinity / -Infinity literals Python writes into configs. It stops at the first syntax
    /// error and returns it with its position; it never throws, whatever the input.
    /// </summary>
    internal sealed class JsonParser
    {
        /// <summary>Deeper nesting than any config needs; it bounds the recursion on hostile input.</summary>
        public const int MaxDepth = 64;

        private readonly string _text;
        private int _position;
        private JsonError? _error;

        private JsonParser(string text) => _text = text;

        /// <summary>Parses a whole document: one value, then only whitespace and comments.</summary>
        public static JsonNode? Parse(string text, out JsonError? error)
        {
            var parser = new JsonParser(text ?? "");
            var root = parser.ParseDocument();
            error = parser._error;
            return error is null ? root : null;
        }

        private JsonNode? ParseDocument()
        {
            if (_text.Length > 0 && _text[0] == '\uFEFF') _position = 1;
            SkipTrivia();
            if (_error is not null) return null;
            if (_position >= _text.Length) return Fail("the file is empty: expected a JSON object", _position, 0);
            var value = ParseValue(0);
            if (value is null) return null;
            SkipTrivia();
            if (_error is not null) return null;
            if (_position < _text.Length) return Fail("unexpected " + Describe(_position) + " after the end of the JSON value", _position, 1);
            return value;
        }

        private JsonNode? ParseValue(int depth)
        {
            if (depth > MaxDepth) return Fail("values are nested more than " + MaxDepth + " levels deep", _position, 1);
            if (_position >= _text.Length) return Fail("unexpected end of file: expected a value", _position, 0);
            char c = _text[_position];
            switch (c)
            {
                case '{': return ParseObject(depth);
                case '[': return ParseArray(depth);
                case '"': return ParseString();
                case 't': return ParseLiteral("true", JsonKind.True);
                case 'f': return ParseLiteral("false", JsonKind.False);
                case 'n': return ParseLiteral("null", JsonKind.Null);
                case 'N': return ParseNonFinite("NaN", double.NaN);
                case 'I': return ParseNonFinite("Infinity", double.PositiveInfinity);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                    if (c == '\'') return Fail("strings must use double quotes (\"), not single quotes", _position, 1);
                    return Fail("unexpected " + Describe(_position) + ": expected a value (object, array, string, number, true, false or null)", _position, 1);
            }
        }

        private JsonNode? ParseObject(int depth)
        {
            int start = _position++;
            var members = new List<JsonMember>();
            while (true)
            {
                SkipTrivia();
                if (_error is not null) return null;
                if (_position >= _text.Length) return Fail("unexpected end of file: the object opened here is not closed with '}'", start, 1);
                if (_text[_position] == '}')
                {
                    _position++;
                    return JsonNode.Object(members, TextSpan.FromBounds(start, _position));
                }
                if (_text[_position] != '"')
                {
                    return Fail("unexpected " + Describe(_position) + ": expected a property name in double quotes" + (members.Count > 0 ? " or '}'" : ""), _position, 1);
                }
                var key = ParseString();
                if (key is null) return null;
                SkipTrivia();
                if (_error is not null) return null;
                if (_position >= _text.Length || _text[_position] != ':')
                {
                    return Fail("expected ':' after the property name \"" + key.Text + "\"", _position, _position < _text.Length ? 1 : 0);
                }
                _position++;
                SkipTrivia();
                if (_error is not null) return null;
                var value = ParseValue(depth + 1);
                if (value is null) return null;
                members.Add(new JsonMember(key.Text, key.Span, value));
                SkipTrivia();
                if (_error is not null) return null;
                if (_position < _text.Length && _text[_position] == ',')
                {
                    _position++;
                    continue;
                }
                if (_position < _text.Length && _text[_position] == '}') continue;
                if (_position >= _text.Length) return Fail("unexpected end of file: the object opened here is not closed with '}'", start, 1);
                return Fail("unexpected " + Describe(_position) + ": expected ',' or '}' after the value of \"" + key.Text + "\"", _position, 1);
            }
        }

        private JsonNode? ParseArray(int depth)
        {
            int start = _position++;
            var items = new List<JsonNode>();
            while (true)
            {
                SkipTrivia();
                if (_error is not null) return null;
                if (_position >= _text.Length) return Fail("unexpected end of file: the array opened here is not closed with ']'", start, 1);
                if (_text[_position] == ']')
                {
                    _position++;
                    return JsonNode.Array(items, TextSpan.FromBounds(start, _position));
                }
                var item = ParseValue(depth + 1);
                if (item is null) return null;
                items.Add(item);
                SkipTrivia();
                if (_error is not null) return null;
                if (_position < _text.Length && _text[_position] == ',')
                {
                    _position++;
                    continue;
                }
                if (_position < _text.Length && _text[_position] == ']') continue;
                if (_position >= _text.Length) return Fail("unexpected end of file: the array opened here is not closed with ']'", start, 1);
                return Fail("unexpected " + Describe(_position) + ": expected ',' or ']' in the array", _position, 1);
            }
        }

        private JsonNode? ParseString()
        {
            int start = _position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= _text.Length) return Fail("unterminated string", start, 1);
                char c = _text[_position];
                if (c == '"')
                {
                    _position++;
                    return JsonNode.String(builder.ToString(), TextSpan.FromBounds(start, _position));
                }
                if (c == '\n' || c == '\r') return Fail("unterminated string (a string cannot span lines; escape a newline as \\n)", start, 1);
                if (c < ' ') return Fail("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " in a string: escape it", _position, 1);
                if (c != '\\')
                {
                    builder.Append(c);
                    _position++;
                    continue;
                }
                if (_position + 1 >= _text.Length) return Fail("unterminated string", start, 1);
                char escape = _text[_position + 1];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 6 > _text.Length
                            || !int.TryParse(_text.Substring(_position + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            return Fail("invalid \\u escape: expected four hexadecimal digits", _position, Math.Min(6, _text.Length - _position));
                        }
                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        return Fail("invalid escape '\\" + escape + "' in a string", _position, 2);
                }
                _position += 2;
            }
        }

        private JsonNode? ParseNumber()
        {
            int start = _position;
            if (_text[_position] == '-')
            {
                _position++;
                if (_position < _text.Length && _text[_position] == 'I')
                {
                    _position = start;
                    return ParseNonFinite("-Infinity", double.NegativeInfinity);
                }
            }
            int digitsStart = _position;
            while (_position < _text.Length && char.IsDigit(_text[_position]) && _text[_position] < 128) _position++;
            if (_position == digitsStart) return Fail("invalid number: expected a digit after '-'", start, Math.Max(1, _position - start));
            if (_text[digitsStart] == '0' && _position - digitsStart > 1) return Fail("invalid number: leading zeros are not allowed", start, _position - start);
            bool isInteger = true;
            if (_position < _text.Length && _text[_position] == '.')
            {
                isInteger = false;
                _position++;
                int fraction = _position;
                while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9') _position++;
                if (_position == fraction) return Fail("invalid number: expected a digit after '.'", start, _position - start);
            }
            if (_position < _text.Length && (_text[_position] == 'e' || _text[_position] == 'E'))
            {
                isInteger = false;
                _position++;
                if (_position < _text.Length && (_text[_position] == '+' || _text[_position] == '-')) _position++;
                int exponent = _position;
                while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9') _position++;
                if (_position == exponent) return Fail("invalid number: expected a digit in the exponent", start, _position - start);
            }
            if (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_' || _text[_position] == '.'))
            {
                return Fail("invalid number '" + _text.Substring(start, _position - start + 1) + "'", start, _position - start + 1);
            }
            string raw = _text.Substring(start, _position - start);
            double value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            long integer = 0;
            if (isInteger && !long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer)) isInteger = false;
            return JsonNode.NumberValue(raw, value, isInteger, integer, TextSpan.FromBounds(start, _position));
        }

        private JsonNode? ParseLiteral(string word, JsonKind kind)
        {
            if (!Matches(word)) return Fail("unexpected " + DescribeWord(_position) + ": expected a value (did you mean " + word + "?)", _position, WordLength(_position));
            int start = _position;
            _position += word.Length;
            return JsonNode.Literal(kind, TextSpan.FromBounds(start, _position));
        }

        private JsonNode? ParseNonFinite(string word, double value)
        {
            if (!Matches(word)) return Fail("unexpected " + DescribeWord(_position) + ": expected a value", _position, WordLength(_position));
            int start = _position;
            _position += word.Length;
            return JsonNode.NumberValue(word, value, false, 0, TextSpan.FromBounds(start, _position));
        }

        private bool Matches(string word)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0) return false;
            int end = _position + word.Length;
            return end >= _text.Length || !(char.IsLetterOrDigit(_text[end]) || _text[end] == '_');
        }

        private void SkipTrivia()
        {
            while (_position < _text.Length)
            {
                char c = _text[_position];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                {
                    _position++;
                }
                else if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '/')
                {
                    while (_position < _text.Length && _text[_position] != '\n') _position++;
                }
                else if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '*')
                {
                    int end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        Fail("unterminated /* comment", _position, 2);
                        return;
                    }
                    _position = end + 2;
                }
                else
                {
                    return;
                }
            }
        }

        private int WordLength(int position)
        {
            int end = position;
            while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_')) end++;
            return Math.Max(1, end - position);
        }

        private string DescribeWord(int position) => "'" + _text.Substring(position, Math.Min(WordLength(position), 40)) + "'";

        private string Describe(int position)
        {
            char c = _text[position];
            if (char.IsLetterOrDigit(c)) return DescribeWord(position);
            return c < ' ' ? "character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : "'" + c + "'";
        }

        private JsonNode? Fail(string message, int start, int length)
        {
            if (_error is null)
            {
                start = Math.Max(0, Math.Min(start, _text.Length));
                length = Math.Max(0, Math.Min(length, _text.Length - start));
                _error = new JsonError(message, new TextSpan(start, length));
            }
            return null;
        }
    }
}
