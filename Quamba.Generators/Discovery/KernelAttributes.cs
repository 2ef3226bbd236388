using System.Linq;
using Microsoft.CodeAnalysis;

namespace Quamba.Generators.Discovery
{
    /// <summary>Named arguments of [Kernel] that reach the PTX (the architecture is read with the kernel's identity).</summary>
    internal static class KernelAttributes
    {
        /// <summary>The smallest and largest per-thread register limits PTX's <c>.maxnreg</c> accepts here.</summary>
        public const int MinRegisters = 16;
        public const int MaxRegisterLimit = 255;

        public static bool IsValidRegisterLimit(int count) => count >= MinRegisters && count <= MaxRegisterLimit;

        /// <summary>[Kernel(MaxRegisters = N)] of a kernel method, or 0 (none, or invalid: discovery reports QK0019).</summary>
        public static int MaxRegisters(IMethodSymbol method)
        {
            var kernel = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "KernelAttribute");
            if (kernel is null) return 0;
            foreach (var argument in kernel.NamedArguments)
                if (argument.Key == "MaxRegisters" && argument.Value.Value is int count && IsValidRegisterLimit(count)) return count;
            return 0;
        }
    }
}
