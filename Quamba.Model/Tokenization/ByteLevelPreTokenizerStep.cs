namespace Quamba.Model.Tokenization;

/// <summary>
/// The "ByteLevel" pre-tokenizer: optionally prefixes a space to a piece that does not start with one
/// (add_prefix_space), then, when use_regex is set, splits it with the GPT-2 pattern. The mapping of bytes to
/// the byte-level alphabet happens later, in the BPE model, on each piece's UTF-8 bytes.
/// </summary>
internal sealed class ByteLevelPreTokenizerStep : IPreTokenizerStep
{
    public ByteLevelPreTokenizerStep(bool addPrefixSpace, bool useRegex)
    {
        AddPrefixSpace = addPrefixSpace;
        UseRegex = useRegex;
    }

    public bool AddPrefixSpace { get; }
    public bool UseRegex { get; }

    public void Split(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output)
    {
        if (piece.IsEmpty)
            return;
        if (AddPrefixSpace && piece.Span[0] != ' ')
            piece = (" " + piece.Span.ToString()).AsMemory();
        if (!UseRegex)
        {
            output.Add(piece);
            return;
        }
        ReadOnlySpan<char> s = piece.Span;
        int pos = 0;
        while (pos < s.Length)
        {
            int end = Gpt2PreTokenizerScanner.NextEnd(s, pos);
            output.Add(piece.Slice(pos, end - pos));
            pos = end;
        }
    }
}
