using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>What a C# type is to the kernel compiler.</summary>
    internal abstract class KType
    {
        protected KType(ITypeSymbol symbol) => Symbol = symbol;

        public ITypeSymbol Symbol { get; }
    }

    /// <summary>A scalar that lives in one register: bool (a predicate), integers, floats, Half, BFloat16.</summary>
    internal sealed class ScalarKType : KType
    {
        public ScalarKType(ITypeSymbol symbol, IrType ir) : base(symbol) => Ir = ir;

        public IrType Ir { get; }
    }

    internal enum SpanKind : byte { Device, DeviceReadOnly, Local, LocalReadOnly }

    /// <summary>A span: a pointer (64-bit, in some state space) and an element count.</summary>
    internal sealed class SpanKType : KType
    {
        public SpanKType(ITypeSymbol symbol, KType element, SpanKind kind) : base(symbol)
        {
            Element = element;
            Kind = kind;
        }

        public KType Element { get; }

        public SpanKind Kind { get; }

        public bool IsReadOnly => Kind is SpanKind.DeviceReadOnly or SpanKind.LocalReadOnly;
    }

    internal sealed class StructField
    {
        public StructField(IFieldSymbol symbol, KType type, int offset)
        {
            Symbol = symbol;
            Type = type;
            Offset = offset;
        }

        public IFieldSymbol Symbol { get; }
        public KType Type { get; }
        public int Offset { get; }
    }

    /// <summary>A user struct of scalars (and nested such structs), laid out sequentially with natural alignment.</summary>
    internal sealed class StructKType : KType
    {
        public StructKType(INamedTypeSymbol symbol, ImmutableArray<StructField> fields, int size, int alignment) : base(symbol)
        {
            Fields = fields;
            Size = size;
            Alignment = alignment;
        }

        public ImmutableArray<StructField> Fields { get; }
        public int Size { get; }
        public int Alignment { get; }

        public int IndexOf(IFieldSymbol field)
        {
            for (int i = 0; i < Fields.Length; i++)
            {
                if (SymbolEqualityComparer.Default.Equals(Fields[i].Symbol.OriginalDefinition, field.OriginalDefinition)) return i;
            }
            return -1;
        }
    }

    /// <summary>Maps C# types to kernel types; null means the type cannot be used on the device.</summary>
    internal sealed class KernelTypeMapper
    {
        private readonly KnownSymbols _known;
        private readonly Dictionary<ITypeSymbol, KType?> _cache = new(SymbolEqualityComparer.Default);

        public KernelTypeMapper(KnownSymbols known) => _known = known;

        public KType? Map(ITypeSymbol type)
        {
            if (_cache.TryGetValue(type, out var cached)) return cached;
            _cache[type] = null; // guards against recursive struct definitions
            var result = Compute(type);
            _cache[type] = result;
            return result;
        }

        public static IrType? ScalarOf(ITypeSymbol type, KnownSymbols known)
        {
            if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying }) type = underlying;
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean: return IrType.Pred;
                case SpecialType.System_SByte: return IrType.S8;
                case SpecialType.System_Byte: return IrType.U8;
                case SpecialType.System_Int16: return IrType.S16;
                case SpecialType.System_UInt16: return IrType.U16;
                case SpecialType.System_Char: return IrType.U16;
                case SpecialType.System_Int32: return IrType.S32;
                case SpecialType.System_UInt32: return IrType.U32;
                case SpecialType.System_Int64: return IrType.S64;
                case SpecialType.System_UInt64: return IrType.U64;
                case SpecialType.System_IntPtr: return IrType.S64;
                case SpecialType.System_UIntPtr: return IrType.U64;
                case SpecialType.System_Single: return IrType.F32;
                case SpecialType.System_Double: return IrType.F64;
            }
            if (KnownSymbols.Is(type, known.Half)) return IrType.F16;
            if (KnownSymbols.Is(type, known.BFloat16)) return IrType.BF16;
            return null;
        }

        private KType? Compute(ITypeSymbol type)
        {
            var scalar = ScalarOf(type, _known);
            if (scalar is { } ir) return new ScalarKType(type, ir);
            if (type is not INamedTypeSymbol named) return null;

            if (named.IsGenericType && named.TypeArguments.Length == 1)
            {
                SpanKind? kind = null;
                if (KnownSymbols.Is(named, _known.DeviceSpan)) kind = SpanKind.Device;
                else if (KnownSymbols.Is(named, _known.ReadOnlyDeviceSpan)) kind = SpanKind.DeviceReadOnly;
                else if (KnownSymbols.Is(named, _known.Span)) kind = SpanKind.Local;
                else if (KnownSymbols.Is(named, _known.ReadOnlySpan)) kind = SpanKind.LocalReadOnly;
                if (kind is { } k)
                {
                    var element = Map(named.TypeArguments[0]);
                    if (element is ScalarKType { Ir: not IrType.Pred } || element is StructKType) return new SpanKType(type, element, k);
                    return null;
                }
            }

            if (named.TypeKind == TypeKind.Struct && !named.IsRefLikeType && named.SpecialType == SpecialType.None && named.Locations.Length > 0 && named.Locations[0].IsInSource)
            {
                return MapStruct(named);
            }
            return null;
        }

        private StructKType? MapStruct(INamedTypeSymbol named)
        {
            var fields = ImmutableArray.CreateBuilder<StructField>();
            int offset = 0;
            int alignment = 1;
            foreach (var member in named.GetMembers())
            {
                if (member is not IFieldSymbol field || field.IsStatic || field.IsConst) continue;
                var fieldType = Map(field.Type);
                if (fieldType is null || fieldType is SpanKType || fieldType is ScalarKType { Ir: IrType.Pred }) return null;
                int size = SizeOf(fieldType);
                int align = AlignmentOf(fieldType);
                offset = (offset + align - 1) / align * align;
                fields.Add(new StructField(field, fieldType, offset));
                offset += size;
                if (align > alignment) alignment = align;
            }
            if (fields.Count == 0) return null;
            int total = (offset + alignment - 1) / alignment * alignment;
            return new StructKType(named, fields.ToImmutable(), total, alignment);
        }

        public static int SizeOf(KType type) => type switch
        {
            ScalarKType s => s.Ir.SizeInBytes(),
            StructKType st => st.Size,
            _ => 16,
        };

        public static int AlignmentOf(KType type) => type switch
        {
            ScalarKType s => s.Ir.SizeInBytes(),
            StructKType st => st.Alignment,
            _ => 8,
        };
    }
}
