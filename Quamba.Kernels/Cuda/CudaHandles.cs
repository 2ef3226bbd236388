using System.Runtime.InteropServices;

namespace Quamba.Kernels.Cuda;

/// <summary>A retained primary context; released (cuDevicePrimaryCtxRelease) once it and every child handle are gone.</summary>
internal sealed class CudaContextHandle : SafeHandle
{
    public CudaContextHandle(IntPtr context, int device) : base(IntPtr.Zero, ownsHandle: true)
    {
        Device = device;
        SetHandle(context);
    }

    public int Device { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Makes this context current on the calling thread (cheap when it already is).</summary>
    public void MakeCurrent() => CurrentContext.Set(handle);

    protected override bool ReleaseHandle()
    {
        CurrentContext.Invalidate();
        CudaNative.cuDevicePrimaryCtxRelease_v2(Device);
        return true;
    }
}

/// <summary>
/// The context is a per-OS-thread setting in the driver API, so every call that needs one sets it first; a
/// thread-local cache makes that free when nothing changed.
/// </summary>
internal static class CurrentContext
{
    [ThreadStatic] private static IntPtr t_context;
    [ThreadStatic] private static int t_generation;
    private static int s_generation = 1;

    public static void Set(IntPtr context)
    {
        int generation = Volatile.Read(ref s_generation);
        if (t_context == context && t_generation == generation) return;
        CudaCheck.Ok(CudaNative.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        t_context = context;
        t_generation = generation;
    }

    /// <summary>A context was released: every thread sets its context again on next use.</summary>
    public static void Invalidate() => Interlocked.Increment(ref s_generation);
}

/// <summary>
/// A driver object that belongs to a context. It keeps the context alive (SafeHandle reference count) so it
/// can always be freed, from Dispose or from the finalizer thread, with its context current.
/// </summary>
internal abstract class CudaChildHandle : SafeHandle
{
    private readonly CudaContextHandle _context;

    protected CudaChildHandle(CudaContextHandle context, IntPtr value) : base(IntPtr.Zero, ownsHandle: true)
    {
        bool added = false;
        context.DangerousAddRef(ref added);
        _context = context;
        SetHandle(value);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public CudaContextHandle Context => _context;

    protected sealed override bool ReleaseHandle()
    {
        try
        {
            _context.MakeCurrent();
            Free(handle);
        }
        catch (CudaException)
        {
            // The driver is shutting down or the context is broken; the memory goes with it.
        }
        finally
        {
            _context.DangerousRelease();
        }
        return true;
    }

    protected abstract void Free(IntPtr value);
}

internal sealed class DeviceMemoryHandle(CudaContextHandle context, ulong pointer) : CudaChildHandle(context, (IntPtr)pointer)
{
    public ulong Pointer => (ulong)DangerousGetHandle();
    protected override void Free(IntPtr value) => CudaNative.cuMemFree_v2((ulong)value);
}

internal sealed unsafe class HostMemoryHandle(CudaContextHandle context, IntPtr pointer) : CudaChildHandle(context, pointer)
{
    protected override void Free(IntPtr value) => CudaNative.cuMemFreeHost((void*)value);
}

internal sealed class StreamHandle(CudaContextHandle context, IntPtr stream) : CudaChildHandle(context, stream)
{
    protected override void Free(IntPtr value) => CudaNative.cuStreamDestroy_v2(value);
}

internal sealed class EventHandle(CudaContextHandle context, IntPtr @event) : CudaChildHandle(context, @event)
{
    protected override void Free(IntPtr value) => CudaNative.cuEventDestroy_v2(value);
}

internal sealed class ModuleHandle(CudaContextHandle context, IntPtr module) : CudaChildHandle(context, module)
{
    protected override void Free(IntPtr value) => CudaNative.cuModuleUnload(value);
}

internal sealed class GraphHandle(CudaContextHandle context, IntPtr graph) : CudaChildHandle(context, graph)
{
    protected override void Free(IntPtr value) => CudaNative.cuGraphDestroy(value);
}

internal sealed class GraphExecHandle(CudaContextHandle context, IntPtr exec) : CudaChildHandle(context, exec)
{
    protected override void Free(IntPtr value) => CudaNative.cuGraphExecDestroy(value);
}
