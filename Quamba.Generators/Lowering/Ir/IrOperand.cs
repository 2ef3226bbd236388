using System;

namespace Quamba.Generators.Lowering.Ir
{
    internal enum OperandKind : byte
    {
        None,
        Register,
        Immediate,
        /// <summary>A module-level name used as a value: a shared or local array's address.</summary>
        Symbol,
        /// <summary>A memory address <c>[base+offset]</c>: Register is the base, or Name for a symbol base.</summary>
        Address,
    }

    /// <summary>One operand of an IR instruction.</summary>
    internal readonly record struct IrOperand(OperandKind Kind, int Register, long Bits, IrType Type, string? Name)
    {
        public static readonly IrOperand None = new(OperandKind.None, -1, 0, IrType.Pred, null);

        public static IrOperand Reg(int id, IrType type) => new(OperandKind.Register, id, 0, type, null);

        public static IrOperand Imm(long bits, IrType type) => new(OperandKind.Immediate, -1, bits, type, null);

        public static IrOperand Float(float value) => Imm(BitConverter.ToInt32(BitConverter.GetBytes(value), 0) & 0xFFFFFFFFL, IrType.F32);

        public static IrOperand Double(double value) => Imm(BitConverter.DoubleToInt64Bits(value), IrType.F64);

        public static IrOperand Symbol(string name) => new(OperandKind.Symbol, -1, 0, IrType.U64, name);

        public static IrOperand AddressOf(int baseRegister, long offset) => new(OperandKind.Address, baseRegister, offset, IrType.U64, null);

        public static IrOperand AddressOf(string symbol, long offset = 0) => new(OperandKind.Address, -1, offset, IrType.U64, symbol);

        public bool IsRegister => Kind == OperandKind.Register;

        public bool IsImmediate => Kind == OperandKind.Immediate;

        /// <summary>The immediate as a signed integer, sign-extended from its type's width.</summary>
        public long SignedValue => Type.SizeInBytes() switch
        {
            1 => Type.IsSigned() ? (sbyte)Bits : (byte)Bits,
            2 => Type.IsSigned() ? (short)Bits : (ushort)Bits,
            4 => Type.IsSigned() || Type == IrType.F32 ? (int)Bits : (uint)Bits,
            _ => Bits,
        };
    }
}
