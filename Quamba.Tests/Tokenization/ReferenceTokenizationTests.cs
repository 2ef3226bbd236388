using System.Text.Json;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Tokenization;

/// <summary>models/tokenizer_reference.json and the prompts of reference.safetensors, reproduced exactly.</summary>
public class ReferenceTokenizationTests
{
    private sealed record Entry(string text, int[] ids);

    public static TheoryData<int> ReferenceIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < LoadReference().Length; i++)
            data.Add(i);
        return data;
    }

    private static Entry[] LoadReference() =>
        JsonSerializer.Deserialize<Entry[]>(File.ReadAllText(Path.Combine(TokenizerTestData.RepoRoot, "models", "tokenizer_reference.json")))!;

    [Theory]
    [MemberData(nameof(ReferenceIndices))]
    public void EncodesReferenceStringExactly(int index)
    {
        var entry = LoadReference()[index];
        Assert.Equal(entry.ids, TokenizerTestData.Tokenizer.Encode(entry.text));
    }

    [Theory]
    [MemberData(nameof(ReferenceIndices))]
    public void DecodesReferenceIdsBackToText(int index)
    {
        var entry = LoadReference()[index];
        Assert.Equal(entry.text, TokenizerTestData.Tokenizer.Decode(entry.ids));
        Assert.Equal(entry.text, TokenizerTestData.Tokenizer.Decode(TokenizerTestData.Tokenizer.Encode(entry.text)));
    }

    [Fact]
    public void HasTheDocumentedVocabulary()
    {
        var tok = TokenizerTestData.Tokenizer;
        Assert.Equal(4096, tok.VocabSize);
        Assert.Equal(0, tok.EndOfTextId);
        Assert.Equal("<|endoftext|>", tok.IdToToken(0));
        Assert.Equal(1, tok.TokenToId("<|padding|>"));
        Assert.Equal(222, tok.TokenToId("\u0120")); // "Ġ", the space byte
        Assert.Null(tok.IdToToken(4096));
        Assert.Null(tok.IdToToken(-1));
        Assert.Null(tok.TokenToId("no such token"));
        Assert.True(tok.IsSpecial(0));
        Assert.False(tok.IsSpecial(222));
    }

    [Theory]
    [InlineData("mamba1-tiny")]
    [InlineData("mamba2-tiny")]
    public void EncodesTheModelReferencePrompts(string model)
    {
        string dir = Path.Combine(TokenizerTestData.RepoRoot, "models", model);
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "training_info.json")));
        var tok = BpeTokenizer.FromFile(Path.Combine(dir, "tokenizer.json"));
        var tensors = SafetensorsInt32.Read(Path.Combine(dir, "reference.safetensors"));
        int k = 0;
        foreach (var prompt in info.RootElement.GetProperty("prompts").EnumerateArray())
        {
            string name = $"prompt{k}.input_ids";
            Assert.True(tensors.ContainsKey(name), $"no {name} in reference.safetensors: {string.Join(", ", tensors.Keys)}");
            Assert.Equal(tensors[name], tok.Encode(prompt.GetString()!));
            // The greedy continuation decodes to text that starts with the prompt.
            Assert.StartsWith(prompt.GetString()!, tok.Decode(tensors[$"prompt{k}.greedy_ids"]), StringComparison.Ordinal);
            k++;
        }
        Assert.Equal(2, k);
    }

    /// <summary>Reads the int32 tensors of a safetensors file (8-byte header length, JSON header, data).</summary>
    private static class SafetensorsInt32
    {
        public static Dictionary<string, int[]> Read(string path)
        {
            byte[] file = File.ReadAllBytes(path);
            long headerLength = BitConverter.ToInt64(file, 0);
            using var header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
            var result = new Dictionary<string, int[]>();
            foreach (var t in header.RootElement.EnumerateObject())
            {
                if (t.Name == "__metadata__" || t.Value.GetProperty("dtype").GetString() != "I32")
                    continue;
                var offsets = t.Value.GetProperty("data_offsets");
                int begin = 8 + (int)headerLength + offsets[0].GetInt32();
                int end = 8 + (int)headerLength + offsets[1].GetInt32();
                var values = new int[(end - begin) / 4];
                Buffer.BlockCopy(file, begin, values, 0, end - begin);
                result[t.Name] = values;
            }
            return result;
        }
    }
}
