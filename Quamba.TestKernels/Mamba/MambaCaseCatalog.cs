using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;
using H = Quamba.Kernels.Mamba.HadamardKernels;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// The model kernels' cases (Quamba.Kernels.Mamba): small inputs for the tiny-model instances (the emulator runs
/// them in CI), the published-shape instances with short sequences. Part of <see cref="CaseCatalog.All"/>, so the
/// GPU run (Quamba.GpuTests.CorpusGpuTests) takes them too.
/// </summary>
public static class MambaCaseCatalog
{
    public static IReadOnlyList<KernelCase> All { get; } =
    [
        new HadamardQuantizeCase<Hadamard384>(H.HadamardQuantizeKernel_Hadamard384.Emulate, H.HadamardQuantizeKernel_Hadamard384.Launch),
        new HadamardQuantizeCase<Hadamard512>(H.HadamardQuantizeKernel_Hadamard512.Emulate, H.HadamardQuantizeKernel_Hadamard512.Launch),
        new HadamardQuantizeCase<Hadamard20>(H.HadamardQuantizeKernel_Hadamard20.Emulate, H.HadamardQuantizeKernel_Hadamard20.Launch),
        new HadamardQuantizeCase<Hadamard448>(H.HadamardQuantizeKernel_Hadamard448.Emulate, H.HadamardQuantizeKernel_Hadamard448.Launch),
        new HadamardQuantizeCase<Hadamard640>(H.HadamardQuantizeKernel_Hadamard640.Emulate, H.HadamardQuantizeKernel_Hadamard640.Launch),
        new HadamardQuantizeCase<Hadamard5120>(H.HadamardQuantizeKernel_Hadamard5120.Emulate, H.HadamardQuantizeKernel_Hadamard5120.Launch, rows: 2),
        new HadamardRotateCase<Hadamard384>(H.HadamardRotateKernel_Hadamard384.Emulate, H.HadamardRotateKernel_Hadamard384.Launch),
        new HadamardRotateCase<Hadamard512>(H.HadamardRotateKernel_Hadamard512.Emulate, H.HadamardRotateKernel_Hadamard512.Launch),
        new HadamardRotateCase<Hadamard640>(H.HadamardRotateKernel_Hadamard640.Emulate, H.HadamardRotateKernel_Hadamard640.Launch),
        new HadamardRotateCase<Hadamard5120>(H.HadamardRotateKernel_Hadamard5120.Emulate, H.HadamardRotateKernel_Hadamard5120.Launch, rows: 1),
    ];
}
