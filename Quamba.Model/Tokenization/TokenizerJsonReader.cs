using System.Text.Json;
using System.Text.RegularExpressions;

namespace Quamba.Model.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer.json that describes a byte-level BPE tokenizer (the GPT-2 / GPT-NeoX family)
/// and checks it. Anything this tokenizer would not reproduce exactly is refused with a
/// <see cref="TokenizerFormatException"/> naming the file, the JSON path and what is supported.
/// </summary>
internal sealed class TokenizerJsonReader
{
    private readonly string _source;

    private TokenizerJsonReader(string source) => _source = source;

    public static TokenizerDefinition ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json = File.ReadAllText(path);
        return Read(json, path);
    }

    /// <summary>Reads tokenizer.json text; <paramref name="sourceName"/> names it in error messages.</summary>
    public static TokenizerDefinition Read(string json, string sourceName)
    {
        var reader = new TokenizerJsonReader(sourceName);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(sourceName, e.Path ?? "$",
                $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message} " +
                "Fix: the file must be the tokenizer.json that Hugging Face tokenizers saves.", e);
        }
        using (doc)
            return reader.ReadRoot(doc.RootElement);
    }

    private TokenizerDefinition ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Error("$", $"the document is a JSON {Kind(root)}, expected an object with \"model\", \"added_tokens\", \"pre_tokenizer\" and \"decoder\".");

        RequireNullOrAbsent(root, "truncation", "$.truncation", "truncation changes what encoding returns; set it to null (truncate the ids yourself).");
        RequireNullOrAbsent(root, "padding", "$.padding", "padding changes what encoding returns; set it to null.");

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw Error("$.model", "missing or not an object; a BPE model with \"vocab\" and \"merges\" is required.");

        var (vocab, merges, unkId, fuseUnk, ignoreMerges) = ReadModel(model);
        var added = ReadAddedTokens(root, vocab);
        var normalizer = ReadNormalizer(root);
        var preTokenizer = ReadPreTokenizer(root);
        ReadDecoder(root);
        ReadPostProcessor(root);

        return new TokenizerDefinition
        {
            SourceName = _source,
            Vocab = vocab,
            Merges = merges,
            AddedTokens = added,
            Normalizer = normalizer,
            PreTokenizer = preTokenizer,
            UnknownId = unkId,
            FuseUnknown = fuseUnk,
            IgnoreMerges = ignoreMerges,
        };
    }

    private (Dictionary<string, int>, List<(int, int, int)>, int?, bool, bool) ReadModel(JsonElement model)
    {
        string? type = OptionalString(model, "type", "$.model.type");
        if (type is null)
        {
            if (!model.TryGetProperty("merges", out _))
                throw Error("$.model.type", "missing, and the model has no \"merges\": only BPE models (\"type\": \"BPE\") are supported.");
        }
        else if (type != "BPE")
        {
            throw Error("$.model.type", $"\"{type}\" is not supported: only \"BPE\" (byte-level BPE, as GPT-2 and GPT-NeoX use) is. " +
                "WordPiece, Unigram and WordLevel tokenizers need a different implementation.");
        }

        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind != JsonValueKind.Null)
        {
            if (dropout.ValueKind != JsonValueKind.Number || dropout.GetDouble() != 0.0)
                throw Error("$.model.dropout", "BPE dropout makes encoding random; only null or 0 is supported.");
        }
        foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            string? value = OptionalString(model, name, "$.model." + name);
            if (!string.IsNullOrEmpty(value))
                throw Error("$.model." + name, $"\"{value}\" is not supported: byte-level BPE uses none; set it to null.");
        }
        if (OptionalBool(model, "byte_fallback", "$.model.byte_fallback", false))
            throw Error("$.model.byte_fallback", "byte_fallback (SentencePiece-style <0xNN> tokens) is not supported; byte-level BPE covers every byte through its alphabet.");
        bool fuseUnk = OptionalBool(model, "fuse_unk", "$.model.fuse_unk", false);
        bool ignoreMerges = OptionalBool(model, "ignore_merges", "$.model.ignore_merges", false);

        if (!model.TryGetProperty("vocab", out var vocabEl) || vocabEl.ValueKind != JsonValueKind.Object)
            throw Error("$.model.vocab", "missing or not an object; expected {\"token\": id, ...}.");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<int, string>();
        foreach (var entry in vocabEl.EnumerateObject())
        {
            string path = "$.model.vocab" + PropertyPath(entry.Name);
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw Error(path, $"the id must be a non-negative integer, not {entry.Value.GetRawText()}.");
            if (vocab.ContainsKey(entry.Name))
                throw Error(path, "the token appears twice in the vocabulary.");
            if (byId.TryGetValue(id, out string? other))
                throw Error(path, $"id {id} is also given to {Quote(other)}; every id must name one token.");
            vocab[entry.Name] = id;
            byId[id] = entry.Name;
        }

        if (!model.TryGetProperty("merges", out var mergesEl) || mergesEl.ValueKind == JsonValueKind.Null)
            throw Error("$.model.merges", "missing: a BPE model needs its merge list ([\"a b\", ...] or [[\"a\", \"b\"], ...]) to encode text.");
        if (mergesEl.ValueKind != JsonValueKind.Array)
            throw Error("$.model.merges", $"is a JSON {Kind(mergesEl)}, expected an array of merges.");
        var merges = new List<(int, int, int)>(mergesEl.GetArrayLength());
        int index = 0;
        foreach (var m in mergesEl.EnumerateArray())
        {
            string path = $"$.model.merges[{index++}]";
            string left, right;
            if (m.ValueKind == JsonValueKind.String)
            {
                string[] parts = m.GetString()!.Split(' ');
                if (parts.Length != 2)
                    throw Error(path, $"{Quote(m.GetString()!)} is not two tokens separated by one space; use the [\"a\", \"b\"] form for tokens that contain spaces.");
                (left, right) = (parts[0], parts[1]);
            }
            else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2
                     && m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
            {
                (left, right) = (m[0].GetString()!, m[1].GetString()!);
            }
            else
            {
                throw Error(path, $"{m.GetRawText()} is neither \"a b\" nor [\"a\", \"b\"].");
            }
            if (!vocab.TryGetValue(left, out int leftId))
                throw Error(path, $"the merge names {Quote(left)}, which is not in model.vocab.");
            if (!vocab.TryGetValue(right, out int rightId))
                throw Error(path, $"the merge names {Quote(right)}, which is not in model.vocab.");
            if (!vocab.TryGetValue(left + right, out int mergedId))
                throw Error(path, $"the merge result {Quote(left + right)} is not in model.vocab.");
            merges.Add((leftId, rightId, mergedId));
        }

        int? unkId = null;
        string? unk = OptionalString(model, "unk_token", "$.model.unk_token");
        if (unk is not null)
        {
            if (!vocab.TryGetValue(unk, out int u))
                throw Error("$.model.unk_token", $"{Quote(unk)} is not in model.vocab.");
            unkId = u;
        }
        return (vocab, merges, unkId, fuseUnk, ignoreMerges);
    }

    private List<AddedToken> ReadAddedTokens(JsonElement root, Dictionary<string, int> vocab)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var arr) || arr.ValueKind == JsonValueKind.Null)
            return result;
        if (arr.ValueKind != JsonValueKind.Array)
            throw Error("$.added_tokens", $"is a JSON {Kind(arr)}, expected an array.");
        var vocabById = vocab.ToDictionary(kv => kv.Value, kv => kv.Key);
        var seenContent = new HashSet<string>(StringComparer.Ordinal);
        var seenId = new HashSet<int>();
        int index = 0;
        foreach (var t in arr.EnumerateArray())
        {
            string path = $"$.added_tokens[{index++}]";
            if (t.ValueKind != JsonValueKind.Object)
                throw Error(path, $"is a JSON {Kind(t)}, expected an object with \"id\" and \"content\".");
            if (!t.TryGetProperty("id", out var idEl) || !idEl.TryGetInt32(out int id) || id < 0)
                throw Error(path + ".id", "missing or not a non-negative integer.");
            string content = OptionalString(t, "content", path + ".content")
                ?? throw Error(path + ".content", "missing; an added token needs its text.");
            if (content.Length == 0)
                throw Error(path + ".content", "is empty; an added token must have text.");
            if (!seenContent.Add(content))
                throw Error(path + ".content", $"{Quote(content)} is listed twice.");
            if (!seenId.Add(id))
                throw Error(path + ".id", $"id {id} is given to two added tokens.");
            if (vocab.TryGetValue(content, out int vocabId) && vocabId != id)
                throw Error(path + ".id", $"{Quote(content)} has id {id} here but {vocabId} in model.vocab; the ids must agree.");
            if (vocabById.TryGetValue(id, out string? vocabToken) && vocabToken != content)
                throw Error(path + ".id", $"id {id} is {Quote(vocabToken)} in model.vocab, not {Quote(content)}; the ids must agree.");
            bool special = OptionalBool(t, "special", path + ".special", false);
            result.Add(new AddedToken(
                id,
                content,
                special,
                OptionalBool(t, "single_word", path + ".single_word", false),
                OptionalBool(t, "lstrip", path + ".lstrip", false),
                OptionalBool(t, "rstrip", path + ".rstrip", false),
                OptionalBool(t, "normalized", path + ".normalized", !special)));
        }
        return result;
    }

    private TextNormalizer ReadNormalizer(JsonElement root)
    {
        var forms = new List<NormalizationForm>();
        if (root.TryGetProperty("normalizer", out var n) && n.ValueKind != JsonValueKind.Null)
            CollectNormalizer(n, "$.normalizer", forms);
        return new TextNormalizer(forms);
    }

    private void CollectNormalizer(JsonElement n, string path, List<NormalizationForm> forms)
    {
        if (n.ValueKind != JsonValueKind.Object)
            throw Error(path, $"is a JSON {Kind(n)}, expected an object with \"type\".");
        string type = OptionalString(n, "type", path + ".type") ?? throw Error(path + ".type", "missing.");
        switch (type)
        {
            case "NFC": forms.Add(NormalizationForm.Nfc); break;
            case "NFD": forms.Add(NormalizationForm.Nfd); break;
            case "Sequence":
                if (!n.TryGetProperty("normalizers", out var list) || list.ValueKind != JsonValueKind.Array)
                    throw Error(path + ".normalizers", "missing or not an array.");
                int i = 0;
                foreach (var child in list.EnumerateArray())
                    CollectNormalizer(child, $"{path}.normalizers[{i++}]", forms);
                break;
            default:
                throw Error(path + ".type", $"normalizer \"{type}\" is not supported; supported: null, \"NFC\", \"NFD\" and a \"Sequence\" of them.");
        }
    }

    private PreTokenizerPipeline ReadPreTokenizer(JsonElement root)
    {
        var steps = new List<IPreTokenizerStep>();
        if (root.TryGetProperty("pre_tokenizer", out var p) && p.ValueKind != JsonValueKind.Null)
            CollectPreTokenizer(p, "$.pre_tokenizer", steps);
        return new PreTokenizerPipeline(steps);
    }

    private void CollectPreTokenizer(JsonElement p, string path, List<IPreTokenizerStep> steps)
    {
        if (p.ValueKind != JsonValueKind.Object)
            throw Error(path, $"is a JSON {Kind(p)}, expected an object with \"type\".");
        string type = OptionalString(p, "type", path + ".type") ?? throw Error(path + ".type", "missing.");
        switch (type)
        {
            case "ByteLevel":
                steps.Add(new ByteLevelPreTokenizerStep(
                    OptionalBool(p, "add_prefix_space", path + ".add_prefix_space", true),
                    OptionalBool(p, "use_regex", path + ".use_regex", true)));
                break;
            case "Split":
                steps.Add(ReadSplit(p, path));
                break;
            case "Digits":
                steps.Add(new DigitsPreTokenizerStep(OptionalBool(p, "individual_digits", path + ".individual_digits", false)));
                break;
            case "Sequence":
                if (!p.TryGetProperty("pretokenizers", out var list) || list.ValueKind != JsonValueKind.Array)
                    throw Error(path + ".pretokenizers", "missing or not an array.");
                int i = 0;
                foreach (var child in list.EnumerateArray())
                    CollectPreTokenizer(child, $"{path}.pretokenizers[{i++}]", steps);
                break;
            default:
                throw Error(path + ".type", $"pre-tokenizer \"{type}\" is not supported; supported: \"ByteLevel\", \"Split\", \"Digits\" and a \"Sequence\" of them (what GPT-2, GPT-NeoX and Llama-3-style files use).");
        }
    }

    private SplitPreTokenizerStep ReadSplit(JsonElement p, string path)
    {
        if (!p.TryGetProperty("pattern", out var pattern) || pattern.ValueKind != JsonValueKind.Object)
            throw Error(path + ".pattern", "missing; expected {\"Regex\": \"...\"} or {\"String\": \"...\"}.");
        string behaviorName = OptionalString(p, "behavior", path + ".behavior") ?? throw Error(path + ".behavior", "missing.");
        if (!Enum.TryParse(behaviorName, ignoreCase: false, out SplitBehavior behavior) || !Enum.IsDefined(behavior))
            throw Error(path + ".behavior", $"\"{behaviorName}\" is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous.");
        bool invert = OptionalBool(p, "invert", path + ".invert", false);

        string? regexText = OptionalString(pattern, "Regex", path + ".pattern.Regex");
        string? literal = OptionalString(pattern, "String", path + ".pattern.String");
        if (regexText is null && literal is null)
            throw Error(path + ".pattern", "expected {\"Regex\": \"...\"} or {\"String\": \"...\"}.");
        if (regexText == Gpt2PreTokenizerScanner.Pattern && behavior == SplitBehavior.Isolated && !invert)
            return new SplitPreTokenizerStep(null, gpt2Pattern: true, behavior, invert);
        string dotnetPattern = regexText ?? Regex.Escape(literal!);
        Regex regex;
        try
        {
            regex = new Regex(dotnetPattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException e)
        {
            throw Error(path + ".pattern.Regex", $"the pattern does not compile on .NET's regex engine ({e.Message}); Oniguruma-only syntax such as possessive quantifiers is not supported.");
        }
        return new SplitPreTokenizerStep(regex, gpt2Pattern: false, behavior, invert);
    }

    private void ReadDecoder(JsonElement root)
    {
        if (!root.TryGetProperty("decoder", out var d) || d.ValueKind == JsonValueKind.Null)
            throw Error("$.decoder", "missing; a byte-level BPE tokenizer needs {\"type\": \"ByteLevel\"} to turn tokens back into text.");
        string? type = d.ValueKind == JsonValueKind.Object ? OptionalString(d, "type", "$.decoder.type") : null;
        if (type != "ByteLevel")
            throw Error("$.decoder.type", $"{(type is null ? "missing" : $"\"{type}\"")}: only the \"ByteLevel\" decoder is supported.");
    }

    private void ReadPostProcessor(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var p) || p.ValueKind == JsonValueKind.Null)
            return;
        string? type = p.ValueKind == JsonValueKind.Object ? OptionalString(p, "type", "$.post_processor.type") : null;
        if (type != "ByteLevel")
            throw Error("$.post_processor.type", $"{(type is null ? "missing" : $"\"{type}\"")}: only null or \"ByteLevel\" (which changes no ids) is supported; " +
                "Encode returns the tokens of the text and adds no special tokens, so add BOS/EOS ids yourself.");
    }

    private void RequireNullOrAbsent(JsonElement obj, string name, string path, string why)
    {
        if (obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
            throw Error(path, $"is set, which is not supported: {why}");
    }

    private string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        if (v.ValueKind != JsonValueKind.String)
            throw Error(path, $"is a JSON {Kind(v)}, expected a string.");
        return v.GetString();
    }

    private bool OptionalBool(JsonElement obj, string name, string path, bool defaultValue)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return defaultValue;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, $"is a JSON {Kind(v)}, expected true or false."),
        };
    }

    private TokenizerFormatException Error(string path, string problem) => new(_source, path, problem);

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static string Quote(string s) => "\"" + s + "\"";

    private static string PropertyPath(string name) => "[" + Quote(name) + "]";
}
