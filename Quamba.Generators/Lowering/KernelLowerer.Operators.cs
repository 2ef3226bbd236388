using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>Binary and unary operators with C# semantics: promotions, masked shifts, signedness, NaN comparisons.</summary>
    internal sealed partial class KernelLowerer
    {
        private static bool HasSideEffects(IOperation operation) =>
            operation.DescendantsAndSelf().Any(o => o is IAssignmentOperation or IIncrementOrDecrementOperation or IInvocationOperation or IObjectCreationOperation);

        private Value LowerBinary(IBinaryOperation binary)
        {
            if (binary.IsLifted)
            {
                ReportUnsupported(binary, "A nullable (lifted) operator");
                return PoisonValue.Instance;
            }
            if (binary.IsChecked)
            {
                ReportUnsupported(binary, "Checked arithmetic", ": kernels compute unchecked (wrap-around) like the GPU");
                return PoisonValue.Instance;
            }
            if (binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr && HasSideEffects(binary.RightOperand))
            {
                ReportUnsupported(binary, "A short-circuit operator here");
                return PoisonValue.Instance;
            }
            var left = Lower(binary.LeftOperand);
            if (HasSideEffects(binary.RightOperand)) left = Copy(left);
            var right = Lower(binary.RightOperand);
            if (left is PoisonValue || right is PoisonValue) return PoisonValue.Instance;
            if (binary.OperatorMethod is { } method) return LowerUserOperator(method, binary, left, right);

            var operandType = ScalarTypeOf(binary.LeftOperand.Type, binary.Syntax);
            var resultType = ScalarTypeOf(binary.Type, binary.Syntax);
            if (operandType is null || resultType is null) return PoisonValue.Instance;
            return Arithmetic(binary.OperatorKind, operandType, left, right, binary, resultType);
        }

        private ScalarKType ResultTypeOf(BinaryOperatorKind kind, ScalarKType operandType) => kind switch
        {
            BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => ScalarType(SpecialType.System_Boolean),
            _ => operandType,
        };

        /// <summary>A built-in binary operator on scalars of <paramref name="type"/> (already promoted by the C# compiler).</summary>
        private Value Arithmetic(BinaryOperatorKind kind, ScalarKType type, Value leftValue, Value rightValue, IOperation at, ScalarKType resultType)
        {
            if (leftValue is not ScalarValue left || rightValue is not ScalarValue right) return PoisonValue.Instance;
            var t = type.Ir;
            var a = left.Operand;
            var b = right.Operand;

            if (t is IrType.F16 or IrType.BF16)
            {
                ReportUnsupported(at, "Arithmetic on " + type.Symbol.ToDisplayString(), ": convert to float first");
                return PoisonValue.Instance;
            }
            if (t == IrType.Pred)
            {
                switch (kind)
                {
                    case BinaryOperatorKind.And:
                    case BinaryOperatorKind.ConditionalAnd:
                        return Bool(_b.Binary(BinaryKind.And, IrType.Pred, a, _b.InRegister(b)));
                    case BinaryOperatorKind.Or:
                    case BinaryOperatorKind.ConditionalOr:
                        return Bool(_b.Binary(BinaryKind.Or, IrType.Pred, a, _b.InRegister(b)));
                    case BinaryOperatorKind.ExclusiveOr:
                    case BinaryOperatorKind.NotEquals:
                        return Bool(_b.Binary(BinaryKind.Xor, IrType.Pred, a, _b.InRegister(b)));
                    case BinaryOperatorKind.Equals:
                        return Bool(_b.Unary(UnaryKind.Not, IrType.Pred, _b.Binary(BinaryKind.Xor, IrType.Pred, a, _b.InRegister(b))));
                }
                ReportUnsupported(at, "Operator " + kind + " on bool");
                return PoisonValue.Instance;
            }

            bool isFloat = t.IsFloat();
            switch (kind)
            {
                case BinaryOperatorKind.Add: return new ScalarValue(resultType, _b.Binary(BinaryKind.Add, t, a, b));
                case BinaryOperatorKind.Subtract: return new ScalarValue(resultType, _b.Binary(BinaryKind.Sub, t, a, b));
                case BinaryOperatorKind.Multiply: return new ScalarValue(resultType, _b.Binary(BinaryKind.Mul, t, a, b));
                case BinaryOperatorKind.Divide: return new ScalarValue(resultType, _b.Binary(BinaryKind.Div, t, a, b));
                case BinaryOperatorKind.Remainder:
                    if (isFloat)
                    {
                        ReportUnsupported(at, "Floating-point %", ": PTX has no exact fmod; compute x - MathF.Truncate(x / y) * y if an approximation is acceptable");
                        return PoisonValue.Instance;
                    }
                    return new ScalarValue(resultType, _b.Binary(BinaryKind.Rem, t, a, b));
                case BinaryOperatorKind.And: return new ScalarValue(resultType, _b.Binary(BinaryKind.And, t, a, b));
                case BinaryOperatorKind.Or: return new ScalarValue(resultType, _b.Binary(BinaryKind.Or, t, a, b));
                case BinaryOperatorKind.ExclusiveOr: return new ScalarValue(resultType, _b.Binary(BinaryKind.Xor, t, a, b));
                case BinaryOperatorKind.LeftShift:
                case BinaryOperatorKind.RightShift:
                case BinaryOperatorKind.UnsignedRightShift:
                    {
                        // C# masks the count (& 31, & 63); PTX shifts by the full amount (shl.b32 by 40 gives 0).
                        int mask = t.Is64Bit() ? 63 : 31;
                        var count = b.IsImmediate
                            ? IrOperand.Imm(b.Bits & mask, IrType.U32)
                            : _b.Binary(BinaryKind.And, IrType.U32, b, IrOperand.Imm(mask, IrType.U32));
                        if (kind == BinaryOperatorKind.LeftShift) return new ScalarValue(resultType, _b.Binary(BinaryKind.Shl, t, a, count));
                        var shiftType = kind == BinaryOperatorKind.UnsignedRightShift ? Unsigned(t) : t;
                        return new ScalarValue(resultType, _b.Binary(BinaryKind.Shr, shiftType, a, count, t));
                    }
                case BinaryOperatorKind.Equals: return Bool(_b.Setp(CompareKind.Eq, t, a, b));
                // C#: x != y is true when either is NaN, so floats use the unordered form.
                case BinaryOperatorKind.NotEquals: return Bool(_b.Setp(isFloat ? CompareKind.NeU : CompareKind.Ne, t, a, b));
                case BinaryOperatorKind.LessThan: return Bool(_b.Setp(CompareKind.Lt, t, a, b));
                case BinaryOperatorKind.LessThanOrEqual: return Bool(_b.Setp(CompareKind.Le, t, a, b));
                case BinaryOperatorKind.GreaterThan: return Bool(_b.Setp(CompareKind.Gt, t, a, b));
                case BinaryOperatorKind.GreaterThanOrEqual: return Bool(_b.Setp(CompareKind.Ge, t, a, b));
            }
            ReportUnsupported(at, "Operator " + kind);
            return PoisonValue.Instance;
        }

        private static IrType Unsigned(IrType t) => t switch
        {
            IrType.S32 => IrType.U32,
            IrType.S64 => IrType.U64,
            _ => t,
        };

        private ScalarValue Bool(IrOperand predicate) => new(ScalarType(SpecialType.System_Boolean), predicate);

        private Value LowerUnary(IUnaryOperation unary)
        {
            if (unary.IsLifted || unary.IsChecked)
            {
                ReportUnsupported(unary, unary.IsLifted ? "A nullable (lifted) operator" : "Checked arithmetic");
                return PoisonValue.Instance;
            }
            var operand = Lower(unary.Operand);
            if (operand is not ScalarValue scalar) return PoisonValue.Instance;
            if (unary.OperatorMethod is { } method) return LowerUserOperator(method, unary, scalar, null);
            var type = ScalarTypeOf(unary.Type, unary.Syntax);
            if (type is null) return PoisonValue.Instance;
            switch (unary.OperatorKind)
            {
                case UnaryOperatorKind.Plus:
                    return new ScalarValue(type, scalar.Operand);
                case UnaryOperatorKind.Minus when type.Ir is IrType.S32 or IrType.S64 or IrType.F32 or IrType.F64:
                    return new ScalarValue(type, _b.Unary(UnaryKind.Neg, type.Ir, scalar.Operand));
                case UnaryOperatorKind.BitwiseNegation when type.Ir.IsInteger():
                    return new ScalarValue(type, _b.Unary(UnaryKind.Not, type.Ir, scalar.Operand));
                case UnaryOperatorKind.Not when type.Ir == IrType.Pred:
                    return new ScalarValue(type, _b.Unary(UnaryKind.Not, IrType.Pred, scalar.Operand));
            }
            ReportUnsupported(unary, "Operator " + unary.OperatorKind + " on " + type.Symbol.ToDisplayString());
            return PoisonValue.Instance;
        }

        /// <summary>An operator implemented by a method: System.Half's (computed in float, as .NET does) or a user struct's (inlined).</summary>
        private Value LowerUserOperator(IMethodSymbol method, IOperation at, Value left, Value? right)
        {
            if (KnownSymbols.Is(method.ContainingType, _known.Half)) return LowerHalfOperator(method.Name, at, left, right);
            var arguments = right is null ? new[] { left } : new[] { left, right };
            return InlineCall(method, null, arguments, at);
        }

        private Value LowerHalfOperator(string name, IOperation at, Value left, Value? right)
        {
            var half = ScalarType(SpecialType.System_Single);
            var halfType = (ScalarKType)_types.Map(_known.Half!)!;
            IrOperand Widen(Value v) => _b.Cvt(IrType.F32, IrType.F16, RoundingKind.None, ((ScalarValue)v).Operand);
            if (left is not ScalarValue || right is not null and not ScalarValue) return PoisonValue.Instance;

            BinaryKind? arithmetic = name switch
            {
                "op_Addition" => BinaryKind.Add,
                "op_Subtraction" => BinaryKind.Sub,
                "op_Multiply" => BinaryKind.Mul,
                "op_Division" => BinaryKind.Div,
                _ => null,
            };
            if (arithmetic is { } kind && right is not null)
            {
                // .NET computes Half arithmetic as (Half)((float)a op (float)b): exact operands, one rounding to half.
                var result = _b.Binary(kind, IrType.F32, Widen(left), Widen(right));
                return new ScalarValue(halfType, _b.Cvt(IrType.F16, IrType.F32, RoundingKind.Rn, result));
            }
            BinaryOperatorKind? comparison = name switch
            {
                "op_Equality" => BinaryOperatorKind.Equals,
                "op_Inequality" => BinaryOperatorKind.NotEquals,
                "op_LessThan" => BinaryOperatorKind.LessThan,
                "op_LessThanOrEqual" => BinaryOperatorKind.LessThanOrEqual,
                "op_GreaterThan" => BinaryOperatorKind.GreaterThan,
                "op_GreaterThanOrEqual" => BinaryOperatorKind.GreaterThanOrEqual,
                _ => null,
            };
            if (comparison is { } compare && right is not null)
            {
                return Arithmetic(compare, half, new ScalarValue(half, Widen(left)), new ScalarValue(half, Widen(right)), at, ScalarType(SpecialType.System_Boolean));
            }
            if (name == "op_UnaryNegation" && right is null)
            {
                var negated = _b.Unary(UnaryKind.Neg, IrType.F32, Widen(left));
                return new ScalarValue(halfType, _b.Cvt(IrType.F16, IrType.F32, RoundingKind.Rn, negated));
            }
            if (name == "op_UnaryPlus" && right is null) return left;
            ReportUnsupported(at, "System.Half." + name, ": convert to float");
            return PoisonValue.Instance;
        }
    }
}
