using System.Collections.Immutable;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>A value during lowering: one register or immediate, a span (pointer + length), or a struct of values.</summary>
    internal abstract class Value
    {
        protected Value(KType? type) => Type = type;

        public KType? Type { get; }
    }

    internal sealed class ScalarValue : Value
    {
        public ScalarValue(KType? type, IrOperand operand) : base(type) => Operand = operand;

        public IrOperand Operand { get; }

        /// <summary>
        /// The C# type's IR type (sbyte is S8 even though its register is 32-bit; a uint made from an int by a
        /// no-op conversion keeps the int's register but is unsigned from then on).
        /// </summary>
        public IrType Ir => Type is ScalarKType scalar ? scalar.Ir : Operand.Type;
    }

    /// <summary>A span value. <see cref="Pointer"/> is an address in <see cref="Space"/> (64-bit register).</summary>
    internal sealed class SpanValue : Value
    {
        public SpanValue(SpanKType type, IrOperand pointer, IrOperand length, MemorySpace space) : base(type)
        {
            Pointer = pointer;
            Length = length;
            Space = space;
        }

        public new SpanKType Type => (SpanKType)base.Type!;
        public IrOperand Pointer { get; }
        public IrOperand Length { get; }
        public MemorySpace Space { get; }
    }

    internal sealed class StructValue : Value
    {
        public StructValue(StructKType type, ImmutableArray<Value> fields) : base(type) => Fields = fields;

        public new StructKType Type => (StructKType)base.Type!;
        public ImmutableArray<Value> Fields { get; }
    }

    /// <summary>Stands in for the value of an operation that was reported as an error, so lowering can go on.</summary>
    internal sealed class PoisonValue : Value
    {
        public static readonly PoisonValue Instance = new();

        private PoisonValue() : base(null)
        {
        }
    }

    /// <summary>What a statement or void call "returns": deliberately nothing (unlike <see cref="PoisonValue"/>).</summary>
    internal sealed class NoValue : Value
    {
        public static readonly NoValue Instance = new();

        private NoValue() : base(null)
        {
        }
    }

    /// <summary>Something that can be read and written: a variable held in registers or a memory location.</summary>
    internal abstract class Place
    {
        protected Place(KType type) => Type = type;

        public KType Type { get; }
    }

    /// <summary>A local, parameter or capture: its storage is a value made only of registers, updated by mov.</summary>
    internal sealed class VariablePlace : Place
    {
        public VariablePlace(KType type, Value? storage) : base(type) => Storage = storage;

        /// <summary>The registers; null for a span variable not yet assigned (its state space comes from the first value).</summary>
        public Value? Storage { get; set; }
    }

    /// <summary>A location in memory (span element, ref), addressed by a 64-bit register plus offset.</summary>
    internal sealed class MemoryPlace : Place
    {
        public MemoryPlace(KType type, IrOperand address, long offset, MemorySpace space, bool isWholeElement = false) : base(type)
        {
            Address = address;
            Offset = offset;
            Space = space;
            IsWholeElement = isWholeElement;
        }

        /// <summary>
        /// True for a span element itself (not a field inside one): its address is a multiple of the element
        /// size from an aligned base, so an 8- or 16-byte struct may use one vector load or store.
        /// </summary>
        public bool IsWholeElement { get; }

        public IrOperand Address { get; }
        public long Offset { get; }
        public MemorySpace Space { get; }
    }

    /// <summary>A place whose errors were already reported.</summary>
    internal sealed class PoisonPlace : Place
    {
        public PoisonPlace(KType type) : base(type)
        {
        }
    }
}
