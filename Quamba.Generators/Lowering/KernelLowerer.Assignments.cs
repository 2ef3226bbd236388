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
    /// <summary>Assignment, compound assignment (with C#'s in/out conversions) and ++/--.</summary>
    internal sealed partial class KernelLowerer
    {
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
    }
}
