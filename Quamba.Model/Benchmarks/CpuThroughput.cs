using System.Diagnostics;
using System.Runtime.InteropServices;
using Quamba.Model.Models;

namespace Quamba.Model.Benchmarks;

/// <summary>
/// One throughput measurement. Seconds and tokens/s are from the fastest repetition (on a shared machine the
/// fastest run is the one least disturbed by other processes); the medians are given too.
/// </summary>
public sealed record CpuThroughputResult(
    string Model, string Processor, int Threads, int BatchSize, int PromptLength, int DecodeTokens,
    double PrefillSeconds, double PrefillTokensPerSecond, double DecodeSeconds, double DecodeTokensPerSecond,
    double MedianPrefillTokensPerSecond, double MedianDecodeTokensPerSecond, string LoadAverage)
{
    /// <summary>A Markdown table row matching <see cref="MarkdownHeader"/>.</summary>
    public string ToMarkdownRow() =>
        $"| {Model} | {Threads} | {BatchSize} | {PromptLength} | {PrefillTokensPerSecond:F0} ({MedianPrefillTokensPerSecond:F0}) | " +
        $"{DecodeTokensPerSecond:F1} ({MedianDecodeTokensPerSecond:F1}) | {1000 * DecodeSeconds / DecodeTokens:F2} | {LoadAverage} |";

    public const string MarkdownHeader =
        "| model | threads | batch | prompt | prefill tok/s best (median) | decode tok/s best (median) | decode ms/step best | load avg |\n|---|---|---|---|---|---|---|---|";
}

/// <summary>
/// Measures CPU prefill and decode throughput of a float model: a prompt of random tokens through the prefill path
/// (all sequences of the batch at once), then greedy decode steps. Reports the best and the median repetition after one warm-up
/// (JIT, scratch allocation). Prefill tokens/s counts batch x prompt tokens; decode tokens/s counts batch tokens per step.
/// </summary>
public static class CpuThroughput
{
    public static CpuThroughputResult Measure(MambaModel model, string modelName, int promptLength = 512, int decodeTokens = 64,
        int batchSize = 1, int repetitions = 5, int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(promptLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(decodeTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var random = new Random(seed);
        var prompt = new int[batchSize * promptLength];
        for (int i = 0; i < prompt.Length; i++) prompt[i] = random.Next(model.VocabSize);
        var logits = new float[batchSize * model.VocabSize];
        var next = new int[batchSize];
        var state = model.CreateState(batchSize);

        void Run(int decode, List<double>? prefillTimes, List<double>? decodeTimes)
        {
            state.Reset();
            var clock = Stopwatch.StartNew();
            model.Forward(state, prompt, promptLength, logits, allPositions: false, cancellationToken);
            prefillTimes?.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            for (int step = 0; step < decode; step++)
            {
                for (int b = 0; b < batchSize; b++) next[b] = ArgMax(logits.AsSpan(b * model.VocabSize, model.VocabSize));
                model.Forward(state, next, 1, logits, allPositions: false, cancellationToken);
            }
            decodeTimes?.Add(clock.Elapsed.TotalSeconds);
        }

        Run(Math.Min(decodeTokens, 4), null, null); // warm-up
        var prefill = new List<double>();
        var decode = new List<double>();
        for (int r = 0; r < repetitions; r++) Run(decodeTokens, prefill, decode);

        double prefillSeconds = prefill.Min(), decodeSeconds = decode.Min();
        return new CpuThroughputResult(modelName, ProcessorName(), model.MaxDegreeOfParallelism, batchSize, promptLength, decodeTokens,
            prefillSeconds, batchSize * promptLength / prefillSeconds, decodeSeconds, batchSize * decodeTokens / decodeSeconds,
            batchSize * promptLength / Median(prefill), batchSize * decodeTokens / Median(decode), LoadAverage());
    }

    /// <summary>The CPU model name (/proc/cpuinfo on Linux) and logical processor count.</summary>
    public static string ProcessorName()
    {
        string name = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null) name = line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return $"{name} ({Environment.ProcessorCount} logical processors)";
    }

    /// <summary>The 1-minute load average (Linux), which says how busy the machine was; "n/a" elsewhere.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int ArgMax(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(values);
}
