using Quamba.Generators.Config;
using Quamba.Generators.Config.Json;

namespace Quamba.Tests.Config;

/// <summary>
/// Random mutations of valid configs: the reader must never throw, never report an internal error (QC0013), and
/// give either a config or at least one error, with every diagnostic inside the file.
/// </summary>
public class ConfigFuzzTests
{
    private static readonly string[] Seeds =
    [
        ConfigSamples.Mamba1TinyW8A8, ConfigSamples.Mamba2Tiny("T", "w4a8"), ConfigSamples.Mamba2_8bW4AX(), ConfigSamples.Mamba2_2p7bW4A8,
        """{ "checkpoint": "c.json", "precision": ["w8a8", "w4a16"], "targets": "sm_80+", "state_precision": "fp32", "head_groups": 2, "dim_groups": 2 }""",
    ];

    private static readonly string[] Fragments =
        ["{", "}", "[", "]", ",", ":", "\"", "\\", "-", "0", "1e9", "99999999999999999999", "null", "true", "NaN", "-Infinity", "\"w8a8\"", "\"mamba2\"", "//", "/*", "\n", "\u00e9", "\uFEFF", "1.5", "[]", "{}"];

    private static string Mutate(string text, Random random)
    {
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && text.Length > 0; m++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0: text = text.Remove(at, Math.Min(text.Length - at, random.Next(1, 8))); break;
                case 1: text = text.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                case 2: text = text.Substring(0, at); break;
                case 3:
                    // Replace a number with another (often inconsistent) one.
                    int digit = text.IndexOfAny("0123456789".ToCharArray(), at);
                    if (digit >= 0) text = text.Remove(digit, 1).Insert(digit, random.Next(10).ToString());
                    break;
                default:
                    int a = random.Next(text.Length), b = random.Next(text.Length);
                    var chars = text.ToCharArray();
                    (chars[a], chars[b]) = (chars[b], chars[a]);
                    text = new string(chars);
                    break;
            }
        }
        return text;
    }

    [Fact]
    public void RandomMutationsNeverCrash()
    {
        var random = new Random(20251122);
        var checkpoint = new CheckpointFile("/proj/c.json", """{ "model_type": "mamba2", "hidden_size": 256, "num_hidden_layers": 2, "vocab_size": 4096, "state_size": 32, "head_dim": 32, "n_groups": 2, "chunk_size": 64 }""");
        int valid = 0, invalid = 0;
        for (int i = 0; i < 3000; i++)
        {
            var text = Mutate(Seeds[i % Seeds.Length], random);
            var result = ConfigReader.Read("/proj/quamba.json", text, [checkpoint], TestContext.Current.CancellationToken);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "QC0013");
            var errors = result.Diagnostics.Where(d => d.IsError).ToList();
            Assert.True(result.Config is not null ^ errors.Count > 0, "config xor errors for: " + text);
            foreach (var d in result.Diagnostics)
            {
                var diagnostic = d.ToDiagnostic();
                Assert.True(d.Location is not null, d.Id + " without a location for: " + text);
                Assert.True(d.Location!.Span.End <= (d.Location.FilePath == "/proj/c.json" ? checkpoint.Text.Length : text.Length), "span past the end");
                Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
            }
            if (result.Config is null) invalid++; else valid++;
        }
        // The mutations must exercise both outcomes, or the test proves little.
        Assert.True(valid > 100 && invalid > 1000, $"valid {valid}, invalid {invalid}");
    }

    [Fact]
    public void ParserSurvivesDeepNestingAndGarbage()
    {
        Assert.Null(JsonParser.Parse(new string('[', 100_000), out var error));
        Assert.Contains("nested", error!.Message);
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            var bytes = new char[random.Next(0, 64)];
            for (int j = 0; j < bytes.Length; j++) bytes[j] = (char)random.Next(0, 0x3000);
            JsonParser.Parse(new string(bytes), out _);
        }
    }

    [Fact]
    public void ParserRecordsSpansOfValues()
    {
        const string text = "{ \"a\": [1, 2.5e3, \"x\\u0041\"], \"b\": -Infinity }";
        var root = JsonParser.Parse(text, out var error)!;
        Assert.Null(error);
        var a = root.Member("a")!.Value;
        Assert.Equal("[1, 2.5e3, \"x\\u0041\"]", text.Substring(a.Span.Start, a.Span.Length));
        Assert.Equal("xA", a.Items[2].Text);
        Assert.True(a.Items[0].IsInteger);
        Assert.False(a.Items[1].IsInteger);
        Assert.Equal(2500, a.Items[1].Number);
        Assert.Equal(double.NegativeInfinity, root.Member("b")!.Value.Number);
    }
}
