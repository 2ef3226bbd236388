namespace Quamba.Kernels.Cuda;

/// <summary>
/// The primary context of one CUDA device (the one the CUDA runtime and other libraries share; since CUDA 13
/// cuCtxCreate needs extra parameters, and a private context buys nothing here), and the modules loaded into it.
/// Thread-safe: any thread may use it; each call makes the context current on its thread.
/// </summary>
public sealed class CudaContext : IDisposable
{
    private readonly CudaContextHandle _handle;
    private readonly Dictionary<KernelDescriptor, CudaFunction> _functions = new(ReferenceEqualityComparer.Instance);
    private readonly List<CudaModule> _modules = new();
    private bool _disposed;

    private CudaContext(CudaContextHandle handle, CudaDevice device, int driverVersion)
    {
        _handle = handle;
        Device = device;
        DriverVersion = driverVersion;
        DefaultStream = new CudaStream(this);
    }

    /// <summary>True when a driver and at least one device are present. Never throws: use it to skip GPU work.</summary>
    public static bool IsAvailable => CudaDriver.IsUsable;

    /// <summary>
    /// Retains device <paramref name="device"/>'s primary context. Throws <see cref="CudaUnavailableException"/>
    /// when there is no driver or device.
    /// </summary>
    public static CudaContext Create(int device = 0)
    {
        CudaDriver.EnsureInitialized();
        int count = CudaDriver.DeviceCount;
        if (count == 0) throw new CudaUnavailableException("The NVIDIA driver reports no CUDA device: check nvidia-smi and CUDA_VISIBLE_DEVICES.");
        CudaDevice info = CudaDevice.Query(device);
        CudaCheck.Ok(CudaNative.cuDeviceGet(out int handle, device), $"cuDeviceGet({device})");
        CudaCheck.Ok(CudaNative.cuDevicePrimaryCtxRetain(out IntPtr context, handle), $"cuDevicePrimaryCtxRetain(device {device})");
        var owned = new CudaContextHandle(context, handle);
        owned.MakeCurrent();
        return new CudaContext(owned, info, CudaDriver.Version);
    }

    public CudaDevice Device { get; }

    /// <summary>The driver's CUDA version (13000 = CUDA 13.0).</summary>
    public int DriverVersion { get; }

    /// <summary>The stream used when a launcher is given none: the legacy default stream, ordered with synchronous copies.</summary>
    public CudaStream DefaultStream { get; }

    internal CudaContextHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    internal void MakeCurrent() => Handle.MakeCurrent();

    /// <summary>
    /// Loads (once per context) the kernel's module and returns its function, after checking that this device
    /// and driver meet the kernel's sm and PTX ISA version.
    /// </summary>
    public CudaFunction GetFunction(KernelDescriptor kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        lock (_functions)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_functions.TryGetValue(kernel, out CudaFunction? cached)) return cached;
            string? problem = PtxCompatibility.Check(kernel, Device.Sm, Device.Name, DriverVersion);
            if (problem is not null) throw new CudaException(problem);
            CudaModule module = LoadModuleCore(kernel.Ptx, kernel.Name);
            CudaFunction function = module.GetFunction(kernel.EntryPoint);
            _functions.Add(kernel, function);
            return function;
        }
    }

    /// <summary>
    /// JIT-compiles a PTX module (UTF-8; a trailing NUL is added when missing). The context owns it and unloads
    /// it on dispose. A rejected module throws <see cref="CudaException"/> carrying ptxas's log.
    /// </summary>
    public CudaModule LoadModule(ReadOnlySpan<byte> ptx, string name = "module")
    {
        lock (_functions)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return LoadModuleCore(ptx, name);
        }
    }

    /// <summary>Loads a PTX module given as text.</summary>
    public CudaModule LoadModule(string ptx, string name = "module") => LoadModule(System.Text.Encoding.UTF8.GetBytes(ptx), name);

    private CudaModule LoadModuleCore(ReadOnlySpan<byte> ptx, string name)
    {
        CudaModule module = CudaModule.Load(this, ptx, name);
        _modules.Add(module);
        return module;
    }

    public CudaBuffer<T> Allocate<T>(int length) where T : unmanaged => new(this, length);

    /// <summary>Page-locked host memory, the source or destination of asynchronous copies.</summary>
    public CudaHostBuffer<T> AllocateHost<T>(int length) where T : unmanaged => new(this, length);

    /// <summary>A new stream; a blocking one (the default) also waits for and is waited on by the legacy default stream.</summary>
    public CudaStream CreateStream(bool nonBlocking = false) => new(this, nonBlocking);

    public CudaEvent CreateEvent(bool enableTiming = true) => new(this, enableTiming);

    /// <summary>Free and total device memory in bytes.</summary>
    public (long Free, long Total) GetMemoryInfo()
    {
        MakeCurrent();
        CudaCheck.Ok(CudaNative.cuMemGetInfo_v2(out nuint free, out nuint total), "cuMemGetInfo");
        return ((long)free, (long)total);
    }

    /// <summary>Waits for all work on the device (cuCtxSynchronize); kernel faults surface here.</summary>
    public void Synchronize()
    {
        MakeCurrent();
        CudaCheck.Ok(CudaNative.cuCtxSynchronize(), "cuCtxSynchronize (waiting for the device's work)");
    }

    /// <summary>Unloads the modules and releases the context once no buffer, stream or event uses it any more.</summary>
    public void Dispose()
    {
        lock (_functions)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (CudaModule module in _modules) module.Dispose();
            _modules.Clear();
            _functions.Clear();
        }
        _handle.Dispose();
    }

    public override string ToString() => $"CUDA context on {Device} (driver CUDA {CudaDriver.FormatVersion(DriverVersion)})";
}
