using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// Compile-time evaluation beyond C# constants: static abstract members of [Specialize] type arguments,
    /// expression-bodied static getters, static readonly fields with constant initialisers, Gpu.IsDevice,
    /// arithmetic and conditional expressions over them, and calls with constant arguments to expression-bodied
    /// non-generic static methods (<c>static int Tiles(int m) =&gt; m &gt;&gt; 2</c>) and to Math.Min/Max and
    /// BitOperations' counts. Used for immediates, required-constant arguments and dead-branch removal.
    /// </summary>
    internal sealed partial class KernelLowerer
    {
        private int _constantDepth;

        /// <summary>Parameters of the helper calls being evaluated at compile time, bound to their constant arguments.</summary>
        private readonly Stack<Dictionary<IParameterSymbol, object>> _constantArguments = new();

        private bool TryConstant(IOperation operation, out object value)
        {
            value = null!;
            if (operation.ConstantValue.HasValue)
            {
                if (operation.ConstantValue.Value is null) return false;
                value = operation.ConstantValue.Value;
                return true;
            }
            if (_constantDepth > 256) return false;
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
                case IParameterReferenceOperation parameter when _constantArguments.Count > 0:
                    return _constantArguments.Peek().TryGetValue(parameter.Parameter.OriginalDefinition, out var bound) ? bound : null;
                case IConditionalOperation conditional when conditional.WhenFalse is not null:
                    {
                        if (!TryConstant(conditional.Condition, out var condition) || condition is not bool taken) return null;
                        return TryConstant(taken ? conditional.WhenTrue : conditional.WhenFalse, out var chosen) ? chosen : null;
                    }
                case IInvocationOperation invocation when invocation.Instance is null:
                    return EvaluateCall(invocation);
                default:
                    return null;
            }
        }

        /// <summary>A static call whose arguments are all constants: a pure BCL helper, or a source method with one expression body.</summary>
        private object? EvaluateCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var arguments = new object[invocation.Arguments.Length];
            for (int i = 0; i < arguments.Length; i++)
            {
                var argument = invocation.Arguments[i];
                if (argument.Parameter is null || argument.Parameter.RefKind != RefKind.None || !TryConstant(argument.Value, out arguments[i])) return null;
            }
            if (KnownSymbols.Is(method.ContainingType, _known.Math) || KnownSymbols.Is(method.ContainingType, _known.BitOperations))
                return ConstantFolder.PureCall(method.ContainingType.Name, method.Name, arguments);
            if (method.IsGenericMethod || !method.IsStatic || method.ContainingType.IsGenericType || !HasSource(method)) return null;
            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
            if (syntax is not MethodDeclarationSyntax { ExpressionBody.Expression: { } body }) return null;
            var operation = _compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body, _cancellationToken);
            if (operation is null) return null;
            var bindings = new Dictionary<IParameterSymbol, object>(SymbolEqualityComparer.Default);
            for (int i = 0; i < arguments.Length; i++) bindings[invocation.Arguments[i].Parameter!.OriginalDefinition] = arguments[i];
            _constantArguments.Push(bindings);
            try
            {
                return TryConstant(operation, out var value) ? value : null;
            }
            finally
            {
                _constantArguments.Pop();
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
