using System;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Ptx
{
    /// <summary>The minimum architecture and PTX ISA version an instruction form needs.</summary>
    internal readonly record struct PtxRequirement(int Sm, int PtxVersion)
    {
        /// <summary>
        /// The floor every kernel gets: sm_52 (Maxwell, the oldest the CUDA 12 driver JIT still targets) with PTX 6.0,
        /// the first ISA with the .sync warp primitives that Volta and later require.
        /// </summary>
        public static readonly PtxRequirement Floor = new(52, 60);

        public PtxRequirement Max(PtxRequirement other) => new(Math.Max(Sm, other.Sm), Math.Max(PtxVersion, other.PtxVersion));
    }

    /// <summary>
    /// The instruction table: for each IR (op, type, variant) its PTX mnemonic and its requirement. The single
    /// place that knows PTX spellings, so the emitter, the architecture check and the docs agree.
    /// </summary>
    internal static class PtxInstructionTable
    {
        public static PtxRequirement Requirement(IrInstruction instruction)
        {
            switch (instruction.Op)
            {
                case IrOp.Unary when (UnaryKind)instruction.Variant == UnaryKind.TanhApprox:
                    return new PtxRequirement(75, 70);
                case IrOp.Dp4a:
                    return new PtxRequirement(61, 50);
                case IrOp.Cvt when instruction.Type == IrType.BF16 || instruction.Type2 == IrType.BF16:
                    return new PtxRequirement(80, 70);
                default:
                    return PtxRequirement.Floor;
            }
        }

        /// <summary>The PTX ISA version that first accepts a given .target.</summary>
        public static int PtxVersionForTarget(int sm) => sm switch
        {
            >= 120 => 87,
            >= 100 => 86,
            >= 90 => 78,
            89 => 78,
            87 => 74,
            86 => 71,
            >= 80 => 70,
            >= 75 => 63,
            72 => 61,
            >= 70 => 60,
            _ => 50,
        };

        public static string Mnemonic(IrInstruction i)
        {
            var t = i.Type;
            switch (i.Op)
            {
                case IrOp.LoadParam:
                    return "ld.param." + ParamType(t);
                case IrOp.Load:
                    return "ld" + Space((MemorySpace)i.Variant) + Vector(i) + "." + t.PtxMemory();
                case IrOp.Store:
                    return "st" + Space((MemorySpace)i.Variant) + Vector(i) + "." + t.PtxMemory();
                case IrOp.SpecialRegister:
                    return "mov.u32";
                case IrOp.Unary:
                    return Unary((UnaryKind)i.Variant, t);
                case IrOp.Binary:
                    return Binary((BinaryKind)i.Variant, t);
                case IrOp.Fma:
                    return "fma.rn." + t.Ptx();
                case IrOp.Setp:
                    return "setp." + Compare((CompareKind)i.Variant, t) + "." + t.Ptx();
                case IrOp.Selp:
                    return "selp." + (t.IsFloat() ? t.Ptx() : t.PtxBits());
                case IrOp.Cvt:
                    return "cvt" + Rounding((RoundingKind)i.Variant) + "." + CvtType(t) + "." + CvtType(i.Type2);
                case IrOp.Cvta:
                    return (CvtaKind)i.Variant switch
                    {
                        CvtaKind.ToGlobal => "cvta.to.global.u64",
                        CvtaKind.GlobalToGeneric => "cvta.global.u64",
                        CvtaKind.SharedToGeneric => "cvta.shared.u64",
                        _ => "cvta.local.u64",
                    };
                case IrOp.BarrierSync:
                    return "bar.sync";
                case IrOp.WarpSync:
                    return "bar.warp.sync";
                case IrOp.Shuffle:
                    return "shfl.sync." + ((ShuffleKind)i.Variant).ToString().ToLowerInvariant() + ".b32";
                case IrOp.Vote:
                    return (VoteKind)i.Variant switch
                    {
                        VoteKind.All => "vote.sync.all.pred",
                        VoteKind.Any => "vote.sync.any.pred",
                        _ => "vote.sync.ballot.b32",
                    };
                case IrOp.Atomic:
                    return "atom." + Atomic((AtomicKind)i.Variant, t);
                case IrOp.Dp4a:
                    return t == IrType.U32 ? "dp4a.u32.u32" : "dp4a.s32.s32";
                case IrOp.Return:
                    return "ret";
                case IrOp.Branch:
                    return "bra";
                default:
                    throw new InvalidOperationException("No mnemonic for " + i.Op);
            }
        }

        public static string ParamType(IrType t) => t switch
        {
            IrType.F16 or IrType.BF16 => "b16",
            IrType.Pred => "u8",
            _ => t.Ptx(),
        };

        private static string Space(MemorySpace space) => space switch
        {
            MemorySpace.Global => ".global",
            MemorySpace.GlobalReadOnly => ".global.nc",
            MemorySpace.Shared => ".shared",
            MemorySpace.Local => ".local",
            _ => "",
        };

        private static string Vector(IrInstruction i) => i.Text is "v2" or "v4" ? "." + i.Text : "";

        private static string CvtType(IrType t) => t switch
        {
            IrType.BF16 => "bf16",
            _ => t.Ptx(),
        };

        private static string Rounding(RoundingKind kind) => kind == RoundingKind.None ? "" : "." + kind.ToString().ToLowerInvariant();

        private static string Unary(UnaryKind kind, IrType t) => kind switch
        {
            UnaryKind.Neg => "neg." + t.Ptx(),
            UnaryKind.Not => "not." + (t == IrType.Pred ? "pred" : t.PtxBits()),
            UnaryKind.Abs => "abs." + t.Ptx(),
            UnaryKind.Sqrt => "sqrt.rn." + t.Ptx(),
            UnaryKind.RcpApprox => "rcp.approx.f32",
            UnaryKind.RsqrtApprox => "rsqrt.approx.f32",
            UnaryKind.Ex2Approx => "ex2.approx.f32",
            UnaryKind.Lg2Approx => "lg2.approx.f32",
            UnaryKind.SinApprox => "sin.approx.f32",
            UnaryKind.CosApprox => "cos.approx.f32",
            UnaryKind.TanhApprox => "tanh.approx.f32",
            UnaryKind.Popc => "popc." + t.PtxBits(),
            _ => "clz." + t.PtxBits(),
        };

        private static string Binary(BinaryKind kind, IrType t)
        {
            bool isFloat = t.IsFloat();
            return kind switch
            {
                // .rn on float add/sub/mul forbids contraction into fma, so results match the CPU bit for bit.
                BinaryKind.Add => isFloat ? "add.rn." + t.Ptx() : "add." + t.Ptx(),
                BinaryKind.Sub => isFloat ? "sub.rn." + t.Ptx() : "sub." + t.Ptx(),
                BinaryKind.Mul => isFloat ? "mul.rn." + t.Ptx() : "mul.lo." + t.Ptx(),
                BinaryKind.MulWide => "mul.wide." + t.Ptx(),
                BinaryKind.MulHi => "mul.hi." + t.Ptx(),
                BinaryKind.Div => isFloat ? "div.rn." + t.Ptx() : "div." + t.Ptx(),
                BinaryKind.Rem => "rem." + t.Ptx(),
                BinaryKind.And => "and." + (t == IrType.Pred ? "pred" : t.PtxBits()),
                BinaryKind.Or => "or." + (t == IrType.Pred ? "pred" : t.PtxBits()),
                BinaryKind.Xor => "xor." + (t == IrType.Pred ? "pred" : t.PtxBits()),
                BinaryKind.Shl => "shl." + t.PtxBits(),
                BinaryKind.Shr => "shr." + t.Ptx(),
                BinaryKind.Min => "min." + t.Ptx(),
                BinaryKind.Max => "max." + t.Ptx(),
                _ => "copysign." + t.Ptx(),
            };
        }

        private static string Compare(CompareKind kind, IrType t)
        {
            bool unsigned = t is IrType.U32 or IrType.U64;
            return kind switch
            {
                CompareKind.Eq => "eq",
                CompareKind.Ne => "ne",
                CompareKind.Lt => unsigned ? "lo" : "lt",
                CompareKind.Le => unsigned ? "ls" : "le",
                CompareKind.Gt => unsigned ? "hi" : "gt",
                CompareKind.Ge => unsigned ? "hs" : "ge",
                CompareKind.NeU => "neu",
                _ => "nan",
            };
        }

        private static string Atomic(AtomicKind kind, IrType t) => kind switch
        {
            AtomicKind.Add => "add." + t.Ptx(),
            AtomicKind.Min => "min." + t.Ptx(),
            AtomicKind.Max => "max." + t.Ptx(),
            AtomicKind.Exch => "exch." + t.PtxBits(),
            AtomicKind.Cas => "cas." + t.PtxBits(),
            AtomicKind.And => "and." + t.PtxBits(),
            _ => "or." + t.PtxBits(),
        };
    }
}
