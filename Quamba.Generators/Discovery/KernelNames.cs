using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Quamba.Generators.Discovery
{
    /// <summary>Deterministic names for a kernel instance: launcher class, PTX entry point, descriptor name, hint name.</summary>
    internal static class KernelNames
    {
        public static string Suffix(IReadOnlyList<ITypeSymbol> typeArguments) =>
            string.Concat(typeArguments.Select(t => "_" + Sanitize(TypeName(t))));

        public static string ClassName(IMethodSymbol method, IReadOnlyList<ITypeSymbol> typeArguments) =>
            method.Name + "Kernel" + Suffix(typeArguments);

        public static string EntryPoint(IMethodSymbol method, IReadOnlyList<ITypeSymbol> typeArguments) =>
            Sanitize(method.ContainingType.Name) + "_" + Sanitize(method.Name) + Suffix(typeArguments);

        public static string DescriptorName(IMethodSymbol method, IReadOnlyList<ITypeSymbol> typeArguments)
        {
            var type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            var name = type + "." + method.Name;
            if (typeArguments.Count > 0) name += "<" + string.Join(", ", typeArguments.Select(t => t.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat))) + ">";
            return name;
        }

        public static string HintName(IMethodSymbol method, IReadOnlyList<ITypeSymbol> typeArguments)
        {
            var type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
            return Sanitize(type.Replace('.', '_')) + "." + ClassName(method, typeArguments) + ".g.cs";
        }

        public static string CallExpression(IMethodSymbol method, IReadOnlyList<ITypeSymbol> typeArguments)
        {
            var call = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name;
            if (typeArguments.Count > 0) call += "<" + string.Join(", ", typeArguments.Select(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ">";
            return call;
        }

        private static string TypeName(ITypeSymbol type) => type is INamedTypeSymbol { IsGenericType: true } named
            ? named.Name + string.Concat(named.TypeArguments.Select(a => "_" + TypeName(a)))
            : type.Name;

        /// <summary>Letters, digits and underscores only: valid in C# and PTX identifiers alike.</summary>
        public static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (char c in name) builder.Append(c < 128 && (char.IsLetterOrDigit(c) || c == '_') ? c : '_');
            return builder.ToString();
        }
    }
}
