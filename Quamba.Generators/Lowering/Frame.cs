using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// One method being lowered: the kernel itself or an inlined callee. Holds its variables, flow captures,
    /// the substitution of its type parameters, and where a <c>return</c> goes.
    /// </summary>
    internal sealed class Frame
    {
        public Frame(IMethodSymbol method, Dictionary<ITypeParameterSymbol, ITypeSymbol> typeMap, Frame? parent)
        {
            Method = method;
            TypeMap = typeMap;
            Parent = parent;
        }

        public IMethodSymbol Method { get; }

        public Frame? Parent { get; }

        public Dictionary<ITypeParameterSymbol, ITypeSymbol> TypeMap { get; }

        public Dictionary<ISymbol, Place> Variables { get; } = new(SymbolEqualityComparer.Default);

        public Dictionary<CaptureId, Place> Captures { get; } = new();

        /// <summary>Captures the graph uses as locations (assigned through), not as values.</summary>
        public HashSet<CaptureId> LvalueCaptures { get; } = new();

        /// <summary><c>this</c> of an inlined struct member.</summary>
        public Place? This { get; set; }

        /// <summary>Where <c>return value;</c> stores (null for void).</summary>
        public Place? ReturnSlot { get; set; }

        public bool IsKernel => Parent is null;

        public bool IsActive(IMethodSymbol method)
        {
            for (var frame = this; frame is not null; frame = frame.Parent)
            {
                if (SymbolEqualityComparer.Default.Equals(frame.Method.OriginalDefinition, method.OriginalDefinition)) return true;
            }
            return false;
        }
    }
}
