namespace Quamba.Model.Tokenization;

/// <summary>
/// The GPT-2 byte-to-unicode table: every byte 0..255 is shown as one printable character, so that a BPE
/// vocabulary over bytes can be stored as strings. Printable Latin-1 bytes stand for themselves; the other 68
/// bytes map, in order, to U+0100 and up (space 0x20 becomes 'Ġ' U+0120, newline 0x0A becomes 'Ċ' U+010A).
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly short[] s_charToByte = BuildCharToByte(s_byteToChar);

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char ByteToChar(byte b) => s_byteToChar[b];

    /// <summary>The byte that <paramref name="c"/> stands for, or -1 when c is not in the alphabet.</summary>
    public static int CharToByte(char c) => c < s_charToByte.Length ? s_charToByte[c] : -1;

    /// <summary>
    /// The bytes a token string stands for, as the Hugging Face ByteLevel decoder computes them: the mapped
    /// bytes when every character is in the alphabet, otherwise the token's own UTF-8 bytes (added tokens
    /// such as "&lt;|endoftext|&gt;" are plain ASCII and map to themselves either way).
    /// </summary>
    public static byte[] TokenToBytes(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            int b = CharToByte(token[i]);
            if (b < 0)
                return System.Text.Encoding.UTF8.GetBytes(token);
            bytes[i] = (byte)b;
        }
        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var assigned = new bool[256];
        for (int b = '!'; b <= '~'; b++) { map[b] = (char)b; assigned[b] = true; }
        for (int b = 0xA1; b <= 0xAC; b++) { map[b] = (char)b; assigned[b] = true; }
        for (int b = 0xAE; b <= 0xFF; b++) { map[b] = (char)b; assigned[b] = true; }
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            if (!assigned[b])
                map[b] = (char)(256 + next++);
        }
        return map;
    }

    private static short[] BuildCharToByte(char[] byteToChar)
    {
        var inverse = new short[324];
        Array.Fill(inverse, (short)-1);
        for (int b = 0; b < 256; b++)
            inverse[byteToChar[b]] = (short)b;
        return inverse;
    }
}
