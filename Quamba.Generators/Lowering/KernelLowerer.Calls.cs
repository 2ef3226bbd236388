using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// Calls: intrinsics become instructions; methods, property getters, constructors and operators with source
    /// are inlined (there are no device calls); static abstract members resolve through the [Specialize] types.
    /// </summary>
    internal sealed partial class KernelLowerer
    {
        private const int MaxInlineDepth = 64;
        private int _inlineDepth;

        private Value LowerInvocation(IInvocationOperation invocation)
        {
            var method = ResolveStaticAbstract(invocation.TargetMethod, invocation.ConstrainedToType);
            int previousSource = _b.CurrentSource;
            _b.CurrentSource = SourceOf(invocation.Syntax);
            try
            {
                if (TryLowerIntrinsic(invocation, method, out var intrinsic)) return intrinsic;
                if (!HasSource(method))
                {
                    Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
                    return PoisonValue.Instance;
                }
                Place? receiver = invocation.Instance is null ? null : ReceiverPlace(invocation.Instance);
                var arguments = LowerArguments(invocation.Arguments);
                return InlineCall(method, receiver, arguments, invocation);
            }
            finally
            {
                _b.CurrentSource = previousSource;
            }
        }

        /// <summary>Arguments in parameter order: places for ref/out, values (stabilised against later side effects) otherwise.</summary>
        private object[] LowerArguments(IReadOnlyList<IArgumentOperation> arguments)
        {
            var result = new object[arguments.Count];
            for (int i = 0; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                {
                    result[i] = LowerPlace(argument.Value);
                    continue;
                }
                var value = Lower(argument.Value);
                bool laterSideEffects = arguments.Skip(i + 1).Any(a => HasSideEffects(a.Value));
                result[i] = laterSideEffects ? Copy(value) : value;
            }
            return result;
        }

        private Place ReceiverPlace(IOperation instance)
        {
            if (IsPlaceOperation(instance)) return LowerPlace(instance);
            var value = Lower(instance);
            var type = value.Type ?? TypeOf(instance.Type, instance.Syntax);
            return type is null || value is PoisonValue ? new PoisonPlace(type ?? ScalarType(SpecialType.System_Int32)) : new VariablePlace(type, Copy(value));
        }

        private IMethodSymbol ResolveStaticAbstract(IMethodSymbol method, ITypeSymbol? constrainedTo)
        {
            if (constrainedTo is null || !method.IsStatic || method.ContainingType.TypeKind != TypeKind.Interface) return method;
            var concrete = Substitute(constrainedTo);
            if (concrete is ITypeParameterSymbol) return method;
            // A generic interface (ISsmState<TState>) is named through the type parameters of the frame: look the member up
            // in the interface constructed with the frame's type arguments, which is the one the concrete type implements.
            if (method.ContainingType.IsGenericType && Substitute(method.ContainingType) is INamedTypeSymbol constructed)
            {
                foreach (var member in constructed.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol candidate && SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method.OriginalDefinition))
                    {
                        method = candidate;
                        break;
                    }
                }
            }
            return concrete.FindImplementationForInterfaceMember(method) as IMethodSymbol ?? method;
        }

        private static bool HasSource(IMethodSymbol method) =>
            !method.IsAbstract && !method.IsExtern && !method.IsImplicitlyDeclared && method.DeclaringSyntaxReferences.Length > 0;

        private Value LowerPropertyRead(IPropertyReferenceOperation reference)
        {
            var property = reference.Property;
            if (property.IsIndexer && reference.Instance is not null && IsSpanType(reference.Instance.Type))
            {
                return Read(ElementPlace(reference), reference.Syntax);
            }
            if (TryLowerIntrinsicProperty(reference, out var intrinsic)) return intrinsic;

            var getter = property.GetMethod;
            if (getter is null)
            {
                ReportUnsupported(reference, "A property without a getter");
                return PoisonValue.Instance;
            }
            getter = ResolveStaticAbstract(getter, reference.ConstrainedToType);
            if (!HasSource(getter))
            {
                Report(DiagnosticDescriptors.NoDeviceImplementation, reference.Syntax, property.ToDisplayString());
                return PoisonValue.Instance;
            }
            Place? receiver = reference.Instance is null ? null : ReceiverPlace(reference.Instance);
            return InlineCall(getter, receiver, LowerArguments(reference.Arguments), reference);
        }

        private Value LowerObjectCreation(IObjectCreationOperation creation)
        {
            var type = TypeOf(creation.Type, creation.Syntax);
            if (type is null) return PoisonValue.Instance;
            if (creation.Initializer is not null && creation.Initializer.Initializers.Length > 0)
            {
                ReportUnsupported(creation, "An object initializer here");
                return PoisonValue.Instance;
            }
            var constructor = creation.Constructor;
            if (type is ScalarKType scalar)
            {
                if (scalar.Ir == IrType.BF16 && creation.Arguments.Length == 1)
                {
                    // new BFloat16(ushort bits): reinterpret the low 16 bits.
                    var bits = Lower(creation.Arguments[0].Value);
                    if (bits is not ScalarValue b) return PoisonValue.Instance;
                    var register = _b.NewRegister(IrType.BF16);
                    _b.Mov(register, _b.InRegister(b.Operand));
                    return new ScalarValue(scalar, register);
                }
                if (creation.Arguments.Length == 0) return ZeroOf(scalar);
            }
            if (type is StructKType structType)
            {
                var place = new VariablePlace(structType, Copy(ZeroOf(structType)));
                if (constructor is not null && HasSource(constructor))
                {
                    InlineCall(constructor, place, LowerArguments(creation.Arguments), creation);
                }
                else if (creation.Arguments.Length > 0)
                {
                    Report(DiagnosticDescriptors.NoDeviceImplementation, creation.Syntax, constructor?.ToDisplayString() ?? creation.Syntax.ToString());
                    return PoisonValue.Instance;
                }
                return place.Storage!;
            }
            ReportUnsupported(creation, "Creating a " + type.Symbol.ToDisplayString());
            return PoisonValue.Instance;
        }

        /// <summary>
        /// Inlines a method with source: a new frame binds parameters (copies for values, aliases for ref),
        /// `this`, and a return slot, then the callee's control-flow graph is lowered in place.
        /// </summary>
        private Value InlineCall(IMethodSymbol method, Place? receiver, object[] arguments, IOperation at)
        {
            if (_frame.IsActive(method))
            {
                Report(DiagnosticDescriptors.Recursion, at.Syntax, method.ToDisplayString(), _frame.Method.ToDisplayString());
                return PoisonValue.Instance;
            }
            if (!HasSource(method))
            {
                Report(DiagnosticDescriptors.NoDeviceImplementation, at.Syntax, method.ToDisplayString());
                return PoisonValue.Instance;
            }
            if (_inlineDepth >= MaxInlineDepth)
            {
                ReportUnsupported(at, "Helper calls nested more than " + MaxInlineDepth + " deep");
                return PoisonValue.Instance;
            }
            if (arguments.Any(a => a is PoisonValue || a is PoisonPlace)) return PoisonValue.Instance;

            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
            var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
            var body = model.GetOperation(syntax, _cancellationToken);
            if (body is null)
            {
                Report(DiagnosticDescriptors.NoDeviceImplementation, at.Syntax, method.ToDisplayString());
                return PoisonValue.Instance;
            }

            var typeMap = new Dictionary<ITypeParameterSymbol, ITypeSymbol>(SymbolEqualityComparer.Default);
            var definition = method.OriginalDefinition;
            for (int i = 0; i < definition.TypeParameters.Length && i < method.TypeArguments.Length; i++)
            {
                typeMap[definition.TypeParameters[i]] = Substitute(method.TypeArguments[i]);
            }
            var containing = method.ContainingType;
            for (int i = 0; i < containing.OriginalDefinition.TypeParameters.Length && i < containing.TypeArguments.Length; i++)
            {
                typeMap[containing.OriginalDefinition.TypeParameters[i]] = Substitute(containing.TypeArguments[i]);
            }

            var callee = new Frame(method, typeMap, _frame) { This = receiver };
            var caller = _frame;
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var parameter = method.Parameters[i];
                var argument = i < arguments.Length ? arguments[i] : null;
                switch (argument)
                {
                    case Place place:
                        callee.Variables[parameter.OriginalDefinition] = place;
                        break;
                    case Value value:
                        {
                            var type = value.Type ?? TypeOf(parameter.Type, at.Syntax);
                            if (type is null) return PoisonValue.Instance;
                            callee.Variables[parameter.OriginalDefinition] = new VariablePlace(type, Copy(value));
                            break;
                        }
                    default:
                        ReportUnsupported(at, "A call that omits optional arguments");
                        return PoisonValue.Instance;
                }
            }
            if (!method.ReturnsVoid && method.MethodKind != MethodKind.Constructor)
            {
                _frame = callee;
                var returnType = TypeOf(method.ReturnType, at.Syntax);
                _frame = caller;
                if (returnType is null) return PoisonValue.Instance;
                if (method.ReturnsByRef || method.ReturnsByRefReadonly)
                {
                    ReportUnsupported(at, "A method that returns by ref");
                    return PoisonValue.Instance;
                }
                callee.ReturnSlot = new VariablePlace(returnType, NewStorage(returnType));
            }

            _frame = callee;
            _inlineDepth++;
            bool wasInLoop = _frameInLoop;
            _frameInLoop = _blockInLoop;
            try
            {
                LowerBody(body, isKernel: false);
            }
            finally
            {
                _frameInLoop = wasInLoop;
                _inlineDepth--;
                _frame = caller;
            }
            if (method.ReturnsVoid || method.MethodKind == MethodKind.Constructor) return NoValue.Instance;
            return callee.ReturnSlot is VariablePlace { Storage: { } result } ? result : PoisonValue.Instance;
        }
    }
}
