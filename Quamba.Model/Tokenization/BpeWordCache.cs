using System.Collections.Concurrent;

namespace Quamba.Model.Tokenization;

/// <summary>
/// A bounded, thread-safe cache from a pre-token (its UTF-16 text) to its token ids. Lookups take a span and
/// allocate nothing. When the cache holds <see cref="Capacity"/> words it is emptied and refills from then on,
/// which bounds memory on unbounded input while keeping the hit rate of natural text high.
/// </summary>
internal sealed class BpeWordCache
{
    private readonly ConcurrentDictionary<string, int[]> _map = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    public BpeWordCache(int capacity, int maxWordLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        MaxWordLength = maxWordLength;
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    /// <summary>Longer words are not cached (they are rare and would pin large strings).</summary>
    public int MaxWordLength { get; }

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(ReadOnlySpan<char> word, out int[] ids) => _lookup.TryGetValue(word, out ids!);

    public void Add(ReadOnlySpan<char> word, int[] ids)
    {
        if (Capacity == 0 || word.Length > MaxWordLength)
            return;
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            lock (_map)
            {
                if (Volatile.Read(ref _count) > Capacity)
                {
                    _map.Clear();
                    Volatile.Write(ref _count, 1);
                }
            }
        }
        _lookup.TryAdd(word, ids);
    }
}
