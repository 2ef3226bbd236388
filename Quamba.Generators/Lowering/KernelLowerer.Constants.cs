using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// Compile-time evaluation beyond C# constants: static abstract members of [Specialize] type arguments,
    /// expression-bodied static getters, static readonly fields with constant initialisers, Gpu.IsDevice,
    /// and arithmetic over them. Used for immediates, required-constant arguments and dead-branch removal.
    /// </summary>
    internal sealed partial class KernelLowerer
    {
        private int _constantDepth;

        private bool TryConstant(IOperation operation, out object value)
        {
            value = null!;
            if (operation.ConstantValue.HasValue)
            {
                if (operation.ConstantValue.Value is null) return false;
                value = operation.ConstantValue.Value;
                return true;
            }
            if (_constantDepth > 32) return false;
            _constantDepth++;
            try
            {
                object? result = Evaluate(operation);
                if (result is null) return false;
                value = result;
                return true;
            }
            finally
            {
                _constantDepth--;
            }
        }

        private object? Evaluate(IOperation operation)
        {
            switch (operation)
            {
                case IArgumentOperation argument:
                    return TryConstant(argument.Value, out var a) ? a : null;
                case IParenthesizedOperation parenthesized:
                    return TryConstant(parenthesized.Operand, out var p) ? p : null;
                case IPropertyReferenceOperation property when property.Instance is null && property.Arguments.Length == 0:
                    {
                        if (KnownSymbols.Is(property.Property.ContainingType, _known.Gpu) && property.Property.Name == "IsDevice") return true;
                        var getter = property.Property.GetMethod;
                        if (getter is null) return null;
                        getter = ResolveStaticAbstract(getter, property.ConstrainedToType);
                        return EvaluateGetter(getter);
                    }
                case IFieldReferenceOperation field when field.Field.IsStatic && field.Field.IsReadOnly:
                    return EvaluateReadonlyField(field.Field);
                case IConversionOperation conversion when !conversion.Conversion.IsUserDefined && !conversion.IsChecked:
                    {
                        if (!TryConstant(conversion.Operand, out var operand)) return null;
                        var target = conversion.Type is null ? null : Substitute(conversion.Type);
                        if (target is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying }) target = underlying;
                        return target is null ? null : ConstantFolder.Convert(operand, target.SpecialType);
                    }
                case IBinaryOperation binary when binary.OperatorMethod is null && !binary.IsChecked && !binary.IsLifted:
                    {
                        if (!TryConstant(binary.LeftOperand, out var left) || !TryConstant(binary.RightOperand, out var right)) return null;
                        var operandType = binary.LeftOperand.Type is null ? SpecialType.None : Underlying(Substitute(binary.LeftOperand.Type));
                        var resultType = binary.Type is null ? SpecialType.None : Underlying(Substitute(binary.Type));
                        return ConstantFolder.Binary(binary.OperatorKind, left, right, operandType, resultType);
                    }
                case IUnaryOperation unary when unary.OperatorMethod is null && !unary.IsChecked && !unary.IsLifted:
                    {
                        if (!TryConstant(unary.Operand, out var operand)) return null;
                        var type = unary.Type is null ? SpecialType.None : Underlying(Substitute(unary.Type));
                        return ConstantFolder.Unary(unary.OperatorKind, operand, type);
                    }
                default:
                    return null;
            }
        }

        private static SpecialType Underlying(ITypeSymbol type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying } ? underlying.SpecialType : type.SpecialType;

        /// <summary>A static getter whose body is a single expression (=> 64, or { get { return 64; } }).</summary>
        private object? EvaluateGetter(IMethodSymbol getter)
        {
            if (!getter.IsStatic || !HasSource(getter)) return null;
            var syntax = getter.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
            ExpressionSyntax? expression = syntax switch
            {
                ArrowExpressionClauseSyntax arrow => arrow.Expression,
                AccessorDeclarationSyntax { ExpressionBody: { } body } => body.Expression,
                AccessorDeclarationSyntax { Body.Statements.Count: 1 } accessor when accessor.Body!.Statements[0] is ReturnStatementSyntax { Expression: { } returned } => returned,
                _ => null,
            };
            if (expression is null) return null;
            var model = _compilation.GetSemanticModel(expression.SyntaxTree);
            var operation = model.GetOperation(expression, _cancellationToken);
            if (operation is null) return null;
            // The getter's own expression may name other static abstract members of its type: evaluate it in a frame
            // where the containing type is the concrete one (no type parameters to substitute).
            return TryConstant(operation, out var value) ? value : null;
        }

        private object? EvaluateReadonlyField(IFieldSymbol field)
        {
            if (field.Type.SpecialType == SpecialType.None) return null;
            foreach (var reference in field.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(_cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer })
                {
                    var model = _compilation.GetSemanticModel(initializer.SyntaxTree);
                    var constant = model.GetConstantValue(initializer, _cancellationToken);
                    if (constant.HasValue && constant.Value is not null) return ConstantFolder.Convert(constant.Value, field.Type.SpecialType);
                }
            }
            return null;
        }
    }
}
