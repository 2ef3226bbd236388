using System.Text;
using System.Text.Json.Nodes;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>
/// Data/hf_tokenizer_reference.json, made by tools/tokenizer-reference/generate.js with the Hugging Face
/// tokenizers library: ids and decoded text for ~2,300 strings over the mamba tokenizer and variants of its
/// tokenizer.json (other pre-tokenizers, normalizers, added-token options, merge forms), decodes of arbitrary
/// id sequences, and the token streams of data/eval.txt and data/calib.txt.
/// </summary>
public class HfReferenceTests
{
    private static readonly Lazy<JsonObject> s_reference = new(() =>
        JsonNode.Parse(File.ReadAllText(TokenizerTestData.DataFile("hf_tokenizer_reference.json")))!.AsObject());

    public static TheoryData<string> VariantNames()
    {
        var data = new TheoryData<string>();
        foreach (var v in s_reference.Value["variants"]!.AsArray())
            data.Add(v!["name"]!.GetValue<string>());
        return data;
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void EncodesAndDecodesLikeHuggingFace(string variantName)
    {
        var variant = s_reference.Value["variants"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == variantName)!;
        var tokenizer = BuildVariant(variant["edit"]!.AsObject(), variantName);
        var cases = variant["cases"]!.AsArray();
        Assert.True(cases.Count >= 100, $"{variantName} has only {cases.Count} cases");
        var failures = new List<string>();
        foreach (var c in cases)
        {
            string text = TextOf(c!);
            int[] expected = c!["ids"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            string expectedDecoded = c["decoded"]!.GetValue<string>();
            int[] actual = tokenizer.Encode(text);
            if (!actual.AsSpan().SequenceEqual(expected))
                failures.Add($"encode {Show(text)}: expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]");
            string decoded = tokenizer.Decode(expected);
            if (decoded != expectedDecoded)
                failures.Add($"decode of {Show(text)}: expected {Show(expectedDecoded)} got {Show(decoded)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases differ from Hugging Face:\n" + string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void DecodesArbitraryIdSequencesLikeHuggingFace()
    {
        var tok = TokenizerTestData.Tokenizer;
        var cases = s_reference.Value["decode"]!.AsArray();
        Assert.True(cases.Count >= 100);
        int withReplacement = 0;
        foreach (var c in cases)
        {
            int[] ids = c!["ids"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            string expected = c["text"]!.GetValue<string>();
            Assert.Equal(expected, tok.Decode(ids));
            if (expected.Contains('\uFFFD'))
                withReplacement++;
        }
        // The data must actually exercise invalid UTF-8 (split multi-byte characters).
        Assert.True(withReplacement >= 50, $"only {withReplacement} decodes contain U+FFFD");
    }

    [Fact]
    public void TokenizesWholeDataFilesLikeHuggingFace()
    {
        var tok = TokenizerTestData.Tokenizer;
        foreach (var f in s_reference.Value["files"]!.AsArray())
        {
            string path = f!["path"]!.GetValue<string>();
            string[] docs = File.ReadAllText(Path.Combine(TokenizerTestData.RepoRoot, path)).Split("\n\n");
            var stream = new List<int>();
            foreach (string d in docs)
            {
                stream.AddRange(tok.Encode(d));
                stream.Add(0);
            }
            Assert.Equal(f["documents"]!.GetValue<int>(), docs.Length);
            Assert.Equal(f["first_ids"]!.AsArray().Select(n => n!.GetValue<int>()), stream.Take(256));
            Assert.Equal(f["tokens"]!.GetValue<int>(), stream.Count);
            Assert.Equal(f["fnv1a32"]!.GetValue<uint>(), Fnv1a(stream));
        }
    }

    [Fact]
    public void EvalStreamHasTheTokenCountOfTheDataReadme()
    {
        // data/README.md: documents split on blank lines, each followed by token 0: 112,234 tokens.
        var tok = TokenizerTestData.Tokenizer;
        int count = 0;
        foreach (string d in File.ReadAllText(Path.Combine(TokenizerTestData.RepoRoot, "data", "eval.txt")).Split("\n\n"))
            count += tok.Encode(d).Length + 1;
        Assert.Equal(112_234, count);
    }

    /// <summary>Applies a variant's edits (see generate.js) to models/mamba1-tiny/tokenizer.json.</summary>
    internal static BpeTokenizer BuildVariant(JsonObject edit, string name)
    {
        var json = TokenizerTestData.BaseJson();
        if (edit["set"] is JsonObject set)
        {
            foreach (var (key, value) in set)
                json[key] = value?.DeepClone();
        }
        if (edit["append_added_tokens"] is JsonArray added)
        {
            foreach (var t in added)
                json["added_tokens"]!.AsArray().Add(t!.DeepClone());
        }
        if (edit["merges_as_strings"]?.GetValue<bool>() == true)
        {
            var merges = json["model"]!["merges"]!.AsArray();
            var strings = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create(m![0]!.GetValue<string>() + " " + m[1]!.GetValue<string>())!).ToArray());
            json["model"]!["merges"] = strings;
        }
        return BpeTokenizer.FromJson(json.ToJsonString(), name + ".tokenizer.json");
    }

    private static string TextOf(JsonNode c)
    {
        if (c["utf16"] is JsonArray units)
            return new string(units.Select(u => (char)u!.GetValue<int>()).ToArray());
        return c["text"]!.GetValue<string>();
    }

    private static uint Fnv1a(List<int> ids)
    {
        uint h = 0x811c9dc5;
        foreach (int id in ids)
        {
            for (int b = 0; b < 4; b++)
            {
                h ^= (uint)(id >> (8 * b)) & 0xff;
                h *= 0x01000193;
            }
        }
        return h;
    }

    internal static string Show(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s.Length > 80 ? s[..80] + "…" : s)
            sb.Append(c < 0x20 || c is >= '\u007f' and <= '\u00a0' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.Append('"').ToString();
    }
}
