namespace Quamba.Kernels.Mamba;

// The shape instances compiled into this library: the two tiny test models and the published shapes used for
// benchmarks. A config-driven build adds its own structs (see Shapes.cs).

/// <summary>mamba1-tiny: d 192, E 384 (= 12 x 32), N 16, dt rank 12, K 4.</summary>
public struct Mamba1Tiny : IMamba1Shape
{
    public static int ModelDim => 192;
    public static int InnerDim => 384;
    public static int StateDim => 16;
    public static int DtRank => 12;
    public static int ConvWidth => 4;
}

/// <summary>mamba-2.8b: d 2560, E 5120 (= 40 x 128), N 16, dt rank 160, K 4.</summary>
public struct Mamba1_2p8B : IMamba1Shape
{
    public static int ModelDim => 2560;
    public static int InnerDim => 5120;
    public static int StateDim => 16;
    public static int DtRank => 160;
    public static int ConvWidth => 4;
}

/// <summary>mamba2-tiny: d 256, E 512, N 32, P 32, H 16, G 2, K 4, chunk 64; 4 x 4 x-scale groups per state group.</summary>
public struct Mamba2Tiny : IMamba2Shape
{
    public static int ModelDim => 256;
    public static int InnerDim => 512;
    public static int StateDim => 32;
    public static int HeadDim => 32;
    public static int Heads => 16;
    public static int StateGroups => 2;
    public static int ConvWidth => 4;
    public static int ChunkSize => 64;
    public static int HeadGroups => 4;
    public static int DimGroups => 4;
}

/// <summary>mamba2-2.7b: d 2560, E 5120, N 128, P 64, H 80, G 1, K 4, chunk 256; 4 x 4 x-scale groups.</summary>
public struct Mamba2_2p7B : IMamba2Shape
{
    public static int ModelDim => 2560;
    public static int InnerDim => 5120;
    public static int StateDim => 128;
    public static int HeadDim => 64;
    public static int Heads => 80;
    public static int StateGroups => 1;
    public static int ConvWidth => 4;
    public static int ChunkSize => 256;
    public static int HeadGroups => 4;
    public static int DimGroups => 4;
}

/// <summary>
/// A test shape for the emulator: mamba2-2.7b's chunk (256, so a chunk has several 64-row tiles) on a narrow layer
/// (H 2, P 32, N 32, G 1), which the CI can afford to run over more than one chunk.
/// </summary>
public struct Mamba2TestQ256 : IMamba2Shape
{
    public static int ModelDim => 32;
    public static int InnerDim => 64;
    public static int StateDim => 32;
    public static int HeadDim => 32;
    public static int Heads => 2;
    public static int StateGroups => 1;
    public static int ConvWidth => 4;
    public static int ChunkSize => 256;
    public static int HeadGroups => 2;
    public static int DimGroups => 4;
}

/// <summary>Hadamard of mamba1-tiny's E: 384 = 12 x 32.</summary>
public struct Hadamard384 : IHadamardShape
{
    public static int Width => 384;
    public static int BaseOrder => 12;
    public static int WalshSize => 32;
}

/// <summary>Hadamard of mamba2-tiny's E: 512 = 2^9.</summary>
public struct Hadamard512 : IHadamardShape
{
    public static int Width => 512;
    public static int BaseOrder => 1;
    public static int WalshSize => 512;
}

/// <summary>The order-20 base alone (20 = 20 x 1: the only width where 20 is chosen over 40).</summary>
public struct Hadamard20 : IHadamardShape
{
    public static int Width => 20;
    public static int BaseOrder => 20;
    public static int WalshSize => 1;
}

/// <summary>448 = 28 x 16.</summary>
public struct Hadamard448 : IHadamardShape
{
    public static int Width => 448;
    public static int BaseOrder => 28;
    public static int WalshSize => 16;
}

/// <summary>640 = 40 x 16.</summary>
public struct Hadamard640 : IHadamardShape
{
    public static int Width => 640;
    public static int BaseOrder => 40;
    public static int WalshSize => 16;
}

/// <summary>E of mamba-130m: 1536 = 12 x 128.</summary>
public struct Hadamard1536 : IHadamardShape
{
    public static int Width => 1536;
    public static int BaseOrder => 12;
    public static int WalshSize => 128;
}

/// <summary>E of mamba-1.4b and mamba2-1.3b: 4096 = 2^12.</summary>
public struct Hadamard4096 : IHadamardShape
{
    public static int Width => 4096;
    public static int BaseOrder => 1;
    public static int WalshSize => 4096;
}

/// <summary>E of mamba2-8b: 8192 = 2^13 (the Hadamard kernels' later stages take two register passes).</summary>
public struct Hadamard8192 : IHadamardShape
{
    public static int Width => 8192;
    public static int BaseOrder => 1;
    public static int WalshSize => 8192;
}

/// <summary>E of mamba-2.8b and mamba2-2.7b: 5120 = 40 x 128.</summary>
public struct Hadamard5120 : IHadamardShape
{
    public static int Width => 5120;
    public static int BaseOrder => 40;
    public static int WalshSize => 128;
}

/// <summary>d of mamba1-tiny.</summary>
public struct Row192 : IRowShape
{
    public static int Width => 192;
}

/// <summary>d of mamba2-tiny.</summary>
public struct Row256 : IRowShape
{
    public static int Width => 256;
}

/// <summary>d of mamba-2.8b and mamba2-2.7b.</summary>
public struct Row2560 : IRowShape
{
    public static int Width => 2560;
}
