namespace Quamba.Model.Tokenization;

/// <summary>
/// A tokenizer.json that cannot be read, or that asks for something this tokenizer does not support.
/// The message names the file, the JSON path (for example <c>$.model.merges[12]</c>) and what to do.
/// </summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException(string filePath, string jsonPath, string problem, Exception? inner = null)
        : base($"{filePath}: {jsonPath}: {problem}", inner)
    {
        FilePath = filePath;
        JsonPath = jsonPath;
    }

    /// <summary>The tokenizer.json file (or the name given to in-memory JSON).</summary>
    public string FilePath { get; }

    /// <summary>Where in the document the problem is, in JSONPath notation rooted at <c>$</c>.</summary>
    public string JsonPath { get; }
}
