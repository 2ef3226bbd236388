using System.Globalization;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Ptx
{
    /// <summary>Immediates as PTX writes them: floats in exact hexadecimal (0f3F800000, 0d3FF0000000000000), integers in decimal.</summary>
    internal static class PtxLiterals
    {
        public static string Format(IrOperand immediate)
        {
            switch (immediate.Type)
            {
                case IrType.F32:
                    return "0f" + ((uint)immediate.Bits).ToString("X8", CultureInfo.InvariantCulture);
                case IrType.F64:
                    return "0d" + ((ulong)immediate.Bits).ToString("X16", CultureInfo.InvariantCulture);
                case IrType.F16:
                case IrType.BF16:
                    return "0x" + ((ushort)immediate.Bits).ToString("X4", CultureInfo.InvariantCulture);
                case IrType.U32:
                case IrType.U8:
                case IrType.U16:
                    return ((uint)immediate.Bits).ToString(CultureInfo.InvariantCulture);
                case IrType.S32:
                case IrType.S8:
                case IrType.S16:
                    return ((int)immediate.Bits).ToString(CultureInfo.InvariantCulture);
                default:
                    // 64-bit: signed decimal; PTX takes the low 64 bits, so -1 is all ones for .u64 too.
                    return immediate.Bits.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
