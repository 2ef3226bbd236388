using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Discovery
{
    /// <summary>A type the generated launcher class is nested in: "partial class Name&lt;T&gt;".</summary>
    internal sealed record ContainingType(string Keyword, string NameWithTypeParameters, bool IsStatic);

    internal enum ParameterKind : byte { DeviceSpan, ReadOnlyDeviceSpan, Scalar, Bool }

    /// <summary>A kernel parameter as the launcher sees it: its C# type (fully qualified) and how it is passed.</summary>
    internal sealed record KernelParameter(string Name, string CSharpType, ParameterKind Kind, IrType ScalarType);

    /// <summary>Names and signature of one kernel instance: everything the C# emitter needs besides the PTX.</summary>
    internal sealed record KernelIdentity(
        string HintName,
        string? Namespace,
        EquatableArray<ContainingType> ContainingTypes,
        string ClassName,
        string DescriptorName,
        string EntryPoint,
        string CallExpression,
        EquatableArray<KernelParameter> Parameters);

    /// <summary>One kernel instance after lowering (location-free, so edits elsewhere in the file leave it equal).</summary>
    internal sealed record KernelInstance(KernelIdentity Identity, int TargetSm, IrFunction? Function);

    /// <summary>The source table of one instance, for placing back-end diagnostics.</summary>
    internal sealed record InstanceLocations(string HintName, EquatableArray<LocationInfo> Locations);

    /// <summary>The front end's result for one [Kernel] method: its instances and the diagnostics found so far.</summary>
    internal sealed record KernelFrontEnd(
        EquatableArray<KernelInstance> Instances,
        EquatableArray<DiagnosticInfo> Diagnostics,
        EquatableArray<InstanceLocations> Locations);

    /// <summary>The back end's result for one instance.</summary>
    internal sealed record CompiledKernel(
        KernelIdentity Identity,
        string? Ptx,
        int MinimumSm,
        int PtxVersion,
        EquatableArray<BackendDiagnostic> Diagnostics);
}
