namespace Quamba.Kernels.Plans;

/// <summary>
/// One compiled kernel instance of a plan: the model step it serves (e.g. "mamba2.ssd", "hadamard_quantize"),
/// the layer precision it was specialised for (null when it serves every layer), and its descriptor.
/// </summary>
public sealed record PlannedKernel(string Step, LayerPrecision? Precision, KernelDescriptor Descriptor);
