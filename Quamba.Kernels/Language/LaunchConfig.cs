namespace Quamba.Kernels;

/// <summary>Grid or block extent in up to three dimensions.</summary>
public readonly record struct Dim3(int X, int Y = 1, int Z = 1)
{
    public static implicit operator Dim3(int x) => new(x);

    public long Volume => (long)X * Y * Z;
}

/// <summary>How a kernel is launched: grid, block and bytes of dynamic shared memory.</summary>
public readonly record struct LaunchConfig(Dim3 Grid, Dim3 Block, int DynamicSharedBytes = 0);
