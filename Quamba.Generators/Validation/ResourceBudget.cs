using System.Collections.Generic;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Validation
{
    /// <summary>Static shared memory (48 KB per block without opt-in) and kernel parameter space (4 KB).</summary>
    internal static class ResourceBudget
    {
        public const int StaticSharedBytes = 48 * 1024;
        public const int ParameterBytes = 4096;

        public static IEnumerable<BackendDiagnostic> Check(IrFunction function, string kernelName)
        {
            long shared = 0;
            foreach (var array in function.SharedArrays)
            {
                shared = (shared + array.Alignment - 1) / array.Alignment * array.Alignment + array.SizeInBytes;
                if (shared > StaticSharedBytes)
                {
                    yield return BackendDiagnostic.Create(DiagnosticDescriptors.SharedMemoryBudget, array.Source, kernelName, TotalShared(function), StaticSharedBytes);
                    break;
                }
            }
            long parameters = 0;
            foreach (var parameter in function.Parameters)
            {
                int size = parameter.Type.SizeInBytes();
                parameters = (parameters + size - 1) / size * size + size;
            }
            if (parameters > ParameterBytes)
            {
                yield return BackendDiagnostic.Create(DiagnosticDescriptors.ParameterBudget, 0, kernelName, parameters, ParameterBytes);
            }
        }

        private static long TotalShared(IrFunction function)
        {
            long total = 0;
            foreach (var array in function.SharedArrays) total = (total + array.Alignment - 1) / array.Alignment * array.Alignment + array.SizeInBytes;
            return total;
        }
    }
}
