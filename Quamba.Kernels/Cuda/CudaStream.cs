namespace Quamba.Kernels.Cuda;

/// <summary>
/// A CUDA stream: an ordered queue of copies and launches. <see cref="CudaContext.DefaultStream"/> is the
/// legacy default stream (not owned, never destroyed); others come from <see cref="CudaContext.CreateStream"/>.
/// </summary>
public sealed class CudaStream : IDisposable
{
    private readonly StreamHandle? _owned;

    /// <summary>The legacy default stream (handle 0).</summary>
    internal CudaStream(CudaContext context) => Context = context;

    internal CudaStream(CudaContext context, bool nonBlocking)
    {
        Context = context;
        context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuStreamCreate(out IntPtr stream, nonBlocking ? 1u : 0u), "cuStreamCreate");
        _owned = new StreamHandle(context.Handle, stream);
    }

    public CudaContext Context { get; }

    /// <summary>True for the legacy default stream.</summary>
    public bool IsDefault => _owned is null;

    internal IntPtr Handle
    {
        get
        {
            if (_owned is null) return IntPtr.Zero;
            ObjectDisposedException.ThrowIf(_owned.IsClosed, this);
            return _owned.DangerousGetHandle();
        }
    }

    /// <summary>Waits until everything queued on the stream has finished; kernel faults surface here.</summary>
    public void Synchronize()
    {
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuStreamSynchronize(Handle), "cuStreamSynchronize");
    }

    /// <summary>True when all queued work has finished (cuStreamQuery), without waiting.</summary>
    public bool IsComplete
    {
        get
        {
            Context.MakeCurrent();
            int result = CudaNative.cuStreamQuery(Handle);
            if (result == CudaNative.ErrorNotReady) return false;
            CudaCheck.Ok(result, "cuStreamQuery");
            return true;
        }
    }

    /// <summary>
    /// Starts recording this stream's work into a graph instead of running it (cuStreamBeginCapture). Only
    /// asynchronous work on this stream is allowed until <see cref="EndCapture"/>. Capture a non-blocking stream:
    /// legacy-stream work (synchronous copies, memsets) from any thread waits for a blocking stream and so
    /// invalidates its capture, and cuCtxSynchronize is refused while any stream of the context is capturing.
    /// </summary>
    public void BeginCapture(StreamCaptureMode mode = StreamCaptureMode.ThreadLocal)
    {
        if (IsDefault)
            throw new InvalidOperationException("The legacy default stream cannot be captured: capture a stream from CudaContext.CreateStream().");
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuStreamBeginCapture_v2(Handle, mode), "cuStreamBeginCapture");
    }

    /// <summary>Ends the capture and returns the recorded graph.</summary>
    public CudaGraph EndCapture()
    {
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuStreamEndCapture(Handle, out IntPtr graph), "cuStreamEndCapture");
        return new CudaGraph(Context, graph);
    }

    /// <summary>True while this stream is being captured.</summary>
    public bool IsCapturing
    {
        get
        {
            Context.MakeCurrent();
            CudaCheck.Ok(CudaNative.cuStreamIsCapturing(Handle, out int status), "cuStreamIsCapturing");
            return status == 1; // CU_STREAM_CAPTURE_STATUS_ACTIVE
        }
    }

    /// <summary>Captures what <paramref name="record"/> queues on this stream into a graph; the capture ends even if it throws.</summary>
    public CudaGraph Capture(Action<CudaStream> record, StreamCaptureMode mode = StreamCaptureMode.ThreadLocal)
    {
        ArgumentNullException.ThrowIfNull(record);
        BeginCapture(mode);
        try
        {
            record(this);
        }
        catch
        {
            Context.MakeCurrent();
            if (CudaNative.cuStreamEndCapture(Handle, out IntPtr broken) == CudaNative.Success && broken != IntPtr.Zero)
                CudaNative.cuGraphDestroy(broken);
            throw;
        }
        return EndCapture();
    }

    public void Dispose() => _owned?.Dispose();
}
