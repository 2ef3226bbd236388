namespace Quamba.Model.Tokenization;

/// <summary>One pre-tokenizer of tokenizer.json: cuts a piece of text into smaller pieces.</summary>
internal interface IPreTokenizerStep
{
    /// <summary>Appends the non-empty pieces <paramref name="piece"/> splits into to <paramref name="output"/>.</summary>
    void Split(ReadOnlyMemory<char> piece, List<ReadOnlyMemory<char>> output);
}
