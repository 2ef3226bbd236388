using System.Reflection;
using System.Runtime.InteropServices;

namespace Quamba.Kernels.Cuda;

/// <summary>
/// The libcuda entry points the runtime uses (the <c>_v2</c> exports where they exist) and how the library
/// is found: <c>libcuda.so.1</c> first (driver-only machines often lack the <c>libcuda.so</c> development
/// link), then <c>libcuda.so</c>, then <c>nvcuda.dll</c>. Nothing here is called before
/// <see cref="CudaDriver"/> has confirmed that the library loads.
/// </summary>
internal static unsafe partial class CudaNative
{
    private const string Library = "cuda";
    internal static readonly string[] Candidates = ["libcuda.so.1", "libcuda.so", "nvcuda.dll"];

    private static readonly object s_gate = new();
    private static bool s_tried;
    private static IntPtr s_handle;

    static CudaNative() =>
        NativeLibrary.SetDllImportResolver(typeof(CudaNative).Assembly, Resolve);

    /// <summary>The loaded driver library, or zero when none of the candidates loads (never throws).</summary>
    public static IntPtr Handle
    {
        get
        {
            lock (s_gate)
            {
                if (!s_tried)
                {
                    s_tried = true;
                    foreach (string name in Candidates)
                        if (NativeLibrary.TryLoad(name, out s_handle)) break;
                }
                return s_handle;
            }
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? Handle : IntPtr.Zero;

    // Initialisation, driver and devices.
    [LibraryImport(Library)] public static partial int cuInit(uint flags);
    [LibraryImport(Library)] public static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Library)] public static partial int cuGetErrorName(int error, out byte* name);
    [LibraryImport(Library)] public static partial int cuGetErrorString(int error, out byte* text);
    [LibraryImport(Library)] public static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Library)] public static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Library)] public static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Library)] public static partial int cuDeviceGetAttribute(out int value, DeviceAttribute attribute, int device);
    [LibraryImport(Library)] public static partial int cuDeviceTotalMem_v2(out nuint bytes, int device);

    // Primary context.
    [LibraryImport(Library)] public static partial int cuDevicePrimaryCtxRetain(out IntPtr context, int device);
    [LibraryImport(Library)] public static partial int cuDevicePrimaryCtxRelease_v2(int device);
    [LibraryImport(Library)] public static partial int cuCtxSetCurrent(IntPtr context);
    [LibraryImport(Library)] public static partial int cuCtxSynchronize();
    [LibraryImport(Library)] public static partial int cuMemGetInfo_v2(out nuint free, out nuint total);

    // Memory.
    [LibraryImport(Library)] public static partial int cuMemAlloc_v2(out ulong pointer, nuint bytes);
    [LibraryImport(Library)] public static partial int cuMemFree_v2(ulong pointer);
    [LibraryImport(Library)] public static partial int cuMemHostAlloc(out void* pointer, nuint bytes, uint flags);
    [LibraryImport(Library)] public static partial int cuMemFreeHost(void* pointer);
    [LibraryImport(Library)] public static partial int cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);
    [LibraryImport(Library)] public static partial int cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);
    [LibraryImport(Library)] public static partial int cuMemcpyDtoD_v2(ulong destination, ulong source, nuint bytes);
    [LibraryImport(Library)] public static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, IntPtr stream);
    [LibraryImport(Library)] public static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, IntPtr stream);
    [LibraryImport(Library)] public static partial int cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, IntPtr stream);
    [LibraryImport(Library)] public static partial int cuMemsetD8_v2(ulong destination, byte value, nuint count);
    [LibraryImport(Library)] public static partial int cuMemsetD32_v2(ulong destination, uint value, nuint count);
    [LibraryImport(Library)] public static partial int cuMemsetD8Async(ulong destination, byte value, nuint count, IntPtr stream);
    [LibraryImport(Library)] public static partial int cuMemsetD32Async(ulong destination, uint value, nuint count, IntPtr stream);

    // Streams and events.
    [LibraryImport(Library)] public static partial int cuStreamCreate(out IntPtr stream, uint flags);
    [LibraryImport(Library)] public static partial int cuStreamDestroy_v2(IntPtr stream);
    [LibraryImport(Library)] public static partial int cuStreamSynchronize(IntPtr stream);
    [LibraryImport(Library)] public static partial int cuStreamQuery(IntPtr stream);
    [LibraryImport(Library)] public static partial int cuEventCreate(out IntPtr @event, uint flags);
    [LibraryImport(Library)] public static partial int cuEventDestroy_v2(IntPtr @event);
    [LibraryImport(Library)] public static partial int cuEventRecord(IntPtr @event, IntPtr stream);
    [LibraryImport(Library)] public static partial int cuEventSynchronize(IntPtr @event);
    [LibraryImport(Library)] public static partial int cuEventQuery(IntPtr @event);
    [LibraryImport(Library)] public static partial int cuEventElapsedTime(out float milliseconds, IntPtr start, IntPtr end);

    private static delegate* unmanaged<float*, IntPtr, IntPtr, int> s_elapsedV2;
    private static bool s_elapsedResolved;

    /// <summary>cuEventElapsedTime_v2 (CUDA 12.8+, the default in CUDA 13) where the driver has it, else the original.</summary>
    public static int EventElapsedTime(out float milliseconds, IntPtr start, IntPtr end)
    {
        if (!s_elapsedResolved)
        {
            if (NativeLibrary.TryGetExport(Handle, "cuEventElapsedTime_v2", out IntPtr v2))
                s_elapsedV2 = (delegate* unmanaged<float*, IntPtr, IntPtr, int>)v2;
            s_elapsedResolved = true;
        }
        if (s_elapsedV2 == null) return cuEventElapsedTime(out milliseconds, start, end);
        float value;
        int result = s_elapsedV2(&value, start, end);
        milliseconds = value;
        return result;
    }

    // Modules, functions, launch.
    [LibraryImport(Library)] public static partial int cuModuleLoadDataEx(out IntPtr module, void* image, uint optionCount, JitOption* options, void** values);
    [LibraryImport(Library)] public static partial int cuModuleUnload(IntPtr module);
    [LibraryImport(Library)] public static partial int cuModuleGetFunction(out IntPtr function, IntPtr module, byte* name);
    [LibraryImport(Library)] public static partial int cuFuncGetAttribute(out int value, FunctionAttribute attribute, IntPtr function);
    [LibraryImport(Library)] public static partial int cuFuncSetAttribute(IntPtr function, FunctionAttribute attribute, int value);
    [LibraryImport(Library)]
    public static partial int cuLaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, IntPtr stream, void** parameters, void** extra);

    // Graphs (cuGraphInstantiate is cuGraphInstantiateWithFlags since CUDA 12).
    [LibraryImport(Library)] public static partial int cuStreamBeginCapture_v2(IntPtr stream, StreamCaptureMode mode);
    [LibraryImport(Library)] public static partial int cuStreamEndCapture(IntPtr stream, out IntPtr graph);
    [LibraryImport(Library)] public static partial int cuStreamIsCapturing(IntPtr stream, out int status);
    [LibraryImport(Library)] public static partial int cuGraphInstantiateWithFlags(out IntPtr exec, IntPtr graph, ulong flags);
    [LibraryImport(Library)] public static partial int cuGraphLaunch(IntPtr exec, IntPtr stream);
    [LibraryImport(Library)] public static partial int cuGraphExecDestroy(IntPtr exec);
    [LibraryImport(Library)] public static partial int cuGraphDestroy(IntPtr graph);

    public const int Success = 0;
    public const int ErrorNotReady = 600;
}

internal enum DeviceAttribute
{
    MaxThreadsPerBlock = 1,
    MaxSharedMemoryPerBlock = 8,
    WarpSize = 10,
    MaxRegistersPerBlock = 12,
    ClockRate = 13,
    MultiprocessorCount = 16,
    PciBusId = 33,
    MemoryClockRate = 36,
    GlobalMemoryBusWidth = 37,
    L2CacheSize = 38,
    MaxThreadsPerMultiprocessor = 39,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
    MaxSharedMemoryPerMultiprocessor = 81,
    MaxSharedMemoryPerBlockOptin = 97,
}

internal enum FunctionAttribute
{
    MaxThreadsPerBlock = 0,
    SharedSizeBytes = 1,
    ConstSizeBytes = 2,
    LocalSizeBytes = 3,
    NumRegs = 4,
    PtxVersion = 5,
    BinaryVersion = 6,
    MaxDynamicSharedSizeBytes = 8,
}

internal enum JitOption
{
    WallTime = 2,
    InfoLogBuffer = 3,
    InfoLogBufferSizeBytes = 4,
    ErrorLogBuffer = 5,
    ErrorLogBufferSizeBytes = 6,
    LogVerbose = 12,
}

/// <summary>How a stream capture treats unsafe CUDA calls made meanwhile (CUstreamCaptureMode).</summary>
public enum StreamCaptureMode
{
    /// <summary>Unsafe calls from any thread invalidate the capture.</summary>
    Global = 0,
    /// <summary>Only unsafe calls from the capturing thread count (the usual choice).</summary>
    ThreadLocal = 1,
    /// <summary>No call is checked.</summary>
    Relaxed = 2,
}
