using Quamba.Generators.Common;
using Quamba.Generators.Discovery;

namespace Quamba.Generators.Config.Kernels
{
    /// <summary>
    /// One kernel instance a config needs: the library kernel, its type arguments (the config's shape structs and state
    /// storage), the step it serves (its own "Type.Method", or the step it shares: KernelCatalog.StepOf) and the layer
    /// precisions that use it (empty: every layer).
    /// </summary>
    internal sealed record ConfigKernelInstance(
        LibraryKernel Kernel,
        string Step,
        EquatableArray<LayerPrecision> Precisions,
        EquatableArray<string> TypeArguments,
        string ClassName)
    {
        /// <summary>"Type.Method" of the library kernel (for messages).</summary>
        public string KernelName => Kernel.ContainingType + "." + Kernel.Method;
    }

    /// <summary>A validated config with the instances it needs and the source of its shape structs.</summary>
    internal sealed record ConfigKernelSet(QuambaConfig Config, EquatableArray<ConfigKernelInstance> Instances, string ShapeSource, string LibraryHash);

    /// <summary>One compiled instance: the launcher identity, its PTX (null on error) and the errors that stopped it.</summary>
    internal sealed record CompiledConfigKernel(ConfigKernelInstance Instance, KernelIdentity? Identity, string? Ptx, int MinimumSm, int PtxVersion, EquatableArray<string> Errors)
    {
        public CompiledKernel ToCompiledKernel() => new(Identity!, Ptx, MinimumSm, PtxVersion, EquatableArray<Diagnostics.BackendDiagnostic>.Empty);
    }

    /// <summary>Everything compiled for one config; <see cref="Succeeded"/> only when every instance compiled.</summary>
    internal sealed record CompiledConfig(ConfigKernelSet Set, EquatableArray<CompiledConfigKernel> Kernels, EquatableArray<string> Errors)
    {
        public bool Succeeded => Errors.IsEmpty && System.Linq.Enumerable.All(Kernels, k => k.Ptx is not null);
    }
}
