namespace Quamba.Generators.Lowering.Ir
{
    /// <summary>
    /// The value types of the kernel IR. Sub-word integers only appear as memory and conversion types: C#
    /// promotes them to int before any arithmetic, so in registers they live sign- or zero-extended in 32 bits.
    /// </summary>
    internal enum IrType : byte
    {
        Pred,
        S8,
        U8,
        S16,
        U16,
        S32,
        U32,
        S64,
        U64,
        F16,
        BF16,
        F32,
        F64,
    }

    /// <summary>PTX register classes: one <c>.reg</c> declaration each.</summary>
    internal enum RegisterClass : byte
    {
        Pred,
        B16,
        B32,
        B64,
        F32,
        F64,
    }

    internal static class IrTypeFacts
    {
        public static int SizeInBytes(this IrType type) => type switch
        {
            IrType.Pred => 1,
            IrType.S8 or IrType.U8 => 1,
            IrType.S16 or IrType.U16 or IrType.F16 or IrType.BF16 => 2,
            IrType.S32 or IrType.U32 or IrType.F32 => 4,
            _ => 8,
        };

        public static bool IsFloat(this IrType type) => type is IrType.F16 or IrType.BF16 or IrType.F32 or IrType.F64;

        public static bool IsInteger(this IrType type) => type is >= IrType.S8 and <= IrType.U64;

        public static bool IsSigned(this IrType type) => type is IrType.S8 or IrType.S16 or IrType.S32 or IrType.S64;

        public static bool Is64Bit(this IrType type) => type is IrType.S64 or IrType.U64 or IrType.F64;

        /// <summary>The register class a value of this type lives in.</summary>
        public static RegisterClass RegisterClass(this IrType type) => type switch
        {
            IrType.Pred => Ir.RegisterClass.Pred,
            IrType.F16 or IrType.BF16 => Ir.RegisterClass.B16,
            IrType.S64 or IrType.U64 => Ir.RegisterClass.B64,
            IrType.F32 => Ir.RegisterClass.F32,
            IrType.F64 => Ir.RegisterClass.F64,
            _ => Ir.RegisterClass.B32,
        };

        /// <summary>The PTX type suffix without the dot (s32, f32, bf16...).</summary>
        public static string Ptx(this IrType type) => type switch
        {
            IrType.Pred => "pred",
            IrType.S8 => "s8",
            IrType.U8 => "u8",
            IrType.S16 => "s16",
            IrType.U16 => "u16",
            IrType.S32 => "s32",
            IrType.U32 => "u32",
            IrType.S64 => "s64",
            IrType.U64 => "u64",
            IrType.F16 => "f16",
            IrType.BF16 => "bf16",
            IrType.F32 => "f32",
            _ => "f64",
        };

        /// <summary>The untyped bit type of the same width (b16, b32, b64).</summary>
        public static string PtxBits(this IrType type) => type.SizeInBytes() switch
        {
            1 => "b8",
            2 => "b16",
            4 => "b32",
            _ => "b64",
        };

        /// <summary>The type to use for ld/st of this type (PTX has no f16/bf16 loads, only b16).</summary>
        public static string PtxMemory(this IrType type) => type is IrType.F16 or IrType.BF16 ? "b16" : type.Ptx();

        /// <summary>The 32-bit (or 64-bit) register type a promoted integer computes in.</summary>
        public static IrType Promoted(this IrType type) => type switch
        {
            IrType.S8 or IrType.S16 => IrType.S32,
            IrType.U8 or IrType.U16 => IrType.S32,
            _ => type,
        };

        public static string Prefix(this RegisterClass registerClass) => registerClass switch
        {
            Ir.RegisterClass.Pred => "%p",
            Ir.RegisterClass.B16 => "%h",
            Ir.RegisterClass.B32 => "%r",
            Ir.RegisterClass.B64 => "%rd",
            Ir.RegisterClass.F32 => "%f",
            _ => "%fd",
        };

        public static string Declaration(this RegisterClass registerClass) => registerClass switch
        {
            Ir.RegisterClass.Pred => ".pred",
            Ir.RegisterClass.B16 => ".b16",
            Ir.RegisterClass.B32 => ".b32",
            Ir.RegisterClass.B64 => ".b64",
            Ir.RegisterClass.F32 => ".f32",
            _ => ".f64",
        };
    }
}
