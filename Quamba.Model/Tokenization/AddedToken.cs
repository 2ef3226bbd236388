namespace Quamba.Model.Tokenization;

/// <summary>
/// An entry of tokenizer.json's "added_tokens": a string matched verbatim in the input before pre-tokenization
/// and mapped straight to <see cref="Id"/>. Special tokens (such as "&lt;|endoftext|&gt;") are added tokens
/// too. Normalized ones are matched in the normalized text, the others in the raw text.
/// </summary>
internal sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool SingleWord,
    bool LStrip,
    bool RStrip,
    bool Normalized);
