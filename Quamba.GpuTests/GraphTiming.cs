using Quamba.Kernels.Cuda;

namespace Quamba.GpuTests;

/// <summary>
/// Device time per launch without the host's launch gaps: the launches captured in a CUDA graph, the graph replayed
/// once to warm up, then <see cref="Replays"/> times between two events. The benchmarks time every kernel this way.
/// Capture needs a non-blocking stream and makes synchronous work elsewhere in the context illegal, so callers run in
/// the graph-capture collection.
/// </summary>
internal static class GraphTiming
{
    private const int Replays = 5;

    /// <summary>Milliseconds per launch of <paramref name="launch"/>, captured <paramref name="repetitions"/> times.</summary>
    public static double MillisecondsPerLaunch(CudaContext context, CudaStream stream, int repetitions, Action<CudaStream> launch)
    {
        using CudaGraph graph = stream.Capture(s =>
        {
            for (int i = 0; i < repetitions; i++) launch(s);
        });
        using CudaGraphExec exec = graph.Instantiate();
        exec.Launch(stream);
        stream.Synchronize();
        using var start = context.CreateEvent();
        using var stop = context.CreateEvent();
        start.Record(stream);
        for (int i = 0; i < Replays; i++) exec.Launch(stream);
        stop.Record(stream);
        stop.Synchronize();
        return stop.ElapsedMillisecondsSince(start) / (Replays * repetitions);
    }
}
