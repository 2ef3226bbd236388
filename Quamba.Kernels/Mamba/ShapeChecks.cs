using System.Numerics;

namespace Quamba.Kernels.Mamba;

/// <summary>Host-side checks of a shape struct against the constraints the kernels assume (see Shapes.cs).</summary>
public static class ShapeChecks
{
    public static void ValidateMamba1<TShape>() where TShape : IMamba1Shape
    {
        string name = typeof(TShape).Name;
        Require(TShape.StateDim is 8 or 16 or 32, name, $"StateDim {TShape.StateDim} must be 8, 16 or 32");
        Require(TShape.ConvWidth is >= 2 and <= 4, name, $"ConvWidth {TShape.ConvWidth} must be 2..4");
        Require(TShape.InnerDim > 0 && TShape.InnerDim % 32 == 0, name, $"InnerDim {TShape.InnerDim} must be a positive multiple of 32");
        Require(TShape.ModelDim > 0 && TShape.DtRank > 0, name, "ModelDim and DtRank must be positive");
    }

    public static void ValidateMamba2<TShape>() where TShape : IMamba2Shape
    {
        string name = typeof(TShape).Name;
        Require(TShape.InnerDim == TShape.Heads * TShape.HeadDim, name, $"InnerDim {TShape.InnerDim} must equal Heads * HeadDim = {TShape.Heads * TShape.HeadDim}");
        Require(TShape.StateGroups > 0 && TShape.Heads % TShape.StateGroups == 0, name, $"Heads {TShape.Heads} must be a multiple of StateGroups {TShape.StateGroups}");
        Require(TShape.StateDim is > 0 and <= 256 && TShape.StateDim % 32 == 0, name, $"StateDim {TShape.StateDim} must be a multiple of 32 up to 256");
        Require(TShape.HeadDim is > 0 and <= 128 && TShape.HeadDim % 32 == 0, name, $"HeadDim {TShape.HeadDim} must be a multiple of 32 up to 128");
        Require(TShape.ChunkSize is 64 or 128 or 256, name, $"ChunkSize {TShape.ChunkSize} must be 64, 128 or 256");
        Require(TShape.ConvWidth is >= 2 and <= 4, name, $"ConvWidth {TShape.ConvWidth} must be 2..4");
        Require(TShape.HeadGroups >= 1 && TShape.HeadGroups <= TShape.Heads / TShape.StateGroups, name, $"HeadGroups {TShape.HeadGroups} must be 1..{TShape.Heads / TShape.StateGroups}");
        Require(TShape.DimGroups >= 1 && TShape.DimGroups <= TShape.HeadDim, name, $"DimGroups {TShape.DimGroups} must be 1..{TShape.HeadDim}");
    }

    public static void ValidateHadamard<TShape>() where TShape : IHadamardShape
    {
        string name = typeof(TShape).Name;
        Require(TShape.BaseOrder is 1 or 12 or 20 or 28 or 40, name, $"BaseOrder {TShape.BaseOrder} must be 1, 12, 20, 28 or 40");
        Require(TShape.WalshSize > 0 && BitOperations.IsPow2(TShape.WalshSize), name, $"WalshSize {TShape.WalshSize} must be a power of two");
        Require(TShape.Width == TShape.BaseOrder * TShape.WalshSize, name, $"Width {TShape.Width} must equal BaseOrder * WalshSize");
    }

    public static void ValidateRow<TShape>() where TShape : IRowShape
    {
        Require(TShape.Width > 0 && TShape.Width % 32 == 0, typeof(TShape).Name, $"Width {TShape.Width} must be a positive multiple of 32");
    }

    private static void Require(bool condition, string shape, string message)
    {
        if (!condition) throw new ArgumentException($"Shape {shape}: {message}.");
    }
}
