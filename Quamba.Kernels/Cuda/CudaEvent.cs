namespace Quamba.Kernels.Cuda;

/// <summary>A CUDA event: a marker recorded on a stream, for waiting and for GPU-side timing.</summary>
public sealed class CudaEvent : IDisposable
{
    private readonly EventHandle _event;
    private readonly bool _timing;

    internal CudaEvent(CudaContext context, bool enableTiming)
    {
        Context = context;
        _timing = enableTiming;
        context.MakeCurrent();
        // CU_EVENT_DISABLE_TIMING (2) makes events cheaper when only ordering matters.
        CudaCheck.Ok(CudaNative.cuEventCreate(out IntPtr handle, enableTiming ? 0u : 2u), "cuEventCreate");
        _event = new EventHandle(context.Handle, handle);
    }

    public CudaContext Context { get; }

    private IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_event.IsClosed, this);
            return _event.DangerousGetHandle();
        }
    }

    /// <summary>Records the event after the work queued so far on <paramref name="stream"/> (default stream when null).</summary>
    public void Record(CudaStream? stream = null)
    {
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuEventRecord(Handle, stream?.Handle ?? IntPtr.Zero), "cuEventRecord");
    }

    public void Synchronize()
    {
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.cuEventSynchronize(Handle), "cuEventSynchronize");
    }

    public bool IsComplete
    {
        get
        {
            Context.MakeCurrent();
            int result = CudaNative.cuEventQuery(Handle);
            if (result == CudaNative.ErrorNotReady) return false;
            CudaCheck.Ok(result, "cuEventQuery");
            return true;
        }
    }

    /// <summary>GPU time in milliseconds from <paramref name="start"/> to this event; both must have completed (synchronize first).</summary>
    public float ElapsedMillisecondsSince(CudaEvent start)
    {
        if (!_timing || !start._timing)
            throw new InvalidOperationException("Both events must be created with enableTiming: true to measure time.");
        Context.MakeCurrent();
        CudaCheck.Ok(CudaNative.EventElapsedTime(out float ms, start.Handle, Handle), "cuEventElapsedTime");
        return ms;
    }

    public void Dispose() => _event.Dispose();
}
