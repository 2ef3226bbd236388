using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    internal sealed partial class KernelLowerer
    {
        /// <summary>The place an operation denotes when it is assigned, incremented or passed by ref.</summary>
        private Place LowerPlace(IOperation operation)
        {
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return LocalPlace(local.Local, operation.Syntax);
                case IParameterReferenceOperation parameter:
                    if (_frame.Variables.TryGetValue(parameter.Parameter, out var parameterPlace)) return parameterPlace;
                    Report(DiagnosticDescriptors.InternalError, operation.Syntax, parameter.Parameter.Name, "parameter was not bound");
                    return Poison(operation);
                case IFlowCaptureReferenceOperation capture:
                    if (_frame.Captures.TryGetValue(capture.Id, out var capturePlace)) return capturePlace;
                    Report(DiagnosticDescriptors.InternalError, operation.Syntax, operation.Syntax.ToString(), "flow capture read before it was written");
                    return Poison(operation);
                case IInstanceReferenceOperation:
                    if (_frame.This is { } self) return self;
                    ReportUnsupported(operation, "'this' outside an inlined struct member");
                    return Poison(operation);
                case IFieldReferenceOperation field when !field.Field.IsStatic && field.Instance is not null:
                    return FieldPlace(LowerPlace(field.Instance), field.Field, operation);
                case IFieldReferenceOperation field:
                    Report(DiagnosticDescriptors.StaticFieldAccess, operation.Syntax, field.Field.ToDisplayString());
                    return Poison(operation);
                case IPropertyReferenceOperation property when property.Property.IsIndexer && property.Instance is not null && IsSpanType(property.Instance.Type):
                    return ElementPlace(property);
                case IConversionOperation conversion when conversion.Conversion.IsIdentity:
                    return LowerPlace(conversion.Operand);
                case IDeclarationExpressionOperation declaration:
                    return LowerPlace(declaration.Expression);
                case IDiscardOperation discard:
                    {
                        var type = TypeOf(discard.Type, operation.Syntax);
                        return type is null ? Poison(operation) : new VariablePlace(type, null);
                    }
                default:
                    ReportUnsupported(operation, "'" + operation.Syntax + "' as an assignable location");
                    return Poison(operation);
            }
        }

        private Place Poison(IOperation operation) =>
            new PoisonPlace(_types.Map(_compilation.GetSpecialType(SpecialType.System_Int32))!);

        private bool IsSpanType(ITypeSymbol? type) =>
            type is not null && (KnownSymbols.Is(type, _known.DeviceSpan) || KnownSymbols.Is(type, _known.ReadOnlyDeviceSpan)
                || KnownSymbols.Is(type, _known.Span) || KnownSymbols.Is(type, _known.ReadOnlySpan));

        private Place LocalPlace(ILocalSymbol local, SyntaxNode syntax)
        {
            if (_frame.Variables.TryGetValue(local, out var existing)) return existing;
            var type = TypeOf(local.Type, syntax);
            if (type is null) return Poison(null!);
            // A ref local is bound by its `ref` initialisation (see LowerAssignment); until then it is a variable.
            var place = new VariablePlace(type, NewStorage(type));
            _frame.Variables[local] = place;
            return place;
        }

        private Place FieldPlace(Place instance, IFieldSymbol field, IOperation operation)
        {
            switch (instance)
            {
                case PoisonPlace:
                    return instance;
                case VariablePlace { Type: StructKType structType } variable:
                    {
                        int index = structType.IndexOf(field);
                        if (index < 0 || variable.Storage is not StructValue storage) break;
                        return new VariablePlace(structType.Fields[index].Type, storage.Fields[index]);
                    }
                case MemoryPlace { Type: StructKType structType } memory:
                    {
                        int index = structType.IndexOf(field);
                        if (index < 0) break;
                        var f = structType.Fields[index];
                        return new MemoryPlace(f.Type, memory.Address, memory.Offset + f.Offset, memory.Space);
                    }
            }
            ReportUnsupported(operation, "Field '" + field.Name + "' of this kind of value");
            return Poison(operation);
        }

        /// <summary>span[index]: address = pointer + index * sizeof(element), in the span's state space.</summary>
        private Place ElementPlace(IPropertyReferenceOperation indexer)
        {
            var spanValue = Lower(indexer.Instance!);
            // span[i + c] with a constant c: the address of span[i] plus c elements as an immediate offset, so that the
            // accesses of an unrolled run (span[i], span[i + 1], ...) share one address computation.
            int constantElements = 0;
            var indexOperation = indexer.Arguments.Length == 1 ? indexer.Arguments[0].Value : null;
            if (indexOperation is not null && ConstantTerm(indexOperation, out var variablePart, out constantElements)) indexOperation = variablePart;
            var index = indexOperation is not null ? Lower(indexOperation) : PoisonValue.Instance;
            if (spanValue is not SpanValue span || index is not ScalarValue indexScalar)
            {
                if (spanValue is not PoisonValue && index is not PoisonValue) ReportUnsupported(indexer, "This indexer");
                return Poison(indexer);
            }
            if (indexScalar.Ir != IrType.S32)
            {
                ReportUnsupported(indexer.Arguments[0], "An index of type " + indexScalar.Type?.Symbol.ToDisplayString(), ": index spans with an int");
                return Poison(indexer);
            }
            var element = ElementAt(span, indexScalar.Operand);
            if (constantElements == 0) return element;
            return new MemoryPlace(element.Type, element.Address, element.Offset + (long)constantElements * KernelTypeMapper.SizeOf(span.Type.Element), element.Space, isWholeElement: true);
        }

        /// <summary>
        /// Splits an int index <c>x + c</c>, <c>c + x</c> or <c>x - c</c> (c a compile-time constant, x not) into x and c.
        /// Only plain unchecked int arithmetic; an index that overflows int is out of any span's range anyway.
        /// </summary>
        private bool ConstantTerm(IOperation index, out IOperation variable, out int constant)
        {
            variable = index;
            constant = 0;
            if (index is not IBinaryOperation { OperatorMethod: null, IsChecked: false } binary || binary.Type?.SpecialType != SpecialType.System_Int32) return false;
            if (TryConstant(index, out _)) return false;
            bool rightConstant = TryConstant(binary.RightOperand, out var right) && right is int;
            bool leftConstant = TryConstant(binary.LeftOperand, out var left) && left is int;
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.Add when rightConstant:
                    variable = binary.LeftOperand;
                    constant = (int)right;
                    return true;
                case BinaryOperatorKind.Add when leftConstant:
                    variable = binary.RightOperand;
                    constant = (int)left;
                    return true;
                case BinaryOperatorKind.Subtract when rightConstant && (int)right != int.MinValue:
                    variable = binary.LeftOperand;
                    constant = -(int)right;
                    return true;
                default:
                    return false;
            }
        }

        private MemoryPlace ElementAt(SpanValue span, IrOperand index)
        {
            int size = KernelTypeMapper.SizeOf(span.Type.Element);
            if (index.IsImmediate)
            {
                return new MemoryPlace(span.Type.Element, span.Pointer, index.SignedValue * size, span.Space, isWholeElement: true);
            }
            var offset = _b.NewRegister(IrType.S64);
            _b.Emit(IrOp.Binary, IrType.S32, (byte)BinaryKind.MulWide, offset, index, IrOperand.Imm(size, IrType.S32));
            var address = _b.Binary(BinaryKind.Add, IrType.S64, span.Pointer, offset, IrType.U64);
            return new MemoryPlace(span.Type.Element, address, 0, span.Space, isWholeElement: true);
        }

        // ---- reading and writing places ----

        private Value Read(Place place, SyntaxNode at)
        {
            switch (place)
            {
                case VariablePlace variable:
                    if (variable.Storage is { } storage) return storage;
                    Report(DiagnosticDescriptors.InternalError, at, at.ToString(), "span variable read before it was assigned");
                    return PoisonValue.Instance;
                case MemoryPlace memory:
                    return Load(memory);
                default:
                    return PoisonValue.Instance;
            }
        }

        private void Write(Place place, Value value, IOperation at)
        {
            if (value is PoisonValue || place is PoisonPlace) return;
            switch (place)
            {
                case VariablePlace variable:
                    if (variable.Storage is null)
                    {
                        variable.Storage = Copy(value);
                        return;
                    }
                    MoveInto(variable.Storage, value, at);
                    return;
                case MemoryPlace memory:
                    Store(memory, value, at);
                    return;
            }
        }

        /// <summary>Fresh registers for a variable of the given type (spans get theirs at first assignment).</summary>
        private Value? NewStorage(KType type) => type switch
        {
            ScalarKType scalar => new ScalarValue(scalar, _b.NewRegister(scalar.Ir)),
            StructKType structType => new StructValue(structType, structType.Fields.Select(f => NewStorage(f.Type)!).ToImmutableArray()),
            _ => null,
        };

        /// <summary>Copies a value into fresh registers, so later writes to its source cannot change it.</summary>
        private Value Copy(Value value)
        {
            switch (value)
            {
                case ScalarValue scalar:
                    {
                        var register = _b.NewRegister(scalar.Operand.Type);
                        MoveScalar(register, scalar);
                        return new ScalarValue(scalar.Type, register);
                    }
                case SpanValue span:
                    {
                        var pointer = _b.NewRegister(IrType.U64);
                        _b.Mov(pointer, span.Pointer);
                        var length = _b.NewRegister(IrType.S32);
                        _b.Mov(length, span.Length);
                        return new SpanValue(span.Type, pointer, length, span.Space);
                    }
                case StructValue structValue:
                    return new StructValue(structValue.Type, structValue.Fields.Select(Copy).ToImmutableArray());
                default:
                    return value;
            }
        }

        private void MoveInto(Value storage, Value value, IOperation at)
        {
            switch (storage, value)
            {
                case (ScalarValue target, ScalarValue source):
                    MoveScalar(target.Operand, source);
                    break;
                case (SpanValue target, SpanValue source):
                    if (target.Space != source.Space)
                    {
                        ReportUnsupported(at, "Assigning spans of different memory spaces (" + source.Space + " into " + target.Space + ") to one variable");
                        break;
                    }
                    _b.Mov(target.Pointer, source.Pointer);
                    _b.Mov(target.Length, source.Length);
                    break;
                case (StructValue target, StructValue source) when target.Fields.Length == source.Fields.Length:
                    for (int i = 0; i < target.Fields.Length; i++) MoveInto(target.Fields[i], source.Fields[i], at);
                    break;
                default:
                    Report(DiagnosticDescriptors.InternalError, at.Syntax, at.Syntax.ToString(), "mismatched value shapes in an assignment");
                    break;
            }
        }

        private void MoveScalar(IrOperand target, ScalarValue source)
        {
            var operand = source.Operand;
            if (target.Type == IrType.Pred && operand.IsImmediate)
            {
                operand = PredicateConstant(operand.Bits != 0);
            }
            _b.Mov(target, operand);
        }

        // ---- memory ----

        private Value Load(MemoryPlace place)
        {
            switch (place.Type)
            {
                case ScalarKType scalar:
                    {
                        var dest = _b.NewRegister(scalar.Ir);
                        _b.Emit(IrOp.Load, scalar.Ir, (byte)place.Space, dest, IrOperand.AddressOf(place.Address.Register, place.Offset));
                        return new ScalarValue(scalar, dest);
                    }
                case StructKType structType:
                    {
                        if (place.IsWholeElement && VectorShape(structType) is { } vector)
                        {
                            var registers = Enumerable.Range(0, vector.Count).Select(_ => _b.NewRegister(vector.Element)).ToArray();
                            _b.Emit(IrOp.Load, vector.Element, vector.Element, (byte)place.Space, registers,
                                new[] { IrOperand.AddressOf(place.Address.Register, place.Offset) }, "v" + vector.Count);
                            return new StructValue(structType, registers.Select((r, i) => (Value)new ScalarValue(LeafType(structType, i), r)).ToImmutableArray());
                        }
                        var fields = structType.Fields
                            .Select(f => Load(new MemoryPlace(f.Type, place.Address, place.Offset + f.Offset, place.Space)))
                            .ToImmutableArray();
                        return new StructValue(structType, fields);
                    }
                default:
                    return PoisonValue.Instance;
            }
        }

        private void Store(MemoryPlace place, Value value, IOperation at)
        {
            if (place.Space == MemorySpace.GlobalReadOnly)
            {
                ReportUnsupported(at, "Writing through a ReadOnlyDeviceSpan");
                return;
            }
            switch (place.Type, value)
            {
                case (ScalarKType scalar, ScalarValue source):
                    _b.Emit(IrOp.Store, scalar.Ir, (byte)place.Space, IrOperand.None,
                        IrOperand.AddressOf(place.Address.Register, place.Offset), _b.InRegister(source.Operand));
                    break;
                case (StructKType structType, StructValue source):
                    if (place.IsWholeElement && VectorShape(structType) is { } vector)
                    {
                        var sources = new IrOperand[vector.Count + 1];
                        sources[0] = IrOperand.AddressOf(place.Address.Register, place.Offset);
                        for (int i = 0; i < vector.Count; i++) sources[i + 1] = _b.InRegister(((ScalarValue)source.Fields[i]).Operand);
                        _b.Emit(IrOp.Store, vector.Element, vector.Element, (byte)place.Space, System.Array.Empty<IrOperand>(), sources, "v" + vector.Count);
                        break;
                    }
                    for (int i = 0; i < structType.Fields.Length; i++)
                    {
                        var f = structType.Fields[i];
                        Store(new MemoryPlace(f.Type, place.Address, place.Offset + f.Offset, place.Space), source.Fields[i], at);
                    }
                    break;
                default:
                    Report(DiagnosticDescriptors.InternalError, at.Syntax, at.Syntax.ToString(), "mismatched value shape in a store");
                    break;
            }
        }

        /// <summary>A struct of 2 or 4 fields of one 32-bit type (or 2 of one 64-bit type) loads as ld.v2/ld.v4.</summary>
        private static (IrType Element, int Count)? VectorShape(StructKType type)
        {
            if (type.Fields.Length is not (2 or 4)) return null;
            if (type.Fields.Any(f => f.Type is not ScalarKType)) return null;
            var first = ((ScalarKType)type.Fields[0].Type).Ir;
            if (type.Fields.Any(f => ((ScalarKType)f.Type).Ir != first)) return null;
            int size = first.SizeInBytes();
            if (size < 4 || (size == 8 && type.Fields.Length == 4)) return null;
            if (type.Size != size * type.Fields.Length) return null;
            return (first, type.Fields.Length);
        }

        private static KType LeafType(StructKType type, int index) => type.Fields[index].Type;
    }
}
