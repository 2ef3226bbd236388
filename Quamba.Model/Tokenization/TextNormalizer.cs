namespace Quamba.Model.Tokenization;

/// <summary>A Unicode normalization form that tokenizer.json's "normalizer" can ask for.</summary>
internal enum NormalizationForm { Nfc, Nfd }

/// <summary>
/// The "normalizer" of tokenizer.json: null (nothing), "NFC", "NFD", or a "Sequence" of those, applied in
/// order. Normalization runs on each piece of text between added tokens, before pre-tokenization.
/// </summary>
internal sealed class TextNormalizer
{
    private readonly NormalizationForm[] _forms;

    public TextNormalizer(IReadOnlyList<NormalizationForm> forms) => _forms = [.. forms];

    public bool IsIdentity => _forms.Length == 0;

    public string Normalize(string text)
    {
        foreach (var form in _forms)
        {
            text = form switch
            {
                NormalizationForm.Nfc => UnicodeNormalization.ToNfc(text),
                NormalizationForm.Nfd => UnicodeNormalization.ToNfd(text),
                _ => throw new InvalidOperationException($"Unknown normalization form {form}."),
            };
        }
        return text;
    }
}
