using System.Globalization;
using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// The "Digits" pre-tokenizer: isolates numeric characters (Unicode categories Nd, Nl, No, as Rust's
/// char::is_numeric), each on its own (individual_digits) or as contiguous runs.
/// </summary>
internal sealed class DigitsPreTokenizerStep : IPreTokenizerStep
{
    private readonly bool _individualDigits;

    public DigitsPreTokenizerStep(bool individualDigits) => _individualDigits = individualDigits;

    public void Split(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output)
    {
        ReadOnlySpan<char> s = piece.Span;
        int pos = 0;
        while (pos < s.Length)
        {
            bool numeric = IsNumericAt(s, pos, out int width);
            int end = pos + width;
            if (!numeric || !_individualDigits)
            {
                while (end < s.Length && IsNumericAt(s, end, out int w) == numeric)
                    end += w;
            }
            output.Add(piece.Slice(pos, end - pos));
            pos = end;
        }
    }

    private static bool IsNumericAt(ReadOnlySpan<char> s, int i, out int width)
    {
        UnicodeCategory cat;
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            cat = Rune.GetUnicodeCategory(new Rune(s[i], s[i + 1]));
        }
        else
        {
            width = 1;
            cat = char.GetUnicodeCategory(s[i]);
        }
        return cat is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
    }
}
