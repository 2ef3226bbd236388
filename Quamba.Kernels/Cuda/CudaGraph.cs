namespace Quamba.Kernels.Cuda;

/// <summary>
/// Work recorded from a stream capture. Instantiate it once and replay the executable graph many times:
/// one launch call for a whole decode step.
/// </summary>
public sealed class CudaGraph : IDisposable
{
    private readonly GraphHandle _graph;

    internal CudaGraph(CudaContext context, IntPtr graph)
    {
        Context = context;
        _graph = new GraphHandle(context.Handle, graph);
    }

    public CudaContext Context { get; }

    /// <summary>Compiles the graph for launching (cuGraphInstantiateWithFlags, the CUDA 12+ cuGraphInstantiate).</summary>
    public CudaGraphExec Instantiate()
    {
        ObjectDisposedException.ThrowIf(_graph.IsClosed, this);
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuGraphInstantiateWithFlags(out IntPtr exec, _graph.DangerousGetHandle(), 0), "cuGraphInstantiate");
        return new CudaGraphExec(Context, exec);
    }

    public void Dispose() => _graph.Dispose();
}

/// <summary>An instantiated graph, launched as a unit on a stream.</summary>
public sealed class CudaGraphExec : IDisposable
{
    private readonly GraphExecHandle _exec;

    internal CudaGraphExec(CudaContext context, IntPtr exec)
    {
        Context = context;
        _exec = new GraphExecHandle(context.Handle, exec);
    }

    public CudaContext Context { get; }

    /// <summary>Queues one replay of the graph on <paramref name="stream"/> (default stream when null).</summary>
    public void Launch(CudaStream? stream = null)
    {
        ObjectDisposedException.ThrowIf(_exec.IsClosed, this);
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuGraphLaunch(_exec.DangerousGetHandle(), stream?.Handle ?? IntPtr.Zero), "cuGraphLaunch");
    }

    public void Dispose() => _exec.Dispose();
}
