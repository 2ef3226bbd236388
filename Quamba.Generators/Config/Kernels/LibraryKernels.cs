using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Quamba.Generators.Common;

namespace Quamba.Generators.Config.Kernels
{
    /// <summary>
    /// The interfaces of Quamba.Kernels.Mamba whose type parameters a config can provide: the shapes, and the SSM state
    /// storage (ISsmState&lt;T&gt;: the config's state_precision).
    /// </summary>
    internal enum ShapeInterface : byte { Mamba1, Mamba2, Hadamard, Row, SsmState }

    /// <summary>A generic [Kernel] of the library: where it is, and which shape interface each type parameter needs.</summary>
    internal sealed record LibraryKernel(string Namespace, string ContainingType, string Method, EquatableArray<ShapeInterface> TypeParameters, EquatableArray<string> SpanElementTypes);

    /// <summary>
    /// Finds the library's generic kernels by syntax alone (no binding): [Kernel] methods whose every type
    /// parameter is constrained to one of the shape interfaces (or the state storage). Kernels with other type parameters are not
    /// instantiable from a config and are left out.
    /// </summary>
    internal static class LibraryKernels
    {
        public static readonly IReadOnlyDictionary<string, ShapeInterface> Interfaces = new Dictionary<string, ShapeInterface>
        {
            ["IMamba1Shape"] = ShapeInterface.Mamba1,
            ["IMamba2Shape"] = ShapeInterface.Mamba2,
            ["IHadamardShape"] = ShapeInterface.Hadamard,
            ["IRowShape"] = ShapeInterface.Row,
            ["ISsmState"] = ShapeInterface.SsmState,
        };

        private static readonly Dictionary<string, EquatableArray<LibraryKernel>> Cache = new();

        public static EquatableArray<LibraryKernel> Find(EquatableArray<LibrarySource> sources)
        {
            var key = KernelLibrary.ComputeHash(sources);
            lock (Cache)
            {
                if (Cache.TryGetValue(key, out var cached)) return cached;
            }
            var kernels = new List<LibraryKernel>();
            foreach (var source in sources)
            {
                var root = CSharpSyntaxTree.ParseText(source.Text, ConfigKernelCompiler.ParseOptions).GetRoot();
                foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
                {
                    if (method.TypeParameterList is null || !method.AttributeLists.SelectMany(l => l.Attributes).Any(a => IsKernelAttribute(a.Name.ToString()))) continue;
                    var kinds = new List<ShapeInterface>();
                    foreach (var parameter in method.TypeParameterList.Parameters)
                    {
                        var clause = method.ConstraintClauses.FirstOrDefault(c => c.Name.Identifier.Text == parameter.Identifier.Text);
                        var constraint = clause?.Constraints.OfType<TypeConstraintSyntax>().Select(c => LastName(c.Type.ToString())).FirstOrDefault(Interfaces.ContainsKey);
                        if (constraint is null)
                        {
                            kinds.Clear();
                            break;
                        }
                        kinds.Add(Interfaces[constraint]);
                    }
                    if (kinds.Count == 0) continue;
                    var type = method.Parent as TypeDeclarationSyntax;
                    if (type is null) continue;
                    var ns = type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse();
                    var elements = method.ParameterList.Parameters.Select(p => p.Type?.ToString() ?? "").ToEquatableArray();
                    kernels.Add(new LibraryKernel(string.Join(".", ns), type.Identifier.Text, method.Identifier.Text, kinds.ToEquatableArray(), elements));
                }
            }
            var result = kernels.OrderBy(k => k.ContainingType, StringComparer.Ordinal).ThenBy(k => k.Method, StringComparer.Ordinal).ToEquatableArray();
            lock (Cache) Cache[key] = result;
            return result;
        }

        private static bool IsKernelAttribute(string name)
        {
            var last = LastName(name);
            return last == "Kernel" || last == "KernelAttribute";
        }

        /// <summary>The simple name of a type as written: namespaces and type arguments dropped (ISsmState&lt;TState&gt; -> ISsmState).</summary>
        private static string LastName(string name)
        {
            int angle = name.IndexOf('<');
            if (angle >= 0) name = name.Substring(0, angle);
            int dot = name.LastIndexOf('.');
            return dot >= 0 ? name.Substring(dot + 1) : name;
        }
    }
}
