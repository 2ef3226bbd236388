using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Quamba.Model.Tokenization;

namespace Quamba.Benchmarks;

/// <summary>
/// Byte-level BPE throughput on data/eval.txt (374 KB of English) with the models' tokenizer.json.
/// Encode: the whole file per call, with the word cache warm (steady state) and with no cache (every word
/// merged). Decode: the file's ids back to text.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }

    private static readonly string s_text = File.ReadAllText(Path.Combine(RepoPaths.Root, "data", "eval.txt"));

    static TokenizerBenchmarks()
    {
        ThroughputColumn.Sizes = key => key switch
        {
            "eval" => System.Text.Encoding.UTF8.GetByteCount(s_text),
            _ => throw new ArgumentException(key),
        };
    }

    private BpeTokenizer _cached = null!;
    private BpeTokenizer _uncached = null!;
    private int[] _ids = [];

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(RepoPaths.Root, "models", "mamba2-tiny", "tokenizer.json");
        _cached = BpeTokenizer.FromFile(path);
        _uncached = BpeTokenizer.FromFile(path, wordCacheCapacity: 0);
        _ids = _cached.Encode(s_text);
        if (_cached.Decode(_ids) != s_text)
            throw new InvalidOperationException("round trip failed");
    }

    [Benchmark(Description = "Encode eval.txt (word cache warm)")]
    [BytesPerOperation("eval")]
    public int EncodeCached() => _cached.Encode(s_text).Length;

    [Benchmark(Description = "Encode eval.txt (no word cache)")]
    [BytesPerOperation("eval")]
    public int EncodeUncached() => _uncached.Encode(s_text).Length;

    [Benchmark(Description = "Decode eval.txt ids")]
    [BytesPerOperation("eval")]
    public int Decode() => _cached.Decode(_ids).Length;

    [Benchmark(Description = "Stream-decode eval.txt ids")]
    [BytesPerOperation("eval")]
    public int StreamDecode()
    {
        var decoder = _cached.CreateStreamDecoder();
        int chars = 0;
        foreach (int id in _ids)
            chars += decoder.Append(id).Length;
        return chars + decoder.Flush().Length;
    }
}
