namespace Quamba.Kernels.Cuda;

/// <summary>A kernel entry of a loaded module: its compiled resource use, and launching it.</summary>
public sealed unsafe class CudaFunction
{
    private readonly IntPtr _function;
    private int _dynamicSharedLimit = -1;
    private int _maxThreadsPerBlock = -1;

    internal CudaFunction(CudaModule module, IntPtr function, string name)
    {
        Module = module;
        _function = function;
        Name = name;
    }

    public CudaModule Module { get; }

    /// <summary>The PTX entry name.</summary>
    public string Name { get; }

    /// <summary>Registers per thread after ptxas.</summary>
    public int Registers => Attribute(FunctionAttribute.NumRegs);

    /// <summary>Local memory per thread in bytes: register spills and local arrays (0 is what fast kernels want).</summary>
    public int LocalBytes => Attribute(FunctionAttribute.LocalSizeBytes);

    /// <summary>Static <c>.shared</c> bytes per block.</summary>
    public int StaticSharedBytes => Attribute(FunctionAttribute.SharedSizeBytes);

    public int ConstantBytes => Attribute(FunctionAttribute.ConstSizeBytes);

    /// <summary>The largest block this kernel can launch with (lower than 1024 when it uses many registers).</summary>
    public int MaxThreadsPerBlock => Attribute(FunctionAttribute.MaxThreadsPerBlock);

    /// <summary>The PTX ISA version the module declared (80 = 8.0).</summary>
    public int PtxVersion => Attribute(FunctionAttribute.PtxVersion);

    /// <summary>The architecture of the machine code the JIT produced (90 = sm_90).</summary>
    public int BinaryVersion => Attribute(FunctionAttribute.BinaryVersion);

    /// <summary>The dynamic shared memory a launch may ask for (48 KB minus static until raised).</summary>
    public int MaxDynamicSharedBytes => Attribute(FunctionAttribute.MaxDynamicSharedSizeBytes);

    /// <summary>
    /// Raises (or lowers) the dynamic shared memory this kernel may use, up to the device's opt-in limit minus
    /// its static shared memory. Needed above 48 KB; <see cref="Launch"/> does it on demand.
    /// </summary>
    public void SetMaxDynamicSharedMemory(int bytes)
    {
        CudaDevice device = Module.Context.Device;
        int available = device.MaxSharedMemoryPerBlockOptIn - StaticSharedBytes;
        if (bytes < 0 || bytes > available)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes,
                $"Kernel {Name} can have at most {available} bytes of dynamic shared memory on {device.Name} " +
                $"({device.MaxSharedMemoryPerBlockOptIn} per block opt-in minus {StaticSharedBytes} static).");
        Current();
        CudaCheck.Ok(CudaNative.cuFuncSetAttribute(_function, FunctionAttribute.MaxDynamicSharedSizeBytes, bytes),
            $"cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES = {bytes}) for {Name}");
        _dynamicSharedLimit = bytes;
    }

    /// <summary>Launches with a kernel-parameter array laid out as cuLaunchKernel expects.</summary>
    public void Launch(LaunchConfig config, CudaStream? stream, void** arguments)
    {
        string? problem = LaunchLimits.Check(config);
        if (problem is not null) throw new ArgumentException($"Invalid launch of {Name} {LaunchLimits.Format(config)}: {problem}", nameof(config));
        if (stream is not null && !ReferenceEquals(stream.Context, Module.Context))
            throw new ArgumentException($"The stream belongs to another context than kernel {Name}.", nameof(stream));
        if (_maxThreadsPerBlock < 0) _maxThreadsPerBlock = MaxThreadsPerBlock; // fixed once compiled
        int maxThreads = _maxThreadsPerBlock;
        if (config.Block.Volume > maxThreads)
            throw new ArgumentException(
                $"Kernel {Name} can launch at most {maxThreads} threads per block (it uses {Registers} registers per thread); " +
                $"the launch asks for {config.Block.Volume}. Use smaller blocks.", nameof(config));
        if (config.DynamicSharedBytes > 0)
        {
            if (_dynamicSharedLimit < 0) _dynamicSharedLimit = MaxDynamicSharedBytes;
            if (config.DynamicSharedBytes > _dynamicSharedLimit) SetMaxDynamicSharedMemory(config.DynamicSharedBytes);
        }

        Current();
        int result = CudaNative.cuLaunchKernel(_function,
            (uint)config.Grid.X, (uint)config.Grid.Y, (uint)config.Grid.Z,
            (uint)config.Block.X, (uint)config.Block.Y, (uint)config.Block.Z,
            (uint)config.DynamicSharedBytes, stream?.Handle ?? IntPtr.Zero, arguments, null);
        if (result != CudaNative.Success)
            throw CudaCheck.Error(result, $"cuLaunchKernel of {Name} {LaunchLimits.Format(config)}");
    }

    public override string ToString() => $"{Name} ({Registers} registers, {LocalBytes} B local, {StaticSharedBytes} B static shared)";

    private int Attribute(FunctionAttribute attribute)
    {
        Current();
        CudaCheck.Ok(CudaNative.cuFuncGetAttribute(out int value, attribute, _function), $"cuFuncGetAttribute({attribute}) for {Name}");
        return value;
    }

    private void Current()
    {
        Module.EnsureLoaded();
        Module.Context.MakeCurrent();
    }
}
