using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>The array-scan and heap merge paths give identical results.</summary>
public class BpeMergerTests
{
    [Fact]
    public void ScanAndHeapAgreeOnTheRealMerges()
    {
        var tok = TokenizerTestData.Tokenizer;
        var merger = new BpeMerger(ReadMerges(tok));
        var rng = new Random(5);
        // Words built from frequent byte tokens so that many merges apply.
        int[] alphabet = "etaoinshrdlu ".Select(c => tok.Encode(c.ToString())[0]).ToArray();
        int merged = 0;
        for (int i = 0; i < 3000; i++)
        {
            int n = rng.Next(2, 120);
            int[] word = new int[n];
            for (int k = 0; k < n; k++)
                word[k] = alphabet[rng.Next(alphabet.Length)];
            int[] a = (int[])word.Clone();
            int[] b = (int[])word.Clone();
            int na = merger.MergeByScan(a);
            int nb = merger.MergeByHeap(b);
            Assert.Equal(a[..na], b[..nb]);
            if (na < n)
                merged++;
        }
        Assert.True(merged > 2500, $"merges applied in only {merged} of 3000 words");
    }

    [Fact]
    public void RepeatedPairsMergeLeftmostFirst()
    {
        // Merges: (a,a)->aa rank 0, (aa,a)->aaa rank 1. In "aaaaa" rank 0 first joins the pairs left to right
        // (aa aa a), then rank 1 joins the (aa, a) at the right end: aa aaa.
        var merger = new BpeMerger([(0, 0, 1), (1, 0, 2)]);
        int[] scan = [0, 0, 0, 0, 0];
        int[] heap = [0, 0, 0, 0, 0];
        int ns = merger.MergeByScan(scan);
        int nh = merger.MergeByHeap(heap);
        Assert.Equal([1, 2], scan[..ns]);
        Assert.Equal([1, 2], heap[..nh]);
    }

    private static List<(int, int, int)> ReadMerges(BpeTokenizer tok)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TokenizerTestData.TokenizerPath));
        var merges = new List<(int, int, int)>();
        foreach (var m in doc.RootElement.GetProperty("model").GetProperty("merges").EnumerateArray())
        {
            string l = m[0].GetString()!, r = m[1].GetString()!;
            merges.Add((tok.TokenToId(l)!.Value, tok.TokenToId(r)!.Value, tok.TokenToId(l + r)!.Value));
        }
        return merges;
    }
}

/// <summary>The word cache stays within its capacity and keeps answering correctly.</summary>
public class BpeWordCacheTests
{
    [Fact]
    public void StaysWithinCapacity()
    {
        var cache = new BpeWordCache(capacity: 4, maxWordLength: 8);
        for (int i = 0; i < 10; i++)
        {
            cache.Add($"w{i}", [i]);
            Assert.InRange(cache.Count, 1, 4);
            Assert.True(cache.TryGet($"w{i}".AsSpan(), out int[] ids));
            Assert.Equal([i], ids);
        }
        Assert.False(cache.TryGet("w0".AsSpan(), out _)); // emptied when it filled up
        cache.Add("longer than eight", [1]);
        Assert.False(cache.TryGet("longer than eight".AsSpan(), out _));
    }

    [Fact]
    public void UncachedTokenizerGivesTheSameIds()
    {
        var uncached = BpeTokenizer.FromFile(TokenizerTestData.TokenizerPath, wordCacheCapacity: 0);
        string text = File.ReadAllText(Path.Combine(TokenizerTestData.RepoRoot, "data", "calib.txt"))[..30000];
        Assert.Equal(TokenizerTestData.Tokenizer.Encode(text), uncached.Encode(text));
    }
}
