namespace Quamba.Kernels.Cuda;

/// <summary>A CUDA device's identity and the limits kernels and launches care about.</summary>
public sealed unsafe record CudaDevice
{
    public required int Ordinal { get; init; }
    public required string Name { get; init; }
    public required int ComputeCapabilityMajor { get; init; }
    public required int ComputeCapabilityMinor { get; init; }
    public required int MultiprocessorCount { get; init; }
    public required long TotalMemoryBytes { get; init; }
    public required int MaxThreadsPerBlock { get; init; }
    public required int WarpSize { get; init; }
    /// <summary>Shared memory a block gets without opt-in (48 KB).</summary>
    public required int MaxSharedMemoryPerBlock { get; init; }
    /// <summary>Shared memory a block can get after raising a function's dynamic limit (227 KB on sm_90).</summary>
    public required int MaxSharedMemoryPerBlockOptIn { get; init; }
    public required int MaxSharedMemoryPerMultiprocessor { get; init; }
    public required int MaxRegistersPerBlock { get; init; }
    public required int L2CacheBytes { get; init; }
    /// <summary>Typical SM clock in kHz.</summary>
    public required int ClockRateKHz { get; init; }

    /// <summary>The compute capability as one number: 90 for sm_90.</summary>
    public int Sm => ComputeCapabilityMajor * 10 + ComputeCapabilityMinor;

    public override string ToString() =>
        $"{Name} (device {Ordinal}, sm_{Sm}, {MultiprocessorCount} SMs, {TotalMemoryBytes / (1024 * 1024)} MiB, " +
        $"{MaxSharedMemoryPerBlockOptIn / 1024} KB shared per block opt-in)";

    /// <summary>Reads device <paramref name="ordinal"/>'s properties from the driver.</summary>
    public static CudaDevice Query(int ordinal)
    {
        CudaDriver.EnsureInitialized();
        int count = CudaDriver.DeviceCount;
        if (ordinal < 0 || ordinal >= count)
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"There are {count} CUDA devices (0..{count - 1}).");
        CudaCheck.Ok(CudaNative.cuDeviceGet(out int device, ordinal), $"cuDeviceGet({ordinal})");
        byte* name = stackalloc byte[256];
        CudaCheck.Ok(CudaNative.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        CudaCheck.Ok(CudaNative.cuDeviceTotalMem_v2(out nuint memory, device), "cuDeviceTotalMem");
        int Attribute(DeviceAttribute a)
        {
            CudaCheck.Ok(CudaNative.cuDeviceGetAttribute(out int v, a, device), $"cuDeviceGetAttribute({a})");
            return v;
        }
        return new CudaDevice
        {
            Ordinal = ordinal,
            Name = new string((sbyte*)name),
            ComputeCapabilityMajor = Attribute(DeviceAttribute.ComputeCapabilityMajor),
            ComputeCapabilityMinor = Attribute(DeviceAttribute.ComputeCapabilityMinor),
            MultiprocessorCount = Attribute(DeviceAttribute.MultiprocessorCount),
            TotalMemoryBytes = (long)memory,
            MaxThreadsPerBlock = Attribute(DeviceAttribute.MaxThreadsPerBlock),
            WarpSize = Attribute(DeviceAttribute.WarpSize),
            MaxSharedMemoryPerBlock = Attribute(DeviceAttribute.MaxSharedMemoryPerBlock),
            MaxSharedMemoryPerBlockOptIn = Attribute(DeviceAttribute.MaxSharedMemoryPerBlockOptin),
            MaxSharedMemoryPerMultiprocessor = Attribute(DeviceAttribute.MaxSharedMemoryPerMultiprocessor),
            MaxRegistersPerBlock = Attribute(DeviceAttribute.MaxRegistersPerBlock),
            L2CacheBytes = Attribute(DeviceAttribute.L2CacheSize),
            ClockRateKHz = Attribute(DeviceAttribute.ClockRate),
        };
    }
}
