using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Quamba.Generators.Config.Kernels
{
    /// <summary>
    /// The consuming compilation's metadata references, compared element by element (by reference), so that the
    /// compile step re-runs only when the references change, not on every source edit.
    /// </summary>
    internal sealed class ReferenceSet : System.IEquatable<ReferenceSet>
    {
        public ReferenceSet(ImmutableArray<MetadataReference> references, string? kernelsAssembly)
        {
            References = references;
            KernelsAssembly = kernelsAssembly;
        }

        public ImmutableArray<MetadataReference> References { get; }

        /// <summary>The identity of the referenced Quamba.Kernels ("Quamba.Kernels, Version=..."), or null when it is not referenced.</summary>
        public string? KernelsAssembly { get; }

        public static ReferenceSet From(Compilation compilation)
        {
            string? kernels = null;
            foreach (var reference in compilation.References)
            {
                if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol { Name: "Quamba.Kernels" } assembly)
                {
                    kernels = assembly.Identity.GetDisplayName();
                    break;
                }
            }
            return new ReferenceSet(compilation.References.ToImmutableArray(), kernels);
        }

        public bool Equals(ReferenceSet? other) =>
            other is not null && KernelsAssembly == other.KernelsAssembly && References.Length == other.References.Length
            && References.Zip(other.References, (a, b) => ReferenceEquals(a, b)).All(same => same);

        public override bool Equals(object? obj) => Equals(obj as ReferenceSet);

        public override int GetHashCode() => References.Length ^ (KernelsAssembly?.GetHashCode() ?? 0);
    }
}
