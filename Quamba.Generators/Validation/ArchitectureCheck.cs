using System.Collections.Generic;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;
using Quamba.Generators.Ptx;

namespace Quamba.Generators.Validation
{
    /// <summary>The architecture a kernel needs (the maximum over its instructions) and its check against a declared target.</summary>
    internal static class ArchitectureCheck
    {
        public static PtxRequirement Required(IrFunction function)
        {
            var required = PtxRequirement.Floor;
            foreach (var instruction in function.Body) required = required.Max(PtxInstructionTable.Requirement(instruction));
            return required.Max(new PtxRequirement(required.Sm, PtxInstructionTable.PtxVersionForTarget(required.Sm)));
        }

        public static IEnumerable<BackendDiagnostic> Check(IrFunction function, int targetSm)
        {
            if (targetSm <= 0) yield break;
            var reported = new HashSet<(int, string)>();
            foreach (var instruction in function.Body)
            {
                var requirement = PtxInstructionTable.Requirement(instruction);
                if (requirement.Sm <= targetSm || instruction.Op is IrOp.Label) continue;
                var mnemonic = PtxInstructionTable.Mnemonic(instruction);
                if (!reported.Add((instruction.Source, mnemonic))) continue;
                yield return BackendDiagnostic.Create(DiagnosticDescriptors.ArchitectureTooLow, instruction.Source, mnemonic, requirement.Sm, targetSm);
            }
        }
    }
}
