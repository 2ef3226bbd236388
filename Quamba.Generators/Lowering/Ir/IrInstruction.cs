using Quamba.Generators.Common;

namespace Quamba.Generators.Lowering.Ir
{
    /// <summary>IR operations; the PTX instruction table maps each (op, type, variant) to its PTX form.</summary>
    internal enum IrOp : byte
    {
        Mov,
        LoadParam,
        Load,
        Store,
        SpecialRegister,
        Unary,
        Binary,
        Fma,
        Setp,
        Selp,
        Cvt,
        Cvta,
        Label,
        Branch,
        Return,
        BarrierSync,
        WarpSync,
        Shuffle,
        Vote,
        Atomic,
        Dp4a,
        InlinePtx,
    }

    internal enum MemorySpace : byte { Global, GlobalReadOnly, Shared, Local, Generic }

    internal enum UnaryKind : byte { Neg, Not, Abs, Sqrt, RcpApprox, RsqrtApprox, Ex2Approx, Lg2Approx, SinApprox, CosApprox, TanhApprox, Popc, Clz }

    internal enum BinaryKind : byte { Add, Sub, Mul, MulWide, MulHi, Div, Rem, And, Or, Xor, Shl, Shr, Min, Max, CopySign }

    /// <summary>setp comparisons; the "U" forms are the unordered float forms (true when an operand is NaN).</summary>
    internal enum CompareKind : byte { Eq, Ne, Lt, Le, Gt, Ge, NeU, Nan }

    internal enum RoundingKind : byte { None, Rn, Rz, Rm, Rp, Rni, Rzi, Rmi, Rpi }

    internal enum CvtaKind : byte { ToGlobal, GlobalToGeneric, SharedToGeneric, LocalToGeneric }

    internal enum ShuffleKind : byte { Bfly, Down, Up, Idx }

    internal enum VoteKind : byte { All, Any, Ballot }

    internal enum AtomicKind : byte { Add, Min, Max, Exch, Cas, And, Or }

    /// <summary>
    /// One three-address IR instruction. <see cref="Variant"/> holds the op-specific sub-kind (a
    /// <see cref="BinaryKind"/>, <see cref="CompareKind"/>, memory space...); <see cref="Type2"/> is the source
    /// type of a conversion; <see cref="Text"/> holds a label, special register name or inline PTX template;
    /// <see cref="Source"/> indexes the kernel's source table (-1: none).
    /// </summary>
    internal sealed record IrInstruction(
        IrOp Op,
        IrType Type,
        IrType Type2,
        byte Variant,
        EquatableArray<IrOperand> Dests,
        EquatableArray<IrOperand> Sources,
        string? Text,
        int Source);
}
