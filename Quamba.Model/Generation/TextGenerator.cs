using System.Runtime.CompilerServices;
using Quamba.Model.Models;
using Quamba.Model.Tokenization;

namespace Quamba.Model.Generation;

/// <summary>
/// Prefills a prompt and decodes token by token, streaming the text as it completes. The model's compute
/// runs on the thread pool so a caller's UI or request thread is never blocked.
/// </summary>
public sealed class TextGenerator
{
    private readonly MambaModel _model;
    private readonly BpeTokenizer _tokenizer;

    public TextGenerator(MambaModel model, BpeTokenizer tokenizer)
    {
        _model = model;
        _tokenizer = tokenizer;
    }

    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(
        string prompt, GenerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int[] promptIds = _tokenizer.Encode(prompt);
        TokenStreamDecoder decoder = _tokenizer.CreateStreamDecoder();
        await foreach (int id in GenerateIdsAsync(promptIds, options, cancellationToken).ConfigureAwait(false))
        {
            string text = decoder.Append(id);
            yield return new GeneratedToken(id, text);
        }
        string rest = decoder.Flush();
        if (rest.Length > 0) yield return new GeneratedToken(-1, rest);
    }

    /// <summary>Generated ids only (the prompt is not repeated). Stops at end-of-text when asked to.</summary>
    public async IAsyncEnumerable<int> GenerateIdsAsync(
        int[] promptIds, GenerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxNewTokens);
        if (promptIds.Length == 0)
        {
            // An empty prompt starts from end-of-text, the document separator the models were trained with.
            promptIds = [_tokenizer.EndOfTextId ?? throw new ArgumentException("The prompt is empty and the tokenizer has no <|endoftext|> token to start from.")];
        }
        var sampler = new TokenSampler(options.SamplingOrGreedy);
        InferenceState state = _model.CreateState(batchSize: 1);
        float[] logits = new float[_model.VocabSize];
        int[] step = new int[1];

        await Task.Run(() => _model.Forward(state, promptIds, promptIds.Length, logits, allPositions: false, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        for (int produced = 0; produced < options.MaxNewTokens; produced++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int next = sampler.Sample(logits);
            if (options.StopAtEndOfText && next == _tokenizer.EndOfTextId) yield break;
            yield return next;
            if (produced + 1 == options.MaxNewTokens) yield break;
            step[0] = next;
            await Task.Run(() => _model.Forward(state, step, 1, logits, allPositions: false, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
