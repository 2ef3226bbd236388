using System.Text;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>Decode(Encode(s)) == s for any valid string, and Encode never throws.</summary>
public class RoundTripTests
{
    private static readonly BpeTokenizer Tok = TokenizerTestData.Tokenizer;

    /// <summary>A random valid string mixing ASCII, whitespace, controls, Latin, combining marks, CJK,
    /// emoji and other supplementary characters.</summary>
    internal static string RandomText(Random rng, int maxLength)
    {
        var sb = new StringBuilder();
        int n = rng.Next(0, maxLength + 1);
        while (sb.Length < n)
        {
            int kind = rng.Next(10);
            int cp = kind switch
            {
                0 => rng.Next(0, 0x20),                      // control characters
                1 => " \t\n\r\u00a0\u2028\u3000\u0085"[rng.Next(8)],
                2 or 3 => rng.Next(0x20, 0x7f),
                4 => rng.Next(0xa0, 0x250),                  // Latin-1, Latin Extended
                5 => rng.Next(0x300, 0x370),                 // combining marks
                6 => rng.Next(0x4e00, 0xa000),               // CJK
                7 => rng.Next(0x1f300, 0x1fa00),             // emoji
                8 => rng.Next(0x10000, 0x30000),             // other supplementary planes
                _ => rng.Next(0x80, 0xd800),                 // anything in the BMP below the surrogates
            };
            if (cp is >= 0xd800 and <= 0xdfff)
                continue;
            sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }

    [Fact]
    public void RandomUnicodeStringsRoundTrip()
    {
        var rng = new Random(12345);
        int maxTokens = 0;
        for (int i = 0; i < 3000; i++)
        {
            string s = RandomText(rng, 60);
            int[] ids = Tok.Encode(s);
            Assert.All(ids, id => Assert.InRange(id, 0, Tok.VocabSize - 1));
            string back = Tok.Decode(ids);
            Assert.True(back == s, $"round trip of {HfReferenceTests.Show(s)} gave {HfReferenceTests.Show(back)}");
            maxTokens = Math.Max(maxTokens, ids.Length);
        }
        Assert.True(maxTokens > 60, "the random strings should include multi-token characters");
    }

    [Fact]
    public void EvalLinesRoundTrip()
    {
        string[] lines = File.ReadAllLines(Path.Combine(TokenizerTestData.RepoRoot, "data", "eval.txt"));
        Assert.True(lines.Length > 1000);
        foreach (string line in lines)
            Assert.Equal(line, Tok.Decode(Tok.Encode(line)));
    }

    [Fact]
    public void EmptyStringEncodesToNothingAndDecodesBack()
    {
        Assert.Empty(Tok.Encode(""));
        Assert.Equal("", Tok.Decode([]));
    }

    [Fact]
    public void NullTextIsAnArgumentError() => Assert.Throws<ArgumentNullException>(() => Tok.Encode(null!));

    [Fact]
    public void EndOfTextInsideTextIsTheSpecialToken()
    {
        int[] ids = Tok.Encode("Hello<|endoftext|>world");
        Assert.Equal(Tok.Encode("Hello").Concat([0]).Concat(Tok.Encode("world")), ids);
        Assert.Equal("Hello<|endoftext|>world", Tok.Decode(ids));
        // A broken marker is ordinary text.
        Assert.DoesNotContain(0, Tok.Encode("<|endoftext|"));
        Assert.Equal([0, 0], Tok.Encode("<|endoftext|><|endoftext|>"));
    }

    [Fact]
    public void LoneSurrogatesEncodeAsReplacementCharacter()
    {
        // Documented behaviour: each lone surrogate is read as U+FFFD (UTF-8 EF BF BD), as HF's bindings do.
        string replacement = Tok.Decode(Tok.Encode("\uFFFD"));
        Assert.Equal("\uFFFD", replacement);
        Assert.Equal(Tok.Encode("a\uFFFDb"), Tok.Encode("a\uD800b"));
        Assert.Equal(Tok.Encode("\uFFFD"), Tok.Encode("\uDC00"));
        Assert.Equal(Tok.Encode("x\uFFFD\uFFFD"), Tok.Encode("x\uDBFF\uDBFF"));
        Assert.Equal("\U0001F600\uFFFD", Tok.Decode(Tok.Encode("\uD83D\uDE00\uDE00"))); // the valid pair is kept
    }

    [Fact]
    public void VeryLongInputsEncodeAndRoundTrip()
    {
        // One 200,000-byte word (no whitespace) runs the O(n log n) merge path; mixed text runs the cache.
        string word = string.Concat(Enumerable.Repeat("abcdefghij", 20_000));
        int[] ids = Tok.Encode(word);
        Assert.Equal(word, Tok.Decode(ids));
        Assert.True(ids.Length < word.Length * 3 / 4, $"{ids.Length} tokens for {word.Length} letters: merges did not apply");

        string emoji = string.Concat(Enumerable.Repeat("\U0001F600", 20_000));
        Assert.Equal(emoji, Tok.Decode(Tok.Encode(emoji)));

        string text = File.ReadAllText(Path.Combine(TokenizerTestData.RepoRoot, "data", "eval.txt"));
        Assert.Equal(text, Tok.Decode(Tok.Encode(text)));
    }

    [Fact]
    public void UnknownIdsInDecodeNameTheId()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Decode([41, 4096]));
        Assert.Equal(4096, e.ActualValue);
        Assert.Contains("4096", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Decode([-3]));
        Assert.Equal(-3, e.ActualValue);
    }

    [Fact]
    public void InvalidUtf8DecodesToReplacementCharactersLikeRust()
    {
        // 0xF0 0x9F 0x98 0x80 is U+1F600; its byte tokens are the alphabet characters of those bytes.
        int F0 = Tok.TokenToId("\u00f0")!.Value, x9F = Tok.TokenToId("\u0141")!.Value, x98 = Tok.TokenToId("\u013a")!.Value;
        int x80 = Tok.TokenToId("\u0122")!.Value, a = Tok.TokenToId("a")!.Value;
        Assert.Equal("\U0001F600", Tok.Decode([F0, x9F, x98, x80]));
        Assert.Equal("\uFFFDa", Tok.Decode([F0, x9F, x98, a]));     // a truncated sequence is one U+FFFD
        Assert.Equal("\uFFFD\uFFFDa", Tok.Decode([x80, x80, a]));   // each stray continuation byte is one
        Assert.Equal("\uFFFD", Tok.Decode([F0]));
    }

    [Fact]
    public void EncodingIsThreadSafe()
    {
        string[] lines = File.ReadAllLines(Path.Combine(TokenizerTestData.RepoRoot, "data", "calib.txt")).Take(2000).ToArray();
        var fresh = BpeTokenizer.FromFile(TokenizerTestData.TokenizerPath);
        int[][] expected = lines.Select(l => Tok.Encode(l)).ToArray();
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < lines.Length; i++)
                Assert.Equal(expected[i], fresh.Encode(lines[i]));
        });
    }
}
