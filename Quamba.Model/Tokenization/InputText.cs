namespace Quamba.Model.Tokenization;

/// <summary>
/// Makes a .NET string valid Unicode before encoding. A .NET string may hold lone UTF-16 surrogates, which no
/// UTF-8 text can contain; each becomes U+FFFD (bytes EF BF BD), which is what a Rust tokenizer sees after the
/// lossy UTF-16 to UTF-8 conversion that Hugging Face's bindings apply. Well-formed pairs are kept.
/// </summary>
internal static class InputText
{
    public static string ReplaceLoneSurrogates(string text)
    {
        int first = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0 || !HasLoneSurrogate(text, first))
            return text;
        return string.Create(text.Length, (text, first), static (dst, state) =>
        {
            var (src, start) = state;
            src.AsSpan().CopyTo(dst);
            for (int i = start; i < dst.Length; i++)
            {
                char c = dst[i];
                if (char.IsHighSurrogate(c) && i + 1 < dst.Length && char.IsLowSurrogate(dst[i + 1]))
                    i++;
                else if (char.IsSurrogate(c))
                    dst[i] = '\uFFFD';
            }
        });
    }

    private static bool HasLoneSurrogate(string text, int start)
    {
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }
}
