using Quamba.Model.Tokenization;

namespace Quamba.Model.Evaluation;

/// <summary>
/// Turns an evaluation text into the token stream of the perplexity protocol (data/README.md): split on
/// blank lines into documents, tokenize each, and end each with &lt;|endoftext|&gt;.
/// </summary>
public static class EvaluationCorpus
{
    public static int[] Tokenize(string text, BpeTokenizer tokenizer)
    {
        int endOfText = tokenizer.EndOfTextId
            ?? throw new ArgumentException("The tokenizer has no <|endoftext|> token, which the perplexity protocol appends to every document.");
        var stream = new List<int>(text.Length / 3);
        foreach (string document in text.Split("\n\n"))
        {
            stream.AddRange(tokenizer.Encode(document));
            stream.Add(endOfText);
        }
        return stream.ToArray();
    }

    public static int[] TokenizeFile(string path, BpeTokenizer tokenizer)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: evaluation text not found.", path);
        string text = File.ReadAllText(path);
        if (text.Length == 0) throw new ArgumentException($"{path}: the evaluation text is empty.");
        return Tokenize(text, tokenizer);
    }
}
