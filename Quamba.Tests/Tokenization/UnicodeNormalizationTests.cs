using System.Text.Json;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>The embedded NFC/NFD against Python's unicodedata (Data/nfc_vectors.json).</summary>
public class UnicodeNormalizationTests
{
    private sealed record Vector(string s, string nfc, string nfd);
    private sealed record VectorFile(string unicode_version, Vector[] vectors);

    [Fact]
    public void MatchesPythonUnicodedata()
    {
        var file = JsonSerializer.Deserialize<VectorFile>(File.ReadAllText(TokenizerTestData.DataFile("nfc_vectors.json")))!;
        Assert.Equal(UnicodeNormalizationData.UnicodeVersion, file.unicode_version);
        Assert.True(file.vectors.Length > 5000);
        var failures = new List<string>();
        foreach (var v in file.vectors)
        {
            string nfc = UnicodeNormalization.ToNfc(v.s), nfd = UnicodeNormalization.ToNfd(v.s);
            if (nfc != v.nfc)
                failures.Add($"NFC {Hex(v.s)}: expected {Hex(v.nfc)} got {Hex(nfc)}");
            if (nfd != v.nfd)
                failures.Add($"NFD {Hex(v.s)}: expected {Hex(v.nfd)} got {Hex(nfd)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("e\u0301", "\u00e9")]
    [InlineData("\u212b", "\u00c5")]                      // singleton decomposition
    [InlineData("\u1100\u1161\u11a8", "\uac01")]           // Hangul L V T
    [InlineData("a\u0301\u0323", "\u1ea1\u0301")]          // reordered (dot below, ccc 220, first), a+dot composes
    [InlineData("plain ASCII", "plain ASCII")]
    public void ComposesKnownCases(string input, string expected) => Assert.Equal(expected, UnicodeNormalization.ToNfc(input));

    [Fact]
    public void RuntimeNormalizeIsNotUsable()
    {
        // Why the tables exist: with InvariantGlobalization, string.Normalize leaves non-ASCII text unchanged.
        Assert.Equal("e\u0301", "e\u0301".Normalize(System.Text.NormalizationForm.FormC));
    }

    private static string Hex(string s) => string.Join(" ", s.EnumerateRunes().Select(r => r.Value.ToString("X4")));
}
