namespace Quamba.Model.Tokenization;

/// <summary>
/// The pre-tokenizers of tokenizer.json applied in order (a single one, or the members of a "Sequence"),
/// each to every piece the previous one produced. Empty pieces are dropped, as Hugging Face does.
/// </summary>
internal sealed class PreTokenizerPipeline
{
    private readonly IPreTokenizerStep[] _steps;

    public PreTokenizerPipeline(IReadOnlyList<IPreTokenizerStep> steps) => _steps = [.. steps];

    /// <summary>True for the plain GPT-2 / NeoX setup: one ByteLevel step with use_regex and no prefix space.</summary>
    public bool IsSingleGpt2ByteLevel =>
        _steps is [ByteLevelPreTokenizerStep { UseRegex: true, AddPrefixSpace: false }];

    /// <summary>Splits <paramref name="segment"/>; the pieces replace the contents of <paramref name="output"/>.</summary>
    public void Run(ReadOnlyMemory<char> segment, List<ReadOnlyMemory<char>> output)
    {
        output.Clear();
        if (segment.IsEmpty)
            return;
        output.Add(segment);
        if (_steps.Length == 0)
            return;
        var next = new List<ReadOnlyMemory<char>>();
        foreach (var step in _steps)
        {
            next.Clear();
            foreach (var piece in output)
                step.Split(piece, next);
            output.Clear();
            output.AddRange(next);
        }
    }
}
