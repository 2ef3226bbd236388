namespace Quamba.Kernels.Cuda;

/// <summary>
/// Page-locked (pinned) host memory from cuMemHostAlloc: the host side of asynchronous copies and of copies
/// captured into graphs. Freed on dispose (or by the finalizer).
/// </summary>
public sealed unsafe class CudaHostBuffer<T> : IDisposable where T : unmanaged
{
    private readonly HostMemoryHandle _memory;

    internal CudaHostBuffer(CudaContext context, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        context.MakeCurrent();
        nuint bytes = Math.Max((nuint)1, (nuint)length * (nuint)sizeof(T));
        // CU_MEMHOSTALLOC_PORTABLE (1): pinned for every context, not just this one.
        CudaCheck.Ok(CudaNative.cuMemHostAlloc(out void* pointer, bytes, 1), $"cuMemHostAlloc of {bytes} bytes");
        _memory = new HostMemoryHandle(context.Handle, (IntPtr)pointer);
        System.Runtime.InteropServices.NativeMemory.Clear(pointer, bytes);
    }

    public int Length { get; }

    public Span<T> Span => new(Pointer, Length);

    public T[] ToArray() => Span.ToArray();

    internal T* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return (T*)_memory.DangerousGetHandle();
        }
    }

    public void Dispose() => _memory.Dispose();
}
