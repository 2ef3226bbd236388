using Quamba.Kernels;
using Quamba.Kernels.Plans;

namespace Quamba.Compiler;

/// <summary>One kernel instance compiled at run time: its launcher class name (as the build would name it), step, precisions and PTX.</summary>
public sealed record RuntimeKernel(string ClassName, string Step, IReadOnlyList<LayerPrecision> Precisions, KernelDescriptor Descriptor, string Ptx, bool FromCache);

/// <summary>What the run-time compiler made of a config: the plan (as the build's QuambaPlans.&lt;Name&gt;.Plan) and the instances.</summary>
public sealed record RuntimeKernelSet(KernelPlan Plan, IReadOnlyList<RuntimeKernel> Kernels);
