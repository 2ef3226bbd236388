namespace Quamba.Kernels.Mamba;

// The shape interfaces of the Mamba model kernels (Quamba.Kernels.Mamba), in one place.
//
// Every model kernel is written once, generic over one of these interfaces, and compiled per [Specialize]
// instance: the static abstract members are compile-time constants that the kernel generator folds into the
// PTX (and the .NET JIT into the emulator path). A shape struct has static int/bool properties only, each an
// expression-bodied constant (=> 384), nothing else, so the config-driven generator (quamba.json ->
// Quamba.Generators) can emit one per model:
//
//     public struct MyModel : IMamba2Shape { public static int ModelDim => 256; public static int InnerDim => 512; ... }
//
// Activation precision is not a type argument: it is in the kernels' span element types (sbyte for the int8
// activation path A8, Half for the A16 convs and scans, float for the A16 path's float-out variants, e.g.
// HadamardRotate vs HadamardQuantize), so a config picks a kernel by name per layer. The SSM state's storage is a
// type argument of the scan and SSD kernels (ISsmState: Fp32State, Fp16State, Int8State; SsmStates.cs), chosen by
// the config's state_precision; the kernels compute in float whatever the storage.
//
// Constraints (checked at run time by ShapeChecks.Validate, and for every instance here by the tests):
//   IMamba1Shape: StateDim in {8, 16, 32}; ConvWidth in 2..4; InnerDim % 32 == 0.
//   IMamba2Shape: InnerDim == Heads * HeadDim; Heads % StateGroups == 0; StateDim % 32 == 0 (<= 256);
//                 HeadDim % 32 == 0 (<= 128); ChunkSize in {64, 128, 256}; ConvWidth in 2..4;
//                 HeadGroups in 1..Heads/StateGroups; DimGroups in 1..HeadDim.
//   IHadamardShape: Width == BaseOrder * WalshSize, BaseOrder in {1, 12, 20, 28, 40}, WalshSize a power of two.
//   IRowShape: Width % 32 == 0.

/// <summary>A Mamba1 layer: d, E = expand * d, N, dt rank R, conv width K.</summary>
public interface IMamba1Shape
{
    /// <summary>d, the residual-stream width.</summary>
    static abstract int ModelDim { get; }

    /// <summary>E = expand * d, the mixer's inner width (channels of x, z, the conv and the scan).</summary>
    static abstract int InnerDim { get; }

    /// <summary>N, the SSM state size per channel (8, 16 or 32).</summary>
    static abstract int StateDim { get; }

    /// <summary>R, the dt rank (x_proj's first R outputs).</summary>
    static abstract int DtRank { get; }

    /// <summary>K, the causal conv1d width (2..4).</summary>
    static abstract int ConvWidth { get; }
}

/// <summary>A Mamba2 layer with Quamba2's grouped x scales: d, E = H * P, N, G state groups, conv width K, SSD chunk Q.</summary>
public interface IMamba2Shape
{
    /// <summary>d, the residual-stream width.</summary>
    static abstract int ModelDim { get; }

    /// <summary>E = H * P, the mixer's inner width.</summary>
    static abstract int InnerDim { get; }

    /// <summary>N, the state size of one state group's B and C.</summary>
    static abstract int StateDim { get; }

    /// <summary>P, channels per head.</summary>
    static abstract int HeadDim { get; }

    /// <summary>H = E / P.</summary>
    static abstract int Heads { get; }

    /// <summary>G ("ngroups"): head h reads B and C of group h / (H / G).</summary>
    static abstract int StateGroups { get; }

    /// <summary>K, the causal conv1d width (2..4).</summary>
    static abstract int ConvWidth { get; }

    /// <summary>Q, the SSD chunk length of the prefill kernel.</summary>
    static abstract int ChunkSize { get; }

    /// <summary>Quamba2 head groups per state group (4, or fewer when a state group has fewer heads).</summary>
    static abstract int HeadGroups { get; }

    /// <summary>Quamba2 dim groups per head group (4, or fewer when P is smaller).</summary>
    static abstract int DimGroups { get; }
}

/// <summary>An online Hadamard rotation of width n = BaseOrder * WalshSize (M_n = (H_m (x) W_{2^k}) / sqrt(n)).</summary>
public interface IHadamardShape
{
    /// <summary>n, the row width.</summary>
    static abstract int Width { get; }

    /// <summary>m: 1 for a power of two, else 12, 20, 28 or 40 (the order Quamba.Model picks: 28, 40, 20, 12).</summary>
    static abstract int BaseOrder { get; }

    /// <summary>2^k = Width / BaseOrder.</summary>
    static abstract int WalshSize { get; }
}

/// <summary>A row-wise kernel's width (residual add + RMSNorm: d).</summary>
public interface IRowShape
{
    static abstract int Width { get; }
}
