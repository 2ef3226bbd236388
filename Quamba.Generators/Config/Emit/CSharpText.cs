using System.Globalization;
using System.Text;

namespace Quamba.Generators.Config.Emit
{
    /// <summary>Small helpers for writing generated C#: indentation and literals.</summary>
    internal sealed class CSharpText
    {
        private readonly StringBuilder _s = new();
        private int _depth;

        public CSharpText Line(string text = "")
        {
            if (text.Length > 0) _s.Append(' ', _depth * 4).Append(text);
            _s.Append('\n');
            return this;
        }

        public CSharpText Open(string header)
        {
            Line(header);
            Line("{");
            _depth++;
            return this;
        }

        public CSharpText Close(string suffix = "")
        {
            _depth--;
            Line("}" + suffix);
            return this;
        }

        public int Depth => _depth;

        public CSharpText Raw(string text)
        {
            _s.Append(text);
            return this;
        }

        public override string ToString() => _s.ToString();

        public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string String(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}
