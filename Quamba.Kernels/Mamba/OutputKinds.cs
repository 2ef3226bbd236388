namespace Quamba.Kernels.Mamba;

/// <summary>
/// What a kernel that serves both precisions writes (the Hadamard and residual-norm kernels): a static constant, so
/// each kernel's PTX holds only the path it uses (the generator drops the other branch).
/// </summary>
public interface IOutputKind
{
    /// <summary>True for int8 codes, false for floats.</summary>
    static abstract bool Quantizes { get; }
}

/// <summary>int8 codes with one scale (the A8 path).</summary>
public struct CodeOutput : IOutputKind
{
    public static bool Quantizes => true;
}

/// <summary>Floats (the A16 path).</summary>
public struct FloatOutput : IOutputKind
{
    public static bool Quantizes => false;
}
