using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// Decodes ids one at a time, for streaming generation. A character whose UTF-8 bytes are split across tokens
/// (an emoji or CJK character often is) is held back until its last byte arrives, so every piece of text
/// returned is final. The concatenation of all <see cref="Append"/> results and <see cref="Flush"/> equals
/// <see cref="BpeTokenizer.Decode"/> of the same ids. Not thread-safe; create one per stream.
/// </summary>
public sealed class TokenStreamDecoder
{
    private readonly BpeTokenizer _tokenizer;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    internal TokenStreamDecoder(BpeTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>Adds one id; returns the text completed by it (possibly empty). Throws
    /// <see cref="ArgumentOutOfRangeException"/> for an id that names no token, leaving the state unchanged.</summary>
    public string Append(int id)
    {
        byte[] bytes = _tokenizer.GetTokenBytes(id);
        int needed = _utf8.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length)
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        int count = _utf8.GetChars(bytes, _chars, flush: false);
        return count == 0 ? string.Empty : new string(_chars, 0, count);
    }

    /// <summary>Ends the stream: returns U+FFFD for bytes of an unfinished character (as whole decoding would)
    /// and resets the decoder for reuse.</summary>
    public string Flush()
    {
        int count = _utf8.GetChars(ReadOnlySpan<byte>.Empty, _chars, flush: true);
        _utf8.Reset();
        return count == 0 ? string.Empty : new string(_chars, 0, count);
    }
}
