using System.Text;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>Streaming decoding equals whole decoding, and emits only complete characters.</summary>
public class TokenStreamDecoderTests
{
    private static readonly BpeTokenizer Tok = TokenizerTestData.Tokenizer;

    private static string Stream(TokenStreamDecoder decoder, IEnumerable<int> ids, List<string>? pieces = null)
    {
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            string piece = decoder.Append(id);
            pieces?.Add(piece);
            sb.Append(piece);
        }
        string tail = decoder.Flush();
        pieces?.Add(tail);
        return sb.Append(tail).ToString();
    }

    private static int ByteToken(byte b) => Tok.TokenToId(ByteAlphabetChar(b).ToString())!.Value;

    private static char ByteAlphabetChar(byte b)
    {
        // GPT-2 byte alphabet, as in ByteLevelAlphabet.
        if (b is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE)
            return (char)b;
        int k = 0;
        for (int x = 0; x < b; x++)
        {
            if (!(x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE))
                k++;
        }
        return (char)(256 + k);
    }

    [Fact]
    public void EmojiSplitAcrossTokensIsHeldUntilComplete()
    {
        // "😀 中文" encodes with the emoji's and the CJK characters' bytes spread over several tokens.
        string text = "\U0001F600 \u4e2d\u6587!";
        int[] ids = Tok.Encode(text);
        Assert.True(ids.Length > text.Length - 2, "the characters should span several tokens each");
        var pieces = new List<string>();
        Assert.Equal(text, Stream(Tok.CreateStreamDecoder(), ids, pieces));
        foreach (string piece in pieces)
            Assert.DoesNotContain('\uFFFD', piece);
        Assert.Contains("", pieces); // at least one token completed no character
    }

    [Fact]
    public void SingleBytesOfAFourByteCharacterEmitNothingUntilTheLast()
    {
        byte[] utf8 = Encoding.UTF8.GetBytes("\U0001F600");
        var decoder = Tok.CreateStreamDecoder();
        Assert.Equal("", decoder.Append(ByteToken(utf8[0])));
        Assert.Equal("", decoder.Append(ByteToken(utf8[1])));
        Assert.Equal("", decoder.Append(ByteToken(utf8[2])));
        Assert.Equal("\U0001F600", decoder.Append(ByteToken(utf8[3])));
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void FlushTurnsAnUnfinishedCharacterIntoReplacement()
    {
        byte[] utf8 = Encoding.UTF8.GetBytes("\u4e2d");
        var decoder = Tok.CreateStreamDecoder();
        Assert.Equal("a", decoder.Append(Tok.TokenToId("a")!.Value));
        Assert.Equal("", decoder.Append(ByteToken(utf8[0])));
        Assert.Equal("", decoder.Append(ByteToken(utf8[1])));
        Assert.Equal("\uFFFD", decoder.Flush());
        // After Flush the decoder starts afresh.
        Assert.Equal("b", decoder.Append(Tok.TokenToId("b")!.Value));
    }

    [Fact]
    public void StreamEqualsWholeDecodeForEncodedText()
    {
        var rng = new Random(99);
        for (int i = 0; i < 500; i++)
        {
            int[] ids = Tok.Encode(RoundTripTests.RandomText(rng, 40));
            Assert.Equal(Tok.Decode(ids), Stream(Tok.CreateStreamDecoder(), ids));
        }
    }

    [Fact]
    public void StreamEqualsWholeDecodeForArbitraryIdsIncludingInvalidUtf8()
    {
        // Random ids: many sequences split or break multi-byte characters; both paths must agree, U+FFFD included.
        var rng = new Random(7);
        var decoder = Tok.CreateStreamDecoder(); // reused across sequences: Flush resets it
        int invalid = 0;
        for (int i = 0; i < 2000; i++)
        {
            int[] ids = new int[rng.Next(1, 16)];
            for (int k = 0; k < ids.Length; k++)
                ids[k] = rng.Next(2) == 0 ? rng.Next(96, 256) : rng.Next(Tok.VocabSize);
            string whole = Tok.Decode(ids);
            Assert.Equal(whole, Stream(decoder, ids));
            if (whole.Contains('\uFFFD'))
                invalid++;
        }
        Assert.True(invalid > 200, $"only {invalid} sequences had invalid UTF-8");
    }

    [Fact]
    public void StreamsTheEvalFile()
    {
        string text = File.ReadAllText(Path.Combine(TokenizerTestData.RepoRoot, "data", "eval.txt"))[..20000];
        Assert.Equal(text, Stream(Tok.CreateStreamDecoder(), Tok.Encode(text)));
    }

    [Fact]
    public void UnknownIdThrowsAndLeavesTheStreamIntact()
    {
        byte[] utf8 = Encoding.UTF8.GetBytes("\u00e9");
        var decoder = Tok.CreateStreamDecoder();
        Assert.Equal("", decoder.Append(ByteToken(utf8[0])));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Append(5000));
        Assert.Equal(5000, e.ActualValue);
        Assert.Equal("\u00e9", decoder.Append(ByteToken(utf8[1])));
    }
}
