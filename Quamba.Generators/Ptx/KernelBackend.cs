using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Discovery;
using Quamba.Generators.Validation;

namespace Quamba.Generators.Ptx
{
    /// <summary>
    /// The back end for one kernel instance: validation on the IR, PTX emission and the self-check. Runs only
    /// when the instance's IR changes (its input has no source offsets), so comment edits do not re-run it.
    /// </summary>
    internal static class KernelBackend
    {
        public static CompiledKernel Compile(KernelInstance instance, int projectTargetSm, CancellationToken cancellationToken)
        {
            var identity = instance.Identity;
            if (instance.Function is not { } function)
            {
                return new CompiledKernel(identity, null, 0, 0, EquatableArray<BackendDiagnostic>.Empty);
            }
            var diagnostics = new List<BackendDiagnostic>();
            try
            {
                TestHooks.Enter("Backend");
                int targetSm = instance.TargetSm > 0 ? instance.TargetSm : projectTargetSm;
                diagnostics.AddRange(ArchitectureCheck.Check(function, targetSm));
                diagnostics.AddRange(ResourceBudget.Check(function, identity.DescriptorName));
                cancellationToken.ThrowIfCancellationRequested();
                diagnostics.AddRange(DivergenceAnalysis.Analyze(function));
                if (diagnostics.Any(d => DiagnosticDescriptors.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
                {
                    return new CompiledKernel(identity, null, 0, 0, diagnostics.ToEquatableArray());
                }
                var requirement = ArchitectureCheck.Required(function);
                var ptx = PtxEmitter.Emit(function, identity.DescriptorName, requirement);
                var problems = PtxSelfCheck.Check(ptx);
                if (problems.Count > 0)
                {
                    diagnostics.Add(BackendDiagnostic.Create(DiagnosticDescriptors.InternalError, 0, identity.DescriptorName,
                        "the generated PTX failed its self-check (" + string.Join("; ", problems.Take(3)) + ")"));
                    return new CompiledKernel(identity, null, 0, 0, diagnostics.ToEquatableArray());
                }
                return new CompiledKernel(identity, ptx, requirement.Sm, requirement.PtxVersion, diagnostics.ToEquatableArray());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                diagnostics.Add(BackendDiagnostic.Create(DiagnosticDescriptors.InternalError, 0, identity.DescriptorName, exception.GetType().Name + ": " + exception.Message));
                return new CompiledKernel(identity, null, 0, 0, diagnostics.ToEquatableArray());
            }
        }
    }
}
