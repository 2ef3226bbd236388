using System.Buffers;
using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// The byte-level BPE model: turns one pre-token into ids. The pre-token's UTF-8 bytes become the ids of
/// their byte-alphabet symbols, then <see cref="BpeMerger"/> applies the merges. Results are cached per word.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit] // stack buffers are written before they are read
internal sealed class BpeModel
{
    private const int StackBytes = 512;

    private readonly int[] _byteIds = new int[256];   // -1 when the byte's symbol is not in the vocabulary
    private readonly BpeMerger _merger;
    private readonly BpeWordCache _cache;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _wholeWord;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;

    public BpeModel(TokenizerDefinition def, int cacheCapacity)
    {
        for (int b = 0; b < 256; b++)
            _byteIds[b] = def.Vocab.TryGetValue(ByteLevelAlphabet.ByteToChar((byte)b).ToString(), out int id) ? id : -1;
        _merger = new BpeMerger(def.Merges);
        _cache = new BpeWordCache(cacheCapacity, maxWordLength: 256);
        _unknownId = def.UnknownId;
        _fuseUnknown = def.FuseUnknown;
        if (def.IgnoreMerges)
            _wholeWord = def.Vocab.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Appends the ids of <paramref name="word"/> (one pre-token) to <paramref name="output"/>.</summary>
    public void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (_cache.TryGet(word, out int[] cached))
        {
            output.AddRange(cached);
            return;
        }
        int[] ids = EncodeUncached(word);
        _cache.Add(word, ids);
        output.AddRange(ids);
    }

    internal int[] EncodeUncached(ReadOnlySpan<char> word)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        byte[]? rentedBytes = null;
        int[]? rentedIds = null;
        Span<byte> bytes = maxBytes <= StackBytes ? stackalloc byte[StackBytes] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        Span<int> symbols = maxBytes <= StackBytes ? stackalloc int[StackBytes] : (rentedIds = ArrayPool<int>.Shared.Rent(maxBytes));
        try
        {
            int byteCount = Encoding.UTF8.GetBytes(word, bytes);
            bytes = bytes[..byteCount];

            if (_wholeWord is { } whole)
            {
                Span<char> mapped = byteCount <= StackBytes ? stackalloc char[byteCount] : new char[byteCount];
                for (int i = 0; i < byteCount; i++)
                    mapped[i] = ByteLevelAlphabet.ByteToChar(bytes[i]);
                if (whole.TryGetValue(mapped, out int wholeId))
                    return [wholeId];
            }

            int count = 0;
            bool previousUnknown = false;
            foreach (byte b in bytes)
            {
                int id = _byteIds[b];
                if (id >= 0)
                {
                    symbols[count++] = id;
                    previousUnknown = false;
                }
                else if (_unknownId is int unk)
                {
                    // A byte whose symbol is missing: the unknown token, fused with a preceding one if asked.
                    if (!(_fuseUnknown && previousUnknown))
                        symbols[count++] = unk;
                    previousUnknown = true;
                }
                // With no unk_token such a byte is dropped, as Hugging Face's BPE does.
            }
            int n = _merger.Merge(symbols[..count]);
            return symbols[..n].ToArray();
        }
        finally
        {
            if (rentedBytes is not null)
                ArrayPool<byte>.Shared.Return(rentedBytes);
            if (rentedIds is not null)
                ArrayPool<int>.Shared.Return(rentedIds);
        }
    }
}
