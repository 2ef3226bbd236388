using System.Runtime.InteropServices;
using Quamba.Kernels;
using Quamba.Kernels.Cuda;

[assembly: AssemblyFixture(typeof(Quamba.GpuTests.GpuFixture))]

namespace Quamba.GpuTests;

/// <summary>One primary context for the whole run; every test skips when there is no driver or device.</summary>
public sealed class GpuFixture : IDisposable
{
    private readonly CudaContext? _context;

    public GpuFixture()
    {
        if (CudaContext.IsAvailable) _context = CudaContext.Create();
    }

    /// <summary>The context, or a skip (not a failure) on a machine without a GPU.</summary>
    public CudaContext Context
    {
        get
        {
            Assert.SkipUnless(_context is not null, "No CUDA driver or device on this machine: GPU tests skip.");
            return _context!;
        }
    }

    public void Dispose() => _context?.Dispose();
}

/// <summary>Kernel parameters for cuLaunchKernel: each value in its own 8-byte native slot, plus the pointer array.</summary>
public sealed unsafe class KernelArgs : IDisposable
{
    private readonly ulong* _slots;
    private readonly void** _pointers;

    public KernelArgs(params object[] values)
    {
        _slots = (ulong*)NativeMemory.AllocZeroed((nuint)Math.Max(1, values.Length), 8);
        _pointers = (void**)NativeMemory.AllocZeroed((nuint)Math.Max(1, values.Length), (nuint)sizeof(void*));
        for (int i = 0; i < values.Length; i++)
        {
            ulong* slot = _slots + i;
            switch (values[i])
            {
                case ulong u: *slot = u; break;
                case int v: *(int*)slot = v; break;
                case uint v: *(uint*)slot = v; break;
                case float v: *(float*)slot = v; break;
                default: throw new ArgumentException($"Unsupported kernel argument type {values[i].GetType().Name}.");
            }
            _pointers[i] = slot;
        }
    }

    public void** Pointers => _pointers;

    public void Dispose()
    {
        NativeMemory.Free(_slots);
        NativeMemory.Free(_pointers);
    }
}

internal static class LaunchExtensions
{
    public static unsafe void Launch(this CudaFunction function, LaunchConfig config, CudaStream? stream, params object[] args)
    {
        using var packed = new KernelArgs(args);
        function.Launch(config, stream, packed.Pointers);
    }
}
