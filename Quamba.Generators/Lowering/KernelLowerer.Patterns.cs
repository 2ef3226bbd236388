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
    /// <summary>Patterns of switch cases and `is` tests: constants, relational, and/or/not, discard.</summary>
    internal sealed partial class KernelLowerer
    {
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
    }
}
