using System.Text.Json.Nodes;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>tokenizer.json files this tokenizer cannot reproduce are refused with the file, path and fix.</summary>
public sealed class TokenizerFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("quamba-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TokenizerFormatException LoadFails(string fileName, string content)
    {
        string path = Path.Combine(_dir, fileName);
        File.WriteAllText(path, content);
        var e = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.FromFile(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(fileName, e.Message);
        Assert.Contains(e.JsonPath, e.Message);
        return e;
    }

    private TokenizerFormatException LoadFails(string fileName, Action<JsonObject> edit)
    {
        var json = TokenizerTestData.BaseJson();
        edit(json);
        return LoadFails(fileName, json.ToJsonString());
    }

    [Fact]
    public void MissingMerges()
    {
        var e = LoadFails("no-merges.json", j => j["model"]!.AsObject().Remove("merges"));
        Assert.Equal("$.model.merges", e.JsonPath);
        Assert.Contains("merge", e.Message);
    }

    [Fact]
    public void NotBpe()
    {
        var e = LoadFails("wordpiece.json", j => j["model"]!["type"] = "WordPiece");
        Assert.Equal("$.model.type", e.JsonPath);
        Assert.Contains("WordPiece", e.Message);
        Assert.Contains("BPE", e.Message);
    }

    [Fact]
    public void MalformedJson()
    {
        var e = LoadFails("broken.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0,}");
        Assert.Contains("malformed JSON", e.Message);
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void NotAnObject()
    {
        var e = LoadFails("array.json", "[1, 2]");
        Assert.Equal("$", e.JsonPath);
    }

    [Fact]
    public void MergeNamingAnUnknownToken()
    {
        var e = LoadFails("bad-merge.json", j => j["model"]!["merges"]!.AsArray().Insert(3, new JsonArray("Ġ", "nosuchtoken")));
        Assert.Equal("$.model.merges[3]", e.JsonPath);
        Assert.Contains("\"nosuchtoken\"", e.Message);
        Assert.Contains("not in model.vocab", e.Message);
    }

    [Fact]
    public void StringMergeNamingAnUnknownToken()
    {
        var e = LoadFails("bad-string-merge.json", j => j["model"]!["merges"]!.AsArray().Add("zzz_unknown t"));
        Assert.StartsWith("$.model.merges[", e.JsonPath);
        Assert.Contains("zzz_unknown", e.Message);
    }

    [Fact]
    public void StringMergeWithoutOneSpace()
    {
        var e = LoadFails("bad-merge-form.json", j => j["model"]!["merges"]!.AsArray()[0] = "t h e");
        Assert.Equal("$.model.merges[0]", e.JsonPath);
    }

    [Fact]
    public void MergeResultNotInVocabulary()
    {
        var e = LoadFails("bad-merge-result.json", j => j["model"]!["merges"]!.AsArray().Add(new JsonArray("x", "q")));
        Assert.Contains("\"xq\"", e.Message);
    }

    [Fact]
    public void MissingVocabulary()
    {
        var e = LoadFails("no-vocab.json", j => j["model"]!.AsObject().Remove("vocab"));
        Assert.Equal("$.model.vocab", e.JsonPath);
    }

    [Fact]
    public void UnsupportedNormalizer()
    {
        var e = LoadFails("lowercase.json", j => j["normalizer"] = new JsonObject { ["type"] = "Lowercase" });
        Assert.Equal("$.normalizer.type", e.JsonPath);
        Assert.Contains("NFC", e.Message);
    }

    [Fact]
    public void UnsupportedPreTokenizerInsideSequence()
    {
        var e = LoadFails("metaspace.json", j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Sequence","pretokenizers":[{"type":"ByteLevel"},{"type":"Metaspace"}]}"""));
        Assert.Equal("$.pre_tokenizer.pretokenizers[1].type", e.JsonPath);
        Assert.Contains("Metaspace", e.Message);
    }

    [Fact]
    public void NonByteLevelDecoder()
    {
        var e = LoadFails("wp-decoder.json", j => j["decoder"] = new JsonObject { ["type"] = "WordPiece" });
        Assert.Equal("$.decoder.type", e.JsonPath);
    }

    [Fact]
    public void TemplatePostProcessorIsRefused()
    {
        var e = LoadFails("template.json", j => j["post_processor"] = new JsonObject { ["type"] = "TemplateProcessing" });
        Assert.Equal("$.post_processor.type", e.JsonPath);
        Assert.Contains("special tokens", e.Message);
    }

    [Fact]
    public void DropoutIsRefused()
    {
        var e = LoadFails("dropout.json", j => j["model"]!["dropout"] = 0.1);
        Assert.Equal("$.model.dropout", e.JsonPath);
    }

    [Fact]
    public void ByteFallbackIsRefused()
    {
        var e = LoadFails("byte-fallback.json", j => j["model"]!["byte_fallback"] = true);
        Assert.Equal("$.model.byte_fallback", e.JsonPath);
    }

    [Fact]
    public void AddedTokenWhoseIdDisagreesWithTheVocabulary()
    {
        var e = LoadFails("added-id.json", j => j["added_tokens"]!.AsArray().Add(JsonNode.Parse("""{"id": 7, "content": "<|x|>", "special": true}""")));
        Assert.Equal("$.added_tokens[2].id", e.JsonPath);
        Assert.Contains("7", e.Message);
    }

    [Fact]
    public void WrongValueType()
    {
        var e = LoadFails("bad-bool.json", j => j["pre_tokenizer"]!["add_prefix_space"] = "yes");
        Assert.Equal("$.pre_tokenizer.add_prefix_space", e.JsonPath);
        Assert.Contains("true or false", e.Message);
    }

    [Fact]
    public void SplitPatternThatDotNetCannotCompile()
    {
        var e = LoadFails("bad-regex.json", j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"Regex":"a++(["},"behavior":"Isolated","invert":false}"""));
        Assert.Equal("$.pre_tokenizer.pattern.Regex", e.JsonPath);
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => BpeTokenizer.FromFile(Path.Combine(_dir, "absent.json")));

    [Fact]
    public void TheShippedTokenizersLoad()
    {
        foreach (string model in new[] { "mamba1-tiny", "mamba2-tiny" })
        {
            var tok = BpeTokenizer.FromFile(Path.Combine(TokenizerTestData.RepoRoot, "models", model, "tokenizer.json"));
            Assert.Equal(4096, tok.VocabSize);
        }
    }
}
