namespace Quamba.Kernels;

/// <summary>
/// The launch limits every NVIDIA GPU since sm_70 shares, checked by the emulator and by the CUDA runtime
/// before a launch so a bad configuration fails with a message instead of a driver error code.
/// </summary>
public static class LaunchLimits
{
    public const int MaxThreadsPerBlock = 1024;
    public const int MaxBlockDimXY = 1024;
    public const int MaxBlockDimZ = 64;
    public const int MaxGridDimX = int.MaxValue;
    public const int MaxGridDimYZ = 65535;

    /// <summary>Static <c>.shared</c> arrays of one block (anything above needs dynamic shared memory).</summary>
    public const int MaxStaticSharedBytes = 48 * 1024;

    /// <summary>Dynamic plus static shared memory of one block after opt-in on sm_90 (227 KB; sm_80 allows 163 KB).</summary>
    public const int MaxSharedBytesOptIn = 227 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first limit <paramref name="config"/> breaks.</summary>
    public static void Validate(LaunchConfig config)
    {
        string? problem = Check(config);
        if (problem is not null) throw new ArgumentException($"Invalid launch {Format(config)}: {problem}", nameof(config));
    }

    /// <summary>The first broken limit, in words, or null when the configuration is valid.</summary>
    public static string? Check(LaunchConfig config)
    {
        Dim3 g = config.Grid, b = config.Block;
        if (g.X < 1 || g.Y < 1 || g.Z < 1) return $"grid dimensions must be positive, got ({g.X},{g.Y},{g.Z}).";
        if (g.Y > MaxGridDimYZ || g.Z > MaxGridDimYZ) return $"grid y and z must be at most {MaxGridDimYZ}, got ({g.X},{g.Y},{g.Z}).";
        if (b.X < 1 || b.Y < 1 || b.Z < 1) return $"block dimensions must be positive, got ({b.X},{b.Y},{b.Z}).";
        if (b.X > MaxBlockDimXY || b.Y > MaxBlockDimXY || b.Z > MaxBlockDimZ)
            return $"block ({b.X},{b.Y},{b.Z}) exceeds the per-dimension limits ({MaxBlockDimXY},{MaxBlockDimXY},{MaxBlockDimZ}).";
        if (b.Volume > MaxThreadsPerBlock)
            return $"block ({b.X},{b.Y},{b.Z}) has {b.Volume} threads; a block holds at most {MaxThreadsPerBlock}.";
        if (config.DynamicSharedBytes < 0) return $"dynamic shared memory must not be negative, got {config.DynamicSharedBytes} bytes.";
        if (config.DynamicSharedBytes > MaxSharedBytesOptIn)
            return $"{config.DynamicSharedBytes} bytes of dynamic shared memory exceed the {MaxSharedBytesOptIn} bytes (227 KB) a block can have.";
        return null;
    }

    internal static string Format(LaunchConfig c) =>
        $"(grid ({c.Grid.X},{c.Grid.Y},{c.Grid.Z}), block ({c.Block.X},{c.Block.Y},{c.Block.Z}), {c.DynamicSharedBytes} B dynamic shared)";
}
