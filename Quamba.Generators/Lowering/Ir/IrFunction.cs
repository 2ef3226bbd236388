using Quamba.Generators.Common;

namespace Quamba.Generators.Lowering.Ir
{
    /// <summary>One <c>.param</c> of the entry point.</summary>
    internal sealed record IrParameter(string Name, IrType Type);

    /// <summary>A static <c>.shared</c> array (SharedMemory.Allocate) or a <c>.local</c> array (stackalloc).</summary>
    internal sealed record IrArray(string Name, int Alignment, int SizeInBytes, int Source);

    /// <summary>Where a C# statement came from: file name (no directory, for deterministic output) and line.</summary>
    internal sealed record SourceLine(string File, int Line);

    /// <summary>
    /// A lowered kernel: the complete input of the PTX back end. Free of Roslyn objects and offsets.
    /// <see cref="MaxRegisters"/> is [Kernel(MaxRegisters = N)] (PTX <c>.maxnreg</c>; 0: ptxas chooses).
    /// </summary>
    internal sealed record IrFunction(
        string EntryPoint,
        EquatableArray<IrParameter> Parameters,
        EquatableArray<IrType> Registers,
        EquatableArray<IrInstruction> Body,
        EquatableArray<IrArray> SharedArrays,
        EquatableArray<IrArray> LocalArrays,
        bool UsesDynamicShared,
        EquatableArray<SourceLine> Sources,
        int MaxRegisters = 0);
}
