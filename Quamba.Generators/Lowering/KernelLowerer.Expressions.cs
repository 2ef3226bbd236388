using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    internal sealed partial class KernelLowerer
    {
        /// <summary>
        /// Lowers an operation to a value. The default case reports the unsupported OperationKind, so no
        /// construct is ever dropped silently.
        /// </summary>
        private Value Lower(IOperation operation)
        {
            var value = LowerCore(operation);
            if (value is PoisonValue && !_hasErrors)
            {
                // Every path that gives up reports why; this is the net under that rule, so a kernel can never
                // be emitted from a partial translation.
                Report(DiagnosticDescriptors.InternalError, operation.Syntax, Shorten(operation.Syntax.ToString()), "no value was produced for this " + operation.Kind + " and no error was reported");
            }
            return value;
        }

        private Value LowerCore(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (TryConstant(operation, out var constant)) return MakeConstant(operation, constant);

            switch (operation)
            {
                case IExpressionStatementOperation statement:
                    return Lower(statement.Operation);
                case IArgumentOperation argument:
                    return Lower(argument.Value);
                case IConversionOperation conversion:
                    return LowerConversion(conversion);
                case IBinaryOperation binary:
                    return LowerBinary(binary);
                case IUnaryOperation unary:
                    return LowerUnary(unary);
                case ISimpleAssignmentOperation assignment:
                    return LowerAssignment(assignment);
                case ICompoundAssignmentOperation compound:
                    return LowerCompoundAssignment(compound);
                case IIncrementOrDecrementOperation increment:
                    return LowerIncrement(increment);
                case IInvocationOperation invocation:
                    return LowerInvocation(invocation);
                case IObjectCreationOperation creation:
                    return LowerObjectCreation(creation);
                case IDefaultValueOperation defaultValue:
                    return DefaultOf(defaultValue.Type, operation);
                case IFlowCaptureOperation capture:
                    LowerFlowCapture(capture);
                    return NoValue.Instance;
                case IIsPatternOperation isPattern:
                    return LowerIsPattern(isPattern);
                case IPropertyReferenceOperation property:
                    return LowerPropertyRead(property);
                case ISizeOfOperation sizeOf:
                    {
                        var type = TypeOf(sizeOf.TypeOperand, operation.Syntax);
                        return type is null ? PoisonValue.Instance : IntConstant(KernelTypeMapper.SizeOf(type));
                    }
                case IParenthesizedOperation parenthesized:
                    return Lower(parenthesized.Operand);
                case IFieldReferenceOperation { Field.IsStatic: false, Instance: { } instance } field when !IsPlaceOperation(instance):
                    return FieldOfValue(Lower(instance), field);
                case ILocalReferenceOperation or IParameterReferenceOperation or IFlowCaptureReferenceOperation
                    or IInstanceReferenceOperation or IFieldReferenceOperation:
                    return Read(LowerPlace(operation), operation.Syntax);
                case { Kind: OperationKind.None } when operation.Syntax is StackAllocArrayCreationExpressionSyntax:
                    return LowerStackAlloc(operation);
                case IConditionalOperation:
                    ReportUnsupported(operation, "A conditional expression in this position");
                    return PoisonValue.Instance;
                case ILiteralOperation:
                    ReportUnsupported(operation, "The literal '" + operation.Syntax + "'");
                    return PoisonValue.Instance;
                case IArrayCreationOperation or IArrayElementReferenceOperation:
                    ReportUnsupported(operation, "An array", ": use stackalloc into a Span<T> for a local array, or a DeviceSpan<T> parameter");
                    return PoisonValue.Instance;
                case IInterpolatedStringOperation:
                    ReportUnsupported(operation, "A string");
                    return PoisonValue.Instance;
                default:
                    ReportUnsupported(operation, "'" + Shorten(operation.Syntax.ToString()) + "'");
                    return PoisonValue.Instance;
            }
        }

        /// <summary>A field of a struct rvalue, e.g. (a * b).Re.</summary>
        private Value FieldOfValue(Value instance, IFieldReferenceOperation field)
        {
            if (instance is StructValue structValue)
            {
                int index = structValue.Type.IndexOf(field.Field);
                if (index >= 0) return structValue.Fields[index];
            }
            if (instance is not PoisonValue) ReportUnsupported(field, "Field '" + field.Field.Name + "' of this value");
            return PoisonValue.Instance;
        }

        private static string Shorten(string text)
        {
            text = text.Replace("\r", " ").Replace("\n", " ");
            return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
        }

        // ---- constants ----

        private Value MakeConstant(IOperation operation, object value)
        {
            if (value is string)
            {
                ReportUnsupported(operation, "A string");
                return PoisonValue.Instance;
            }
            var type = TypeOf(operation.Type, operation.Syntax);
            if (type is not ScalarKType scalar) return PoisonValue.Instance;
            return ConstantOf(scalar, value);
        }

        private Value ConstantOf(ScalarKType scalar, object value)
        {
            var ir = scalar.Ir;
            if (ir == IrType.Pred) return new ScalarValue(scalar, PredicateConstant(value is true));
            if (ir == IrType.F32) return new ScalarValue(scalar, IrOperand.Float(System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture)));
            if (ir == IrType.F64) return new ScalarValue(scalar, IrOperand.Double(System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
            if (ir is IrType.F16 or IrType.BF16)
            {
                // No Half constant exists in C#; this is only reached for default(Half).
                return new ScalarValue(scalar, IrOperand.Imm(0, ir));
            }
            long bits = ConstantFolder.ToLong(value);
            // Sub-word integers are held sign- or zero-extended in 32-bit registers.
            var registerType = ir switch
            {
                IrType.S8 or IrType.S16 => IrType.S32,
                IrType.U8 or IrType.U16 => IrType.U32,
                _ => ir,
            };
            if (registerType is IrType.S32 or IrType.U32) bits &= 0xFFFFFFFFL;
            return new ScalarValue(scalar, IrOperand.Imm(bits, registerType));
        }

        private ScalarValue IntConstant(int value) => new(ScalarType(SpecialType.System_Int32), IrOperand.Imm(value & 0xFFFFFFFFL, IrType.S32));

        /// <summary>PTX has no predicate immediates: materialise true/false with a setp on constants.</summary>
        private IrOperand PredicateConstant(bool value)
        {
            var zero = _b.InRegister(IrOperand.Imm(0, IrType.U32));
            return _b.Setp(value ? CompareKind.Eq : CompareKind.Ne, IrType.U32, zero, IrOperand.Imm(0, IrType.U32));
        }

        private Value DefaultOf(ITypeSymbol? typeSymbol, IOperation at)
        {
            var type = TypeOf(typeSymbol, at.Syntax);
            return type is null ? PoisonValue.Instance : ZeroOf(type);
        }

        private Value ZeroOf(KType type)
        {
            switch (type)
            {
                case ScalarKType scalar:
                    return ConstantOf(scalar, scalar.Ir switch { IrType.F32 => 0f, IrType.F64 => 0d, IrType.Pred => false, _ => (object)0L });
                case StructKType structType:
                    return new StructValue(structType, structType.Fields.Select(f => ZeroOf(f.Type)).ToImmutableArray());
                case SpanKType span:
                    return new SpanValue(span, IrOperand.Imm(0, IrType.U64), IrOperand.Imm(0, IrType.S32), MemorySpace.Global);
                default:
                    return PoisonValue.Instance;
            }
        }

        // ---- assignments ----

        private Value LowerAssignment(ISimpleAssignmentOperation assignment)
        {
            if (assignment.IsRef)
            {
                // ref local = ref span[i]: bind the local to the memory place.
                if (assignment.Target is ILocalReferenceOperation local)
                {
                    var target = LowerPlace(assignment.Value);
                    _frame.Variables[local.Local] = target;
                    return NoValue.Instance;
                }
                ReportUnsupported(assignment, "This ref assignment");
                return PoisonValue.Instance;
            }
            var place = LowerPlace(assignment.Target);
            var value = Lower(assignment.Value);
            Write(place, value, assignment);
            return value;
        }

        private Value LowerCompoundAssignment(ICompoundAssignmentOperation compound)
        {
            if (compound.IsChecked)
            {
                ReportUnsupported(compound, "Checked arithmetic", ": kernels compute unchecked (wrap-around) like the GPU");
                return PoisonValue.Instance;
            }
            var place = LowerPlace(compound.Target);
            var current = Read(place, compound.Syntax);
            if (current is not ScalarValue)
            {
                if (current is not PoisonValue) ReportUnsupported(compound, "Compound assignment on a non-scalar");
                return PoisonValue.Instance;
            }
            var left = ApplyConversion(current, compound.InConversion, compound.Target, compound.OperatorMethod is null ? OperandTypeOf(compound) : null);
            var right = Lower(compound.Value);
            Value result;
            if (compound.OperatorMethod is { } method)
            {
                result = LowerUserOperator(method, compound, left, right);
            }
            else
            {
                var operandType = left is ScalarValue s ? (ScalarKType)s.Type! : null;
                result = operandType is null ? PoisonValue.Instance : Arithmetic(compound.OperatorKind, operandType, left, right, compound, ResultTypeOf(compound.OperatorKind, operandType));
            }
            var converted = ApplyConversion(result, compound.OutConversion, compound, TypeOf(compound.Target.Type, compound.Syntax));
            Write(place, converted, compound);
            return converted;
        }

        private ScalarKType? OperandTypeOf(ICompoundAssignmentOperation compound)
        {
            // With an in-conversion, the operator works on the converted (promoted) type: that is the type of the right operand
            // for arithmetic, or int for shifts.
            if (compound.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            {
                var targetType = ScalarTypeOf(compound.Target.Type, compound.Syntax);
                if (targetType is null) return null;
                return targetType.Ir is IrType.S8 or IrType.U8 or IrType.S16 or IrType.U16 ? ScalarType(SpecialType.System_Int32) : targetType;
            }
            return ScalarTypeOf(compound.Value.Type, compound.Syntax);
        }

        private Value LowerIncrement(IIncrementOrDecrementOperation increment)
        {
            if (increment.IsChecked)
            {
                ReportUnsupported(increment, "Checked arithmetic", ": kernels compute unchecked (wrap-around) like the GPU");
                return PoisonValue.Instance;
            }
            if (increment.OperatorMethod is not null && !KnownSymbols.Is(increment.OperatorMethod.ContainingType, _known.Half))
            {
                ReportUnsupported(increment, "A user-defined ++ or -- operator");
                return PoisonValue.Instance;
            }
            var place = LowerPlace(increment.Target);
            var current = Read(place, increment.Syntax);
            if (current is not ScalarValue scalar) return PoisonValue.Instance;
            // The old value is only needed (and copied) when a postfix result is used.
            bool resultUsed = increment.Parent is not null and not IExpressionStatementOperation;
            var old = increment.IsPostfix && resultUsed ? Copy(scalar) : scalar;
            var type = (ScalarKType)scalar.Type!;
            bool isIncrement = increment.Kind == OperationKind.Increment;
            Value updated;
            switch (type.Ir)
            {
                case IrType.F32:
                    updated = new ScalarValue(type, _b.Binary(isIncrement ? BinaryKind.Add : BinaryKind.Sub, IrType.F32, scalar.Operand, IrOperand.Float(1f)));
                    break;
                case IrType.F64:
                    updated = new ScalarValue(type, _b.Binary(isIncrement ? BinaryKind.Add : BinaryKind.Sub, IrType.F64, scalar.Operand, IrOperand.Double(1d)));
                    break;
                case IrType.F16:
                    {
                        var wide = _b.Cvt(IrType.F32, IrType.F16, RoundingKind.None, scalar.Operand);
                        var sum = _b.Binary(isIncrement ? BinaryKind.Add : BinaryKind.Sub, IrType.F32, wide, IrOperand.Float(1f));
                        updated = new ScalarValue(type, _b.Cvt(IrType.F16, IrType.F32, RoundingKind.Rn, sum));
                        break;
                    }
                case IrType.BF16:
                case IrType.Pred:
                    ReportUnsupported(increment, "++/-- on " + type.Symbol.ToDisplayString());
                    return PoisonValue.Instance;
                default:
                    {
                        // Sub-word integers: compute in 32 bits, then wrap back to the narrow type (C# semantics).
                        var computeType = type.Ir.Promoted() == IrType.S32 && type.Ir != IrType.S32 ? IrType.S32 : type.Ir;
                        var one = IrOperand.Imm(1, computeType);
                        var raw = _b.Binary(isIncrement ? BinaryKind.Add : BinaryKind.Sub, computeType, scalar.Operand, one);
                        updated = new ScalarValue(type, Narrow(raw, type.Ir));
                        break;
                    }
            }
            Write(place, updated, increment);
            return increment.IsPostfix ? old : updated;
        }

        // ---- flow captures ----

        private void LowerFlowCapture(IFlowCaptureOperation capture)
        {
            if (_frame.LvalueCaptures.Contains(capture.Id) && IsPlaceOperation(capture.Value) && !IsSpanType(capture.Value.Type))
            {
                // The graph captured a location (e.g. the target of `a[i] += c ? x : y`): evaluate its address now,
                // read and write it later.
                _frame.Captures[capture.Id] = LowerPlace(capture.Value);
                return;
            }
            var value = Lower(capture.Value);
            if (_frame.Captures.TryGetValue(capture.Id, out var existing))
            {
                Write(existing, value, capture);
                return;
            }
            var type = value.Type ?? TypeOf(capture.Value.Type, capture.Syntax);
            if (type is null || value is PoisonValue)
            {
                _frame.Captures[capture.Id] = new PoisonPlace(type ?? ScalarType(SpecialType.System_Int32));
                return;
            }
            _frame.Captures[capture.Id] = new VariablePlace(type, Copy(value));
        }

        private bool IsPlaceOperation(IOperation operation) => operation switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or IFlowCaptureReferenceOperation => true,
            IFieldReferenceOperation field => !field.Field.IsStatic && field.Instance is not null && IsPlaceOperation(field.Instance),
            IPropertyReferenceOperation property => property.Property.IsIndexer && property.Instance is not null && IsSpanType(property.Instance.Type),
            _ => false,
        };

        /// <summary>Whether a flow-capture reference is used as a location (assigned, incremented, passed by ref).</summary>
        private static bool IsLvalueUse(IOperation operation)
        {
            var parent = operation.Parent;
            switch (parent)
            {
                case IAssignmentOperation assignment when assignment.Target == operation:
                case IIncrementOrDecrementOperation:
                    return true;
                case IArgumentOperation argument:
                    return argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out;
                case IFieldReferenceOperation field when field.Instance == operation:
                    return IsLvalueUse(field);
                case IPropertyReferenceOperation property when property.Instance == operation:
                    return true;
                case IInvocationOperation invocation when invocation.Instance == operation:
                    return true;
                default:
                    return false;
            }
        }

        // ---- patterns (switch cases, `is` tests) ----

        private Value LowerIsPattern(IIsPatternOperation isPattern)
        {
            var input = Lower(isPattern.Value);
            if (input is not ScalarValue scalar)
            {
                if (input is not PoisonValue) ReportUnsupported(isPattern, "A pattern on a non-scalar value");
                return PoisonValue.Instance;
            }
            var result = LowerPattern(isPattern.Pattern, scalar);
            return result is { } p ? new ScalarValue(ScalarType(SpecialType.System_Boolean), p) : PoisonValue.Instance;
        }

        private IrOperand? LowerPattern(IPatternOperation pattern, ScalarValue input)
        {
            var type = (ScalarKType)input.Type!;
            switch (pattern)
            {
                case IDiscardPatternOperation:
                    return PredicateConstant(true);
                case IConstantPatternOperation constantPattern:
                    {
                        if (!TryConstant(constantPattern.Value, out var c)) break;
                        return Compare(type, input, c, constantPattern.Value, BinaryOperatorKind.Equals);
                    }
                case IRelationalPatternOperation relational:
                    {
                        if (!TryConstant(relational.Value, out var c)) break;
                        return Compare(type, input, c, relational.Value, relational.OperatorKind);
                    }
                case IBinaryPatternOperation binary:
                    {
                        var left = LowerPattern(binary.LeftPattern, input);
                        var right = LowerPattern(binary.RightPattern, input);
                        if (left is null || right is null) return null;
                        return _b.Binary(binary.OperatorKind == BinaryOperatorKind.And ? BinaryKind.And : BinaryKind.Or, IrType.Pred, left.Value, right.Value);
                    }
                case INegatedPatternOperation negated:
                    {
                        var inner = LowerPattern(negated.Pattern, input);
                        return inner is null ? null : _b.Unary(UnaryKind.Not, IrType.Pred, inner.Value);
                    }
            }
            ReportUnsupported(pattern, "This pattern", ": switch on integer constants and relational patterns (< 5, and, or, not)");
            return null;
        }

        private IrOperand? Compare(ScalarKType type, ScalarValue input, object constant, IOperation at, BinaryOperatorKind kind)
        {
            var converted = ConstantFolder.Convert(constant, type.Symbol.SpecialType == SpecialType.None && type.Symbol.TypeKind == TypeKind.Enum
                ? ((INamedTypeSymbol)type.Symbol).EnumUnderlyingType!.SpecialType
                : type.Symbol.SpecialType);
            if (converted is null || type.Ir is IrType.F16 or IrType.BF16)
            {
                ReportUnsupported(at, "A pattern constant of this type");
                return null;
            }
            if (converted is float f && float.IsNaN(f) || converted is double d && double.IsNaN(d))
            {
                return _b.Setp(CompareKind.Nan, type.Ir, input.Operand, input.Operand);
            }
            var right = (ScalarValue)ConstantOf(type, converted);
            var result = Arithmetic(kind, type, input, right, at, ScalarType(SpecialType.System_Boolean));
            return result is ScalarValue s ? s.Operand : null;
        }

        // ---- stackalloc ----

        private Value LowerStackAlloc(IOperation operation)
        {
            var syntax = (StackAllocArrayCreationExpressionSyntax)operation.Syntax;
            var spanType = TypeOf(operation.Type, operation.Syntax) as SpanKType;
            if (syntax.Initializer is not null)
            {
                ReportUnsupported(operation, "A stackalloc initializer", ": assign the elements after allocating");
                return PoisonValue.Instance;
            }
            var size = operation.ChildOperations.FirstOrDefault();
            if (size is null || !TryConstant(size, out var count) || count is not int and not long)
            {
                Report(DiagnosticDescriptors.ArgumentMustBeConstant, size?.Syntax ?? operation.Syntax, "The stackalloc length");
                return PoisonValue.Instance;
            }
            if (spanType is null) return PoisonValue.Instance;
            int elementSize = KernelTypeMapper.SizeOf(spanType.Element);
            long bytes = ConstantFolder.ToLong(count) * elementSize;
            if (bytes <= 0 || bytes > 64 * 1024)
            {
                ReportUnsupported(operation, "A stackalloc of " + bytes + " bytes", ": a local array must hold between 1 byte and 64 KB");
                return PoisonValue.Instance;
            }
            var name = "__local_" + _localArrays.Count;
            _localArrays.Add(new IrArray(name, 16, (int)bytes, SourceOf(operation.Syntax)));
            var pointer = _b.NewRegister(IrType.U64);
            _b.Mov(pointer, IrOperand.Symbol(name));
            return new SpanValue(spanType, pointer, IrOperand.Imm(ConstantFolder.ToLong(count), IrType.S32), MemorySpace.Local);
        }
    }
}
