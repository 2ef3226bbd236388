using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>The hand-written GPT-2 scanner against the regex it replaces.</summary>
public partial class PreTokenizerScannerTests
{
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Gpt2Regex();

    private static List<string> Scan(string s)
    {
        var spans = new List<(int Start, int Length)>();
        Gpt2PreTokenizerScanner.Split(s, spans);
        return spans.Select(p => s.Substring(p.Start, p.Length)).ToList();
    }

    private static List<string> RegexSplit(string s) => Gpt2Regex().Matches(s).Select(m => m.Value).ToList();

    private const string Interesting = " \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2028\u2029\u202f\u205f\u3000\u180e\u001c\u200b'srtvemlldSa0١½Ⅻé\u0301中!?.,-_\"\u00ad\u0000\ufffd";

    [Fact]
    public void PatternConstantIsTheRegexUnderTest() =>
        Assert.Equal(Gpt2PreTokenizerScanner.Pattern, Gpt2Regex().ToString());

    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("  leading", new[] { " ", " leading" })]
    [InlineData("a   \n b", new[] { "a", "   \n", " b" })]
    [InlineData("don't we'll", new[] { "don", "'t", " we", "'ll" })]
    [InlineData(" 'sup", new[] { " '", "sup" })]
    [InlineData("x'''s", new[] { "x", "'''", "s" })]
    [InlineData("tail  ", new[] { "tail", "  " })]
    [InlineData("\ta", new[] { "\t", "a" })]
    [InlineData("123abc", new[] { "123", "abc" })]
    public void SplitsKnownCases(string text, string[] expected) => Assert.Equal(expected, Scan(text));

    [Fact]
    public void MatchesTheRegexOnRandomBmpStrings()
    {
        // On BMP text the .NET regex and the code-point scanner must agree exactly.
        var rng = new Random(2024);
        for (int i = 0; i < 20000; i++)
        {
            var sb = new StringBuilder();
            int n = rng.Next(0, 24);
            for (int k = 0; k < n; k++)
            {
                int kind = rng.Next(4);
                char c = kind switch
                {
                    0 or 1 => Interesting[rng.Next(Interesting.Length)],
                    2 => (char)rng.Next(0x20, 0x7f),
                    _ => (char)rng.Next(0x80, 0xd800),
                };
                sb.Append(c);
            }
            string s = sb.ToString();
            var expected = RegexSplit(s);
            Assert.Equal(s, string.Concat(expected)); // the pattern covers every character
            Assert.Equal(expected, Scan(s));
        }
    }

    [Fact]
    public void TreatsSupplementaryCharactersAsCodePoints()
    {
        // The scanner classifies a surrogate pair by its code point (as Oniguruma does on UTF-8). Replacing each
        // supplementary character by a BMP character of the same class must give the same split positions.
        var rng = new Random(77);
        int[] supplementary = [0x1D400, 0x20000, 0x10400, 0x1D7CE, 0x10107, 0x1F600, 0x1F44D, 0xE0001, 0x1F1EB];
        for (int i = 0; i < 5000; i++)
        {
            var original = new StringBuilder();
            var standIn = new StringBuilder();
            int n = rng.Next(1, 16);
            for (int k = 0; k < n; k++)
            {
                if (rng.Next(3) == 0)
                {
                    int cp = supplementary[rng.Next(supplementary.Length)];
                    original.Append(char.ConvertFromUtf32(cp));
                    standIn.Append(StandIn(cp)).Append('\u0001'); // pad to keep the same length: see below
                }
                else
                {
                    char c = Interesting[rng.Next(Interesting.Length)];
                    original.Append(c);
                    standIn.Append(c);
                }
            }
            // The stand-in string has each supplementary character as (class char, U+0001); U+0001 would split,
            // so compare boundaries on a version where the pad is the same class as the stand-in.
            string s = original.ToString();
            string bmp = WithPadOfSameClass(standIn.ToString());
            var expected = Boundaries(RegexSplit(bmp));
            var actual = Boundaries(Scan(s));
            Assert.True(expected.SequenceEqual(actual), $"{HfReferenceTests.Show(s)}: regex on stand-ins {string.Join(",", expected)}, scanner {string.Join(",", actual)}");
        }
    }

    private static char StandIn(int cp) => Rune.GetUnicodeCategory(new Rune(cp)) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.TitlecaseLetter => 'x',
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => '7',
        _ => '%',
    };

    private static string WithPadOfSameClass(string s)
    {
        var chars = s.ToCharArray();
        for (int i = 1; i < chars.Length; i++)
        {
            if (chars[i] == '\u0001' && chars[i - 1] is 'x' or '7' or '%')
                chars[i] = chars[i - 1] == 'x' ? 'y' : chars[i - 1] == '7' ? '8' : '&';
        }
        return new string(chars);
    }

    private static List<int> Boundaries(List<string> pieces)
    {
        var result = new List<int>();
        int pos = 0;
        foreach (string p in pieces)
            result.Add(pos += p.Length);
        return result;
    }
}
