using System.Runtime.InteropServices;

namespace Quamba.Kernels.Emulation;

/// <summary>Owns an aligned block from <see cref="NativeMemory"/>, freed exactly once (dispose or finalizer).</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    public NativeMemoryHandle(nuint bytes, nuint alignment) : base(IntPtr.Zero, ownsHandle: true)
    {
        void* pointer = NativeMemory.AlignedAlloc(bytes == 0 ? 1 : bytes, alignment);
        NativeMemory.Clear(pointer, bytes);
        SetHandle((IntPtr)pointer);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        return true;
    }
}
