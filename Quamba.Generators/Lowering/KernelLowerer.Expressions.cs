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
    }
}
