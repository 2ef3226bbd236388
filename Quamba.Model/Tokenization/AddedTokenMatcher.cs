using System.Buffers;
using System.Globalization;
using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// Finds added tokens in text the way Hugging Face's AddedVocabulary does: leftmost-longest, non-overlapping
/// matches (its Aho-Corasick automaton), then per token: single_word drops a match touching a word character
/// on either side, lstrip / rstrip widen a match over the whitespace before / after it.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;
    private readonly Dictionary<AddedToken, string> _patterns; // the text matched for each token
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens, Func<string, string>? transformContent = null)
    {
        var groups = new Dictionary<char, List<(string Pattern, AddedToken Token)>>();
        foreach (var token in tokens)
        {
            string pattern = transformContent is null ? token.Content : transformContent(token.Content);
            if (pattern.Length == 0)
                continue;
            if (!groups.TryGetValue(pattern[0], out var list))
                groups[pattern[0]] = list = [];
            list.Add((pattern, token));
        }
        _byFirstChar = new Dictionary<char, AddedToken[]>();
        _patterns = new Dictionary<AddedToken, string>(ReferenceEqualityComparer.Instance);
        foreach (var (first, list) in groups)
        {
            // Longest first; equal lengths keep file order.
            var sorted = list.Select((e, i) => (e, i)).OrderByDescending(x => x.e.Pattern.Length).ThenBy(x => x.i).Select(x => x.e).ToList();
            _byFirstChar[first] = sorted.Select(e => e.Token).ToArray();
            foreach (var (pattern, token) in sorted)
                _patterns[token] = pattern;
        }
        _firstChars = SearchValues.Create(groups.Keys.ToArray());
        IsEmpty = groups.Count == 0;
    }

    public bool IsEmpty { get; }

    /// <summary>
    /// Splits <paramref name="text"/> into (start, length, token) parts that cover it in order; token is null
    /// for the text between added tokens. Empty parts are left out.
    /// </summary>
    public List<(int Start, int Length, AddedToken? Token)> Split(ReadOnlySpan<char> text)
    {
        var parts = new List<(int, int, AddedToken?)>();
        int startOffset = 0; // end of the last accepted match
        int searchFrom = 0;
        while (searchFrom < text.Length)
        {
            int rel = text[searchFrom..].IndexOfAny(_firstChars);
            if (rel < 0)
                break;
            int pos = searchFrom + rel;
            AddedToken? found = null;
            foreach (var candidate in _byFirstChar[text[pos]])
            {
                if (text[pos..].StartsWith(_patterns[candidate], StringComparison.Ordinal))
                {
                    found = candidate;
                    break;
                }
            }
            if (found is null)
            {
                searchFrom = pos + 1;
                continue;
            }
            int start = pos;
            int stop = pos + _patterns[found].Length;
            searchFrom = stop; // the automaton moves past a match even when single_word then discards it
            if (found.SingleWord)
            {
                bool startOk = start == 0 || !EndsWithWordChar(text[..start]);
                bool stopOk = stop == text.Length || !StartsWithWordChar(text[stop..]);
                if (!startOk || !stopOk)
                    continue;
            }
            if (found.LStrip)
            {
                int newStart = start;
                while (newStart > 0 && char.IsWhiteSpace(text[newStart - 1]))
                    newStart--;
                start = Math.Max(newStart, startOffset);
            }
            if (found.RStrip)
            {
                while (stop < text.Length && char.IsWhiteSpace(text[stop]))
                    stop++;
                searchFrom = stop;
            }
            if (startOffset < start)
                parts.Add((startOffset, start - startOffset, null));
            parts.Add((start, stop - start, found));
            startOffset = stop;
        }
        if (startOffset < text.Length)
            parts.Add((startOffset, text.Length - startOffset, null));
        return parts;
    }

    // Rust regex \w: Alphabetic, marks, decimal digits, connector punctuation (Join_Control aside).
    private static bool IsWordRune(Rune r) => Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    private static bool EndsWithWordChar(ReadOnlySpan<char> s) =>
        Rune.DecodeLastFromUtf16(s, out Rune r, out _) == OperationStatus.Done && IsWordRune(r);

    private static bool StartsWithWordChar(ReadOnlySpan<char> s) =>
        Rune.DecodeFromUtf16(s, out Rune r, out _) == OperationStatus.Done && IsWordRune(r);
}
