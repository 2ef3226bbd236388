using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Discovery
{
    /// <summary>
    /// The front end for one [Kernel] method: checks the signature, expands [Specialize] instances, and lowers
    /// each to IR. Never throws: an exception becomes an internal-error diagnostic on the kernel.
    /// </summary>
    internal static class KernelDiscovery
    {
        public const string KernelAttributeName = "Quamba.Kernels.KernelAttribute";
        public const string SpecializeAttributeName = "Quamba.Kernels.SpecializeAttribute";

        private static readonly HashSet<int> KnownArchitectures = new() { 50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90, 100, 101, 103, 120, 121 };

        public static KernelFrontEnd Transform(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var instances = new List<KernelInstance>();
            var locations = new List<InstanceLocations>();
            if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
            {
                return new KernelFrontEnd(EquatableArray<KernelInstance>.Empty, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<InstanceLocations>.Empty);
            }
            var kernelLocation = LocationInfo.From(syntax.Identifier.GetLocation());
            try
            {
                TestHooks.Enter("FrontEnd");
                var compilation = context.SemanticModel.Compilation;
                bool valid = CheckSignature(method, syntax, diagnostics);
                int targetSm = ReadTargetSm(context.Attributes, diagnostics);
                CheckMaxRegisters(context.Attributes, diagnostics);
                var specializations = ReadSpecializations(method, syntax, compilation, diagnostics);
                if (valid && !diagnostics.Any(d => d.IsError))
                {
                    var known = new KnownSymbols(compilation);
                    foreach (var typeArguments in specializations)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var identity = BuildIdentity(method, typeArguments, known, diagnostics);
                        if (identity is null) continue;
                        var lowerer = new KernelLowerer(compilation, known, cancellationToken);
                        var result = lowerer.Lower(method, syntax, typeArguments, identity.EntryPoint);
                        diagnostics.AddRange(result.Diagnostics);
                        instances.Add(new KernelInstance(identity, targetSm, result.Function));
                        locations.Add(new InstanceLocations(identity.HintName, result.SourceLocations.ToEquatableArray()));
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, kernelLocation, method.Name, exception.GetType().Name + ": " + exception.Message));
                instances.Clear();
            }
            return new KernelFrontEnd(
                instances.ToEquatableArray(),
                diagnostics.Distinct().ToEquatableArray(),
                locations.ToEquatableArray());
        }

        private static bool CheckSignature(IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
        {
            var location = LocationInfo.From(syntax.Identifier.GetLocation());
            void Fail(string why) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidKernelSignature, location, method.Name, why));
            int before = diagnostics.Count;
            if (!method.IsStatic) Fail("is not static");
            if (!method.ReturnsVoid) Fail("does not return void");
            if (method.IsAsync) Fail("is async");
            if (method.IsExtern || syntax.Body is null && syntax.ExpressionBody is null) Fail("has no body");
            var containing = method.ContainingType;
            if (containing.TypeKind != TypeKind.Class || !containing.IsStatic) Fail("is not in a static class");
            for (var type = containing; type is not null; type = type.ContainingType)
            {
                if (type.IsGenericType) Fail("is in a generic type");
                bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
                    r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial) Fail("is in type '" + type.Name + "', which is not partial");
            }
            int kernelsWithThisName = containing.GetMembers(method.Name).OfType<IMethodSymbol>()
                .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KernelAttributeName));
            if (kernelsWithThisName > 1) Fail("is overloaded; kernels need unique names within their class");
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name is "stream" or "config") Fail("has a parameter named '" + parameter.Name + "', a name the generated Launch/Emulate methods use; rename it");
                if (parameter.RefKind != RefKind.None)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, LocationInfo.From(parameter.Locations.FirstOrDefault()),
                        parameter.Name, method.Name, parameter.RefKind.ToString().ToLowerInvariant() + " " + parameter.Type.ToDisplayString()));
                }
            }
            return diagnostics.Count == before;
        }

        private static int ReadTargetSm(ImmutableArray<AttributeData> attributes, List<DiagnosticInfo> diagnostics)
        {
            foreach (var attribute in attributes)
            {
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key != "TargetSm" || argument.Value.Value is not int sm) continue;
                    if (sm == 0) return 0;
                    if (!KnownArchitectures.Contains(sm))
                    {
                        var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation());
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTargetSm, location, sm));
                        return 0;
                    }
                    return sm;
                }
            }
            return 0;
        }

        private static void CheckMaxRegisters(ImmutableArray<AttributeData> attributes, List<DiagnosticInfo> diagnostics)
        {
            foreach (var attribute in attributes)
            {
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key != "MaxRegisters" || argument.Value.Value is not int count || count == 0 || KernelAttributes.IsValidRegisterLimit(count)) continue;
                    var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation());
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMaxRegisters, location, count, KernelAttributes.MinRegisters, KernelAttributes.MaxRegisterLimit));
                }
            }
        }

        public static bool IsKnownArchitecture(int sm) => KnownArchitectures.Contains(sm);

        private static List<IReadOnlyList<ITypeSymbol>> ReadSpecializations(IMethodSymbol method, MethodDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics)
        {
            var result = new List<IReadOnlyList<ITypeSymbol>>();
            var seen = new HashSet<string>();
            var kernelLocation = LocationInfo.From(syntax.Identifier.GetLocation());
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != SpecializeAttributeName) continue;
                var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation()) ?? kernelLocation;
                void Fail(string why) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSpecialization, location, method.Name, why));
                var types = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
                    ? attribute.ConstructorArguments[0].Values.Select(v => v.Value as ITypeSymbol).ToList()
                    : new List<ITypeSymbol?>();
                if (method.TypeParameters.Length == 0)
                {
                    Fail("[Specialize] needs a generic kernel; this one has no type parameters");
                    continue;
                }
                if (types.Count != method.TypeParameters.Length || types.Any(t => t is null || t is IErrorTypeSymbol))
                {
                    Fail($"[Specialize] must give {method.TypeParameters.Length} type argument(s), one per type parameter");
                    continue;
                }
                var typeArguments = types.Select(t => t!).ToList();
                bool satisfies = true;
                for (int i = 0; i < typeArguments.Count; i++)
                {
                    var parameter = method.TypeParameters[i];
                    var argument = typeArguments[i];
                    foreach (var open in parameter.ConstraintTypes)
                    {
                        // A constraint may name the kernel's type parameters (where TState : ISsmState<TState>): check it with the arguments substituted.
                        var constraint = SubstituteTypeParameters(open, method.TypeParameters, typeArguments);
                        if (!compilation.HasImplicitConversion(argument, constraint))
                        {
                            Fail($"type argument '{argument.ToDisplayString()}' does not satisfy the constraint '{constraint.ToDisplayString()}' of '{parameter.Name}'");
                            satisfies = false;
                        }
                    }
                    if ((parameter.HasUnmanagedTypeConstraint || parameter.HasValueTypeConstraint) && !argument.IsValueType)
                    {
                        Fail($"type argument '{argument.ToDisplayString()}' must be a value type");
                        satisfies = false;
                    }
                }
                if (!satisfies) continue;
                var key = string.Join(",", typeArguments.Select(t => t.ToDisplayString()));
                if (!seen.Add(key))
                {
                    Fail($"the instance <{key}> is requested twice");
                    continue;
                }
                result.Add(typeArguments);
            }
            if (method.TypeParameters.Length == 0)
            {
                result.Add(Array.Empty<ITypeSymbol>());
            }
            else if (result.Count == 0 && !diagnostics.Any(d => d.Id == DiagnosticDescriptors.InvalidSpecialization.Id))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericKernelWithoutSpecialization, kernelLocation, method.Name));
            }
            return result;
        }

        private static ITypeSymbol SubstituteTypeParameters(ITypeSymbol type, ImmutableArray<ITypeParameterSymbol> parameters, IReadOnlyList<ITypeSymbol> arguments)
        {
            switch (type)
            {
                case ITypeParameterSymbol parameter:
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        if (SymbolEqualityComparer.Default.Equals(parameters[i], parameter)) return arguments[i];
                    }
                    return type;
                case INamedTypeSymbol { IsGenericType: true } named:
                    return named.OriginalDefinition.Construct(named.TypeArguments.Select(t => SubstituteTypeParameters(t, parameters, arguments)).ToArray());
                default:
                    return type;
            }
        }

        internal static KernelIdentity? BuildIdentity(IMethodSymbol method, IReadOnlyList<ITypeSymbol> typeArguments, KnownSymbols known, List<DiagnosticInfo> diagnostics)
        {
            var instance = typeArguments.Count > 0 ? method.Construct(typeArguments.ToArray()) : method;
            var mapper = new KernelTypeMapper(known);
            var parameters = new List<KernelParameter>();
            bool valid = true;
            for (int i = 0; i < instance.Parameters.Length; i++)
            {
                var parameter = instance.Parameters[i];
                var type = mapper.Map(parameter.Type);
                var csharpType = parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                switch (type)
                {
                    case SpanKType { Kind: SpanKind.Device }:
                        parameters.Add(new KernelParameter(parameter.Name, csharpType, ParameterKind.DeviceSpan, IrType.U64));
                        break;
                    case SpanKType { Kind: SpanKind.DeviceReadOnly }:
                        parameters.Add(new KernelParameter(parameter.Name, csharpType, ParameterKind.ReadOnlyDeviceSpan, IrType.U64));
                        break;
                    case ScalarKType { Ir: IrType.Pred }:
                        parameters.Add(new KernelParameter(parameter.Name, csharpType, ParameterKind.Bool, IrType.U8));
                        break;
                    case ScalarKType scalar:
                        parameters.Add(new KernelParameter(parameter.Name, csharpType, ParameterKind.Scalar, scalar.Ir));
                        break;
                    default:
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType,
                            LocationInfo.From(method.Parameters[i].Locations.FirstOrDefault()), parameter.Name, method.Name, parameter.Type.ToDisplayString()));
                        valid = false;
                        break;
                }
            }
            if (!valid) return null;

            var containing = new List<ContainingType>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                string keyword = type.IsRecord ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record") : type.TypeKind == TypeKind.Struct ? "struct" : "class";
                containing.Insert(0, new ContainingType(keyword, type.Name, type.IsStatic));
            }
            var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            return new KernelIdentity(
                KernelNames.HintName(method, typeArguments),
                ns,
                containing.ToEquatableArray(),
                KernelNames.ClassName(method, typeArguments),
                KernelNames.DescriptorName(method, typeArguments),
                KernelNames.EntryPoint(method, typeArguments),
                KernelNames.CallExpression(method, typeArguments),
                parameters.ToEquatableArray());
        }
    }
}
