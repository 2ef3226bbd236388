using System.Buffers;
using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer (GPT-2 / GPT-NeoX family) read from a Hugging Face tokenizer.json, giving the
/// same ids as the Hugging Face tokenizers library. Thread-safe: one instance may encode and decode on many
/// threads at once.
/// </summary>
/// <remarks>
/// Encoding: lone UTF-16 surrogates become U+FFFD; added tokens (special or not) are cut out of the raw text
/// (leftmost-longest); each remaining piece is normalized (if the file asks for NFC/NFD), normalized added
/// tokens are cut out of it, the pre-tokenizer splits it into words, and each word's UTF-8 bytes are merged by
/// BPE. No special tokens are added around the result.
/// Decoding: the bytes of the tokens are joined and read as UTF-8; invalid sequences become U+FFFD, one per
/// maximal invalid subsequence, as Rust's String::from_utf8_lossy (and so Hugging Face) does.
/// </remarks>
public sealed class BpeTokenizer
{
    private const string EndOfTextToken = "<|endoftext|>";
    internal const int DefaultWordCacheCapacity = 65536;

    private readonly TokenizerDefinition _def;
    private readonly BpeModel _model;
    private readonly AddedTokenMatcher _rawAdded;
    private readonly AddedTokenMatcher _normalizedAdded;
    private readonly byte[]?[] _tokenBytes;
    private readonly string?[] _idToToken;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly bool _plainGpt2PreTokenizer;
    private readonly HashSet<int> _specialIds;

    private BpeTokenizer(TokenizerDefinition def, int wordCacheCapacity = DefaultWordCacheCapacity)
    {
        _def = def;
        _model = new BpeModel(def, wordCacheCapacity);
        _rawAdded = new AddedTokenMatcher(def.AddedTokens.Where(t => !t.Normalized));
        _normalizedAdded = new AddedTokenMatcher(def.AddedTokens.Where(t => t.Normalized), def.Normalizer.Normalize);

        int maxId = -1;
        foreach (int id in def.Vocab.Values)
            maxId = Math.Max(maxId, id);
        foreach (var t in def.AddedTokens)
            maxId = Math.Max(maxId, t.Id);
        VocabSize = maxId + 1;

        _idToToken = new string?[VocabSize];
        _tokenToId = new Dictionary<string, int>(def.Vocab, StringComparer.Ordinal);
        foreach (var (token, id) in def.Vocab)
            _idToToken[id] = token;
        foreach (var t in def.AddedTokens)
        {
            _idToToken[t.Id] = t.Content;
            _tokenToId[t.Content] = t.Id;
        }
        _tokenBytes = new byte[VocabSize][];
        for (int id = 0; id < VocabSize; id++)
        {
            if (_idToToken[id] is string token)
                _tokenBytes[id] = ByteLevelAlphabet.TokenToBytes(token);
        }
        _specialIds = def.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        EndOfTextId = TokenToId(EndOfTextToken);
        _plainGpt2PreTokenizer = def.PreTokenizer.IsSingleGpt2ByteLevel;
    }

    /// <summary>Reads a Hugging Face tokenizer.json. Throws <see cref="TokenizerFormatException"/> for files it
    /// cannot reproduce exactly, naming the file, the JSON path and what is supported.</summary>
    public static BpeTokenizer FromFile(string tokenizerJsonPath) =>
        new(TokenizerJsonReader.ReadFile(tokenizerJsonPath));

    /// <summary>As <see cref="FromFile(string)"/>, with a word cache of the given number of entries (0: none).</summary>
    internal static BpeTokenizer FromFile(string tokenizerJsonPath, int wordCacheCapacity) =>
        new(TokenizerJsonReader.ReadFile(tokenizerJsonPath), wordCacheCapacity);

    /// <summary>Reads tokenizer.json text; <paramref name="sourceName"/> names it in error messages.</summary>
    public static BpeTokenizer FromJson(string json, string sourceName = "tokenizer.json") =>
        new(TokenizerJsonReader.Read(json, sourceName));

    /// <summary>One more than the largest token id (model vocabulary and added tokens).</summary>
    public int VocabSize { get; }

    /// <summary>The id of "&lt;|endoftext|&gt;", when the vocabulary has it.</summary>
    public int? EndOfTextId { get; }

    /// <summary>The file (or name) the tokenizer was read from.</summary>
    public string SourceName => _def.SourceName;

    /// <summary>Encodes any string (lone surrogates are read as U+FFFD); adds no special tokens.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return [];
        text = InputText.ReplaceLoneSurrogates(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (_rawAdded.IsEmpty)
        {
            EncodeSegment(text.AsMemory(), ids);
        }
        else
        {
            foreach (var (start, length, token) in _rawAdded.Split(text))
            {
                if (token is not null)
                    ids.Add(token.Id);
                else
                    EncodeSegment(text.AsMemory(start, length), ids);
            }
        }
        return ids.ToArray();
    }

    /// <summary>The text of <paramref name="ids"/>; throws <see cref="ArgumentOutOfRangeException"/> for an id
    /// that names no token.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        int total = 0;
        foreach (int id in ids)
            total += GetTokenBytes(id, nameof(ids)).Length;
        if (total == 0)
            return string.Empty;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            int pos = 0;
            foreach (int id in ids)
            {
                byte[] bytes = _tokenBytes[id]!;
                bytes.CopyTo(buffer, pos);
                pos += bytes.Length;
            }
            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A decoder for ids that arrive one at a time, as in generation.</summary>
    public TokenStreamDecoder CreateStreamDecoder() => new(this);

    /// <summary>The token string of <paramref name="id"/> (byte-level alphabet, e.g. "Ġthe"), or null.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>The id of a token string (byte-level alphabet, or an added token's content), or null.</summary>
    public int? TokenToId(string token) =>
        token is not null && _tokenToId.TryGetValue(token, out int id) ? id : null;

    /// <summary>Whether <paramref name="id"/> is a special added token (such as "&lt;|endoftext|&gt;").</summary>
    public bool IsSpecial(int id) => _specialIds.Contains(id);

    /// <summary>The bytes token <paramref name="id"/> stands for; throws for an unknown id.</summary>
    internal byte[] GetTokenBytes(int id, string paramName = "id")
    {
        if ((uint)id >= (uint)_tokenBytes.Length || _tokenBytes[id] is null)
            throw new ArgumentOutOfRangeException(paramName, id, $"Token id {id} is not in the vocabulary of {_def.SourceName} (valid ids: 0..{VocabSize - 1}).");
        return _tokenBytes[id]!;
    }

    private void EncodeSegment(ReadOnlyMemory<char> segment, List<int> ids)
    {
        if (_def.Normalizer.IsIdentity && _normalizedAdded.IsEmpty)
        {
            EncodePlain(segment, ids);
            return;
        }
        string normalized = _def.Normalizer.Normalize(segment.ToString());
        if (_normalizedAdded.IsEmpty)
        {
            EncodePlain(normalized.AsMemory(), ids);
            return;
        }
        foreach (var (start, length, token) in _normalizedAdded.Split(normalized))
        {
            if (token is not null)
                ids.Add(token.Id);
            else
                EncodePlain(normalized.AsMemory(start, length), ids);
        }
    }

    private void EncodePlain(ReadOnlyMemory<char> text, List<int> ids)
    {
        if (_plainGpt2PreTokenizer)
        {
            // The common GPT-2 / NeoX configuration: scan words straight out of the text, no piece list.
            ReadOnlySpan<char> s = text.Span;
            int pos = 0;
            while (pos < s.Length)
            {
                int end = Gpt2PreTokenizerScanner.NextEnd(s, pos);
                _model.EncodeWord(s[pos..end], ids);
                pos = end;
            }
            return;
        }
        var pieces = new List<ReadOnlyMemory<char>>();
        _def.PreTokenizer.Run(text, pieces);
        foreach (var piece in pieces)
            _model.EncodeWord(piece.Span, ids);
    }
}
