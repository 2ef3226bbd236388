namespace Quamba.Model.Tokenization;

/// <summary>
/// Applies BPE merges to one word given as the ids of its single-byte symbols: repeatedly merges the adjacent
/// pair with the lowest merge rank (leftmost first among equal ranks) until no pair has a merge, as Hugging
/// Face's BPE model does. Short words use a scan over a small array; long words use a binary heap over a
/// linked list of symbols, O(n log n).
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit] // stack buffers are written before they are read
internal sealed class BpeMerger
{
    /// <summary>Words up to this many symbols use the array scan.</summary>
    internal const int ScanLimit = 48;

    private readonly Dictionary<long, int> _pairRank; // (left id << 32 | right id) -> rank
    private readonly int[] _mergedId;                 // rank -> id of the merged symbol

    public BpeMerger(IReadOnlyList<(int Left, int Right, int Merged)> merges)
    {
        _pairRank = new Dictionary<long, int>(merges.Count);
        _mergedId = new int[merges.Count];
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right, merged) = merges[rank];
            _pairRank[Key(left, right)] = rank; // a repeated pair takes its last rank, as in Hugging Face's map
            _mergedId[rank] = merged;
        }
    }

    public int MergeCount => _mergedId.Length;

    /// <summary>Merges <paramref name="symbols"/> in place and returns how many symbols remain at its start.</summary>
    public int Merge(Span<int> symbols)
    {
        if (symbols.Length < 2)
            return symbols.Length;
        return symbols.Length <= ScanLimit ? MergeByScan(symbols) : MergeByHeap(symbols);
    }

    internal int MergeByScan(Span<int> ids)
    {
        int count = ids.Length;
        Span<int> ranks = count <= 256 ? stackalloc int[count] : new int[count];
        for (int i = 0; i < count - 1; i++)
            ranks[i] = Rank(ids[i], ids[i + 1]);
        while (count > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i < count - 1; i++)
            {
                if (ranks[i] < bestRank)
                {
                    bestRank = ranks[i];
                    best = i;
                }
            }
            if (best < 0)
                break;
            ids[best] = _mergedId[bestRank];
            // Remove symbol best + 1 and the pair rank that started at it.
            for (int i = best + 1; i < count - 1; i++)
            {
                ids[i] = ids[i + 1];
                ranks[i] = ranks[i + 1];
            }
            count--;
            if (best > 0)
                ranks[best - 1] = Rank(ids[best - 1], ids[best]);
            if (best < count - 1)
                ranks[best] = Rank(ids[best], ids[best + 1]);
        }
        return count;
    }

    internal int MergeByHeap(Span<int> ids)
    {
        int n = ids.Length;
        var next = new int[n];
        var prev = new int[n];
        for (int i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        var heap = new PriorityQueue<int, long>(n);
        for (int i = 0; i < n - 1; i++)
            Push(heap, Rank(ids[i], ids[i + 1]), i);

        while (heap.TryDequeue(out int pos, out long key))
        {
            int rank = (int)(key >> 32);
            if (ids[pos] < 0)
                continue; // absorbed by a merge to its left
            int right = next[pos];
            if (right < 0 || Rank(ids[pos], ids[right]) != rank)
                continue; // stale: the pair at pos has changed
            ids[pos] = _mergedId[rank];
            ids[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0)
                prev[after] = pos;
            if (prev[pos] >= 0)
                Push(heap, Rank(ids[prev[pos]], ids[pos]), prev[pos]);
            if (after >= 0)
                Push(heap, Rank(ids[pos], ids[after]), pos);
        }

        int count = 0;
        for (int i = 0; i >= 0; i = next[i])
            ids[count++] = ids[i];
        return count;
    }

    private static void Push(PriorityQueue<int, long> heap, int rank, int pos)
    {
        if (rank != int.MaxValue)
            heap.Enqueue(pos, ((long)rank << 32) | (uint)pos); // rank first, then leftmost
    }

    private int Rank(int left, int right) =>
        _pairRank.TryGetValue(Key(left, right), out int rank) ? rank : int.MaxValue;

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
