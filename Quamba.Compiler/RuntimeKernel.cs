using Quamba.Kernels;
using Quamba.Kernels.Plans;

namespace Quamba.Compiler;

/// <summary>One kernel instance compiled at run time: its launcher class name (as the build would name it), step, precisions and PTX.</summary>
public sealed record RuntimeKernel(string ClassName, string Step, IReadOnlyList<LayerPrecision> Precisions, KernelDescriptor Descriptor, string Ptx, bool FromCache)
{
    /// <summary>The generic library method it instantiates, e.g. "Quamba.Kernels.Mamba.CausalConv1dKernels.Mamba2ConvPrefill".</summary>
    public string Method { get; init; } = "";

    /// <summary>
    /// The type argument of each type parameter, in order: a config shape struct by name ("Shape", "Hadamard", "ModelRow"),
    /// or a library type by full name (the SSM state storage, e.g. "Quamba.Kernels.Mamba.Int8State").
    /// </summary>
    public IReadOnlyList<string> TypeArguments { get; init; } = [];
}

/// <summary>A shape struct of the config as values (what a build generates as QuambaPlans.&lt;Name&gt;.Shape, .Hadamard, .ModelRow).</summary>
/// <param name="Name">Shape, Hadamard or ModelRow.</param>
/// <param name="Interface">The interface it implements in Quamba.Kernels.Mamba (IMamba1Shape, IMamba2Shape, IHadamardShape, IRowShape).</param>
/// <param name="Members">Its static int properties and their values.</param>
public sealed record RuntimeShape(string Name, string Interface, IReadOnlyList<KeyValuePair<string, int>> Members);

/// <summary>What the run-time compiler made of a config: the plan (as the build's QuambaPlans.&lt;Name&gt;.Plan) and the instances.</summary>
public sealed record RuntimeKernelSet(KernelPlan Plan, IReadOnlyList<RuntimeKernel> Kernels)
{
    /// <summary>The config's shape structs, for the CPU emulator (<see cref="RuntimeKernelEmulator"/>).</summary>
    public IReadOnlyList<RuntimeShape> Shapes { get; init; } = [];

    /// <summary>The kernel whose launcher class the build would name <paramref name="className"/> (e.g. Mamba2ConvPrefillKernel).</summary>
    public RuntimeKernel Kernel(string className) => Kernels.SingleOrDefault(k => k.ClassName == className)
        ?? throw new KeyNotFoundException($"The kernel set of '{Plan.Name}' has no kernel {className}; it has {string.Join(", ", Kernels.Select(k => k.ClassName))}.");
}
