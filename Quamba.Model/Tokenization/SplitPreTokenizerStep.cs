using System.Text.RegularExpressions;

namespace Quamba.Model.Tokenization;

/// <summary>How a "Split" pre-tokenizer treats the pieces its pattern matches (tokenizer.json "behavior").</summary>
internal enum SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

/// <summary>
/// The "Split" pre-tokenizer: cuts each piece at the matches of a pattern and keeps, drops or merges the
/// matches per <see cref="SplitBehavior"/>; invert swaps the roles of matches and the text between them.
/// The GPT-2 pattern runs on <see cref="Gpt2PreTokenizerScanner"/> (code-point exact); any other pattern runs
/// on the .NET regex engine, which sees a supplementary character as two surrogates.
/// </summary>
internal sealed class SplitPreTokenizerStep : IPreTokenizerStep
{
    private readonly Regex? _regex;
    private readonly bool _gpt2;
    private readonly SplitBehavior _behavior;
    private readonly bool _invert;

    public SplitPreTokenizerStep(Regex? regex, bool gpt2Pattern, SplitBehavior behavior, bool invert)
    {
        if (regex is null && !gpt2Pattern)
            throw new ArgumentException("A Split step needs a regex or the GPT-2 pattern.", nameof(regex));
        _regex = regex;
        _gpt2 = gpt2Pattern;
        _behavior = behavior;
        _invert = invert;
    }

    public void Split(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output)
    {
        if (piece.IsEmpty)
            return;
        var parts = new List<(int Start, int End, bool IsMatch)>();
        FindMatches(piece.Span, parts);
        if (_invert)
        {
            for (int i = 0; i < parts.Count; i++)
                parts[i] = parts[i] with { IsMatch = !parts[i].IsMatch };
        }
        foreach (var (start, end) in ApplyBehavior(parts, _behavior))
        {
            if (end > start)
                output.Add(piece.Slice(start, end - start));
        }
    }

    private void FindMatches(ReadOnlySpan<char> s, List<(int Start, int End, bool IsMatch)> parts)
    {
        int prev = 0;
        if (_gpt2)
        {
            // The GPT-2 pattern matches everywhere: every pre-token is a match.
            while (prev < s.Length)
            {
                int end = Gpt2PreTokenizerScanner.NextEnd(s, prev);
                parts.Add((prev, end, true));
                prev = end;
            }
            return;
        }
        foreach (ValueMatch m in _regex!.EnumerateMatches(s))
        {
            if (prev != m.Index)
                parts.Add((prev, m.Index, false));
            parts.Add((m.Index, m.Index + m.Length, true));
            prev = m.Index + m.Length;
        }
        if (prev != s.Length)
            parts.Add((prev, s.Length, false));
    }

    /// <summary>The Hugging Face SplitDelimiterBehavior rules, over (start, end, isMatch) parts in order.</summary>
    internal static List<(int Start, int End)> ApplyBehavior(List<(int Start, int End, bool IsMatch)> parts, SplitBehavior behavior)
    {
        var acc = new List<(int Start, int End)>(parts.Count);
        bool previousMatch = false;
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var p in parts)
                    acc.Add((p.Start, p.End));
                break;
            case SplitBehavior.Removed:
                foreach (var p in parts)
                {
                    if (!p.IsMatch)
                        acc.Add((p.Start, p.End));
                }
                break;
            case SplitBehavior.MergedWithPrevious:
                foreach (var p in parts)
                {
                    if (p.IsMatch && !previousMatch && acc.Count > 0)
                        acc[^1] = (acc[^1].Start, p.End);
                    else
                        acc.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                break;
            case SplitBehavior.MergedWithNext:
                for (int i = parts.Count - 1; i >= 0; i--)
                {
                    var p = parts[i];
                    if (p.IsMatch && !previousMatch && acc.Count > 0)
                        acc[^1] = (p.Start, acc[^1].End);
                    else
                        acc.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                acc.Reverse();
                break;
            case SplitBehavior.Contiguous:
                foreach (var p in parts)
                {
                    if (p.IsMatch == previousMatch && acc.Count > 0)
                        acc[^1] = (acc[^1].Start, p.End);
                    else
                        acc.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior), behavior, null);
        }
        return acc;
    }
}
