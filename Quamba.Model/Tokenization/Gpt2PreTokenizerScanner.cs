using System.Globalization;
using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// A hand-written scanner equivalent to the GPT-2 pre-tokenizer pattern
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// as Hugging Face tokenizers (Oniguruma) runs it: leftmost-first alternation, over Unicode code points, so a
/// supplementary letter such as U+20000 counts as \p{L} (the .NET regex engine would see two surrogates).
/// \s is Unicode White_Space (the same set as .NET's char.IsWhiteSpace).
/// </summary>
internal static class Gpt2PreTokenizerScanner
{
    /// <summary>The pattern this scanner implements, as tokenizer.json files spell it.</summary>
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private enum CharClass : byte { Letter, Number, Space, Other }

    // Classes of ASCII characters, the common case.
    private static readonly CharClass[] s_ascii = BuildAscii();

    /// <summary>
    /// The end (exclusive) of the pre-token that starts at <paramref name="start"/>; every call consumes at
    /// least one character, and consecutive calls cover the whole text.
    /// </summary>
    public static int NextEnd(ReadOnlySpan<char> s, int start)
    {
        int n = s.Length;
        char c = s[start];

        if (c == '\'' && start + 1 < n)
        {
            char c1 = s[start + 1];
            if (c1 is 's' or 't' or 'm' or 'd')
                return start + 2;
            if (start + 2 < n)
            {
                char c2 = s[start + 2];
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l'))
                    return start + 3;
            }
        }

        int body = start;
        CharClass cls;
        if (c == ' ' && start + 1 < n)
        {
            cls = ClassAt(s, start + 1, out _);
            if (cls != CharClass.Space)
                body = start + 1;
            else
                cls = CharClass.Space; // the space itself starts a whitespace run
        }
        else
        {
            cls = ClassAt(s, start, out _);
        }

        if (cls != CharClass.Space)
            return RunEnd(s, body, cls);

        // Whitespace: \s+(?!\S) takes the run but leaves its last character when a non-space follows;
        // a single whitespace character before a non-space is taken by \s+.
        int k = start + 1;
        while (k < n && IsSpace(s[k]))
            k++;
        if (k == n)
            return n;
        return k - start >= 2 ? k - 1 : k;
    }

    /// <summary>Splits <paramref name="s"/> into pre-tokens, reporting each as (start, length).</summary>
    public static void Split(ReadOnlySpan<char> s, List<(int Start, int Length)> output)
    {
        int pos = 0;
        while (pos < s.Length)
        {
            int end = NextEnd(s, pos);
            output.Add((pos, end - pos));
            pos = end;
        }
    }

    private static int RunEnd(ReadOnlySpan<char> s, int pos, CharClass cls)
    {
        int n = s.Length;
        while (pos < n)
        {
            if (ClassAt(s, pos, out int width) != cls)
                break;
            pos += width;
        }
        return pos;
    }

    private static bool IsSpace(char c) => c < 128 ? s_ascii[c] == CharClass.Space : char.IsWhiteSpace(c);

    private static CharClass ClassAt(ReadOnlySpan<char> s, int i, out int width)
    {
        char c = s[i];
        width = 1;
        if (c < 128)
            return s_ascii[c];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return FromCategory(Rune.GetUnicodeCategory(new Rune(c, s[i + 1])));
        }
        if (char.IsWhiteSpace(c))
            return CharClass.Space;
        return FromCategory(char.GetUnicodeCategory(c));
    }

    private static CharClass FromCategory(UnicodeCategory cat) => cat switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
        _ => CharClass.Other,
    };

    private static CharClass[] BuildAscii()
    {
        var t = new CharClass[128];
        for (int c = 0; c < 128; c++)
        {
            t[c] = char.IsWhiteSpace((char)c) ? CharClass.Space
                : char.IsLetter((char)c) ? CharClass.Letter
                : char.IsDigit((char)c) ? CharClass.Number
                : CharClass.Other;
        }
        return t;
    }
}
