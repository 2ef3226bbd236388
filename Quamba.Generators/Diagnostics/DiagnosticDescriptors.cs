using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Quamba.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic the kernel compiler reports. IDs are stable (documented in AnalyzerReleases.Shipped.md
    /// and docs/kernels.md); messages say what to do.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "Quamba.Kernels";

        public static readonly DiagnosticDescriptor InvalidKernelSignature = Error(
            "QK0001", "Invalid kernel signature",
            "Kernel '{0}' {1}: a kernel must be a static void method of a static partial class (every containing type partial)");

        public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
            "QK0002", "Unsupported kernel parameter type",
            "Parameter '{0}' of kernel '{1}' has type '{2}', which cannot be passed to a GPU kernel: use DeviceSpan<T>, ReadOnlyDeviceSpan<T> or a scalar (bool, integer, float, double, Half, BFloat16)");

        public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
            "QK0003", "Unsupported construct in a kernel",
            "{0} ({1}) is not supported in kernel code{2}");

        public static readonly DiagnosticDescriptor ManagedType = Error(
            "QK0004", "Managed or reference type in a kernel",
            "Type '{0}' cannot be used in kernel code: kernels may only use unmanaged scalars, small structs of them, and device or local spans");

        public static readonly DiagnosticDescriptor NoDeviceImplementation = Error(
            "QK0005", "Call to a method with no device implementation",
            "'{0}' has no device implementation: it is neither a kernel intrinsic nor a method with source in this compilation; move the logic into a helper method of your own or use an intrinsic");

        public static readonly DiagnosticDescriptor Recursion = Error(
            "QK0006", "Recursive call in a kernel",
            "'{0}' calls itself (directly or through '{1}'); kernel helpers are inlined, so recursion is not allowed: rewrite it as a loop");

        public static readonly DiagnosticDescriptor ArgumentMustBeConstant = Error(
            "QK0007", "Argument must be a compile-time constant",
            "{0} must be a compile-time constant (a literal, a const, or a static abstract member of a [Specialize] type argument)");

        public static readonly DiagnosticDescriptor ArchitectureTooLow = Error(
            "QK0008", "Intrinsic needs a newer GPU architecture than the kernel targets",
            "'{0}' needs sm_{1} but the kernel targets sm_{2}: raise [Kernel(TargetSm = {1})] or the QuambaTargetSm property, or avoid the intrinsic");

        public static readonly DiagnosticDescriptor SharedMemoryBudget = Error(
            "QK0009", "Static shared memory over budget",
            "Kernel '{0}' allocates {1} bytes of static shared memory, more than the {2} bytes a block may have statically: shrink the arrays or use SharedMemory.Dynamic<T>() with a launch-time size");

        public static readonly DiagnosticDescriptor StaticFieldAccess = Error(
            "QK0010", "Static field in a kernel",
            "Static field '{0}' cannot be used in kernel code: only const fields and static readonly fields of a primitive type with a constant initializer are allowed (GPU threads share no managed statics)");

        public static readonly DiagnosticDescriptor ImplicitDoublePromotion = Warning(
            "QK0011", "Implicit promotion to double",
            "'{0}' is implicitly converted to double: double arithmetic is many times slower than float on most GPUs; use float literals (1.0f) or make the conversion explicit");

        public static readonly DiagnosticDescriptor DivergentCollective = Warning(
            "QK0012", "Barrier or warp collective under divergent control flow",
            "'{0}' is reached only by the threads for which a condition that depends on the thread index holds; {1} must be reached by every thread of the {2}, otherwise the kernel hangs or gives undefined results: move it out of the branch");

        public static readonly DiagnosticDescriptor InternalError = Error(
            "QK0013", "Kernel compiler internal error",
            "The kernel compiler failed on '{0}': {1}. This is a bug in Quamba.Generators; no PTX was emitted for this kernel");

        public static readonly DiagnosticDescriptor InvalidSpecialization = Error(
            "QK0014", "Invalid [Specialize]",
            "Kernel '{0}': {1}");

        public static readonly DiagnosticDescriptor GenericKernelWithoutSpecialization = Warning(
            "QK0015", "Generic kernel with no [Specialize]",
            "Generic kernel '{0}' has no [Specialize(...)] attribute, so no PTX is generated for it: add one per instance you need");

        public static readonly DiagnosticDescriptor SharedAllocationInLoop = Error(
            "QK0016", "Shared memory allocated inside a loop",
            "SharedMemory.Allocate is inside a loop: on the GPU each call site is one static array, so allocate once before the loop and reuse the span");

        public static readonly DiagnosticDescriptor InvalidTargetSm = Error(
            "QK0017", "Invalid target architecture",
            "TargetSm {0} is not a known architecture: use a value such as 52, 61, 70, 75, 80, 86, 89 or 90");

        public static readonly DiagnosticDescriptor ParameterBudget = Error(
            "QK0018", "Kernel parameters over budget",
            "Kernel '{0}' has {1} bytes of parameters, more than the {2} bytes a launch may pass: pack scalars into a device span");

        public static readonly DiagnosticDescriptor InvalidMaxRegisters = Error(
            "QK0019", "Invalid register limit",
            "MaxRegisters {0} is outside {1}..{2}: use 0 (ptxas chooses) or a per-thread register count in that range");

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = new()
        {
            [InvalidKernelSignature.Id] = InvalidKernelSignature,
            [UnsupportedParameterType.Id] = UnsupportedParameterType,
            [UnsupportedConstruct.Id] = UnsupportedConstruct,
            [ManagedType.Id] = ManagedType,
            [NoDeviceImplementation.Id] = NoDeviceImplementation,
            [Recursion.Id] = Recursion,
            [ArgumentMustBeConstant.Id] = ArgumentMustBeConstant,
            [ArchitectureTooLow.Id] = ArchitectureTooLow,
            [SharedMemoryBudget.Id] = SharedMemoryBudget,
            [StaticFieldAccess.Id] = StaticFieldAccess,
            [ImplicitDoublePromotion.Id] = ImplicitDoublePromotion,
            [DivergentCollective.Id] = DivergentCollective,
            [InternalError.Id] = InternalError,
            [InvalidSpecialization.Id] = InvalidSpecialization,
            [GenericKernelWithoutSpecialization.Id] = GenericKernelWithoutSpecialization,
            [SharedAllocationInLoop.Id] = SharedAllocationInLoop,
            [InvalidTargetSm.Id] = InvalidTargetSm,
            [ParameterBudget.Id] = ParameterBudget,
            [InvalidMaxRegisters.Id] = InvalidMaxRegisters,
        };

        static DiagnosticDescriptors()
        {
            foreach (var descriptor in ConfigDiagnosticDescriptors.All) ById[descriptor.Id] = descriptor;
        }

        public static DiagnosticDescriptor Get(string id) => ById[id];

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static string HelpLink(string id) => "docs/kernels.md#" + id.ToLowerInvariant();
    }
}
