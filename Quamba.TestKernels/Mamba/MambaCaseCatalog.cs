using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;
using H = Quamba.Kernels.Mamba.HadamardKernels;
using Q = Quamba.Kernels.Mamba.ClusteredQuantization;
using Conv = Quamba.Kernels.Mamba.CausalConv1dKernels;
using Norm = Quamba.Kernels.Mamba.RmsNormKernels;

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
        new HadamardQuantizeCase<Hadamard1536>(H.HadamardQuantizeKernel_Hadamard1536.Emulate, H.HadamardQuantizeKernel_Hadamard1536.Launch, rows: 3),
        new HadamardQuantizeCase<Hadamard4096>(H.HadamardQuantizeKernel_Hadamard4096.Emulate, H.HadamardQuantizeKernel_Hadamard4096.Launch, rows: 2),
        new HadamardQuantizeCase<Hadamard8192>(H.HadamardQuantizeKernel_Hadamard8192.Emulate, H.HadamardQuantizeKernel_Hadamard8192.Launch, rows: 1),
        new HadamardQuantizeCase<Hadamard5120>(H.HadamardQuantizeKernel_Hadamard5120.Emulate, H.HadamardQuantizeKernel_Hadamard5120.Launch, rows: 2),
        new HadamardRotateCase<Hadamard384>(H.HadamardRotateKernel_Hadamard384.Emulate, H.HadamardRotateKernel_Hadamard384.Launch),
        new HadamardRotateCase<Hadamard512>(H.HadamardRotateKernel_Hadamard512.Emulate, H.HadamardRotateKernel_Hadamard512.Launch),
        new HadamardRotateCase<Hadamard1536>(H.HadamardRotateKernel_Hadamard1536.Emulate, H.HadamardRotateKernel_Hadamard1536.Launch, rows: 2),
        new HadamardRotateCase<Hadamard4096>(H.HadamardRotateKernel_Hadamard4096.Emulate, H.HadamardRotateKernel_Hadamard4096.Launch, rows: 1),
        new HadamardRotateCase<Hadamard5120>(H.HadamardRotateKernel_Hadamard5120.Emulate, H.HadamardRotateKernel_Hadamard5120.Launch, rows: 1),

        new ClusteredQuantizeCase<Mamba2Tiny>(Q.QuantizeXKernel_Mamba2Tiny.Emulate, Q.QuantizeXKernel_Mamba2Tiny.Launch, Q.QuantizeStateGroupsKernel_Mamba2Tiny.Emulate, Q.QuantizeStateGroupsKernel_Mamba2Tiny.Launch),
        new ClusteredQuantizeCase<Mamba2_2p7B>(Q.QuantizeXKernel_Mamba2_2p7B.Emulate, Q.QuantizeXKernel_Mamba2_2p7B.Launch, Q.QuantizeStateGroupsKernel_Mamba2_2p7B.Emulate, Q.QuantizeStateGroupsKernel_Mamba2_2p7B.Launch),

        Mamba1ConvCase<Mamba1Tiny>.Prefill(Conv.Mamba1ConvPrefillKernel_Mamba1Tiny.Emulate, Conv.Mamba1ConvPrefillKernel_Mamba1Tiny.Launch, batch: 2, length: 70),
        Mamba1ConvCase<Mamba1Tiny>.Step(Conv.Mamba1ConvStepKernel_Mamba1Tiny.Emulate, Conv.Mamba1ConvStepKernel_Mamba1Tiny.Launch, batch: 3),
        Mamba1ConvCase<Mamba1_2p8B>.Prefill(Conv.Mamba1ConvPrefillKernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvPrefillKernel_Mamba1_2p8B.Launch, batch: 1, length: 5),
        Mamba1ConvCase<Mamba1_2p8B>.Step(Conv.Mamba1ConvStepKernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvStepKernel_Mamba1_2p8B.Launch, batch: 2),
        Mamba2ConvCase<Mamba2Tiny>.Prefill(Conv.Mamba2ConvPrefillKernel_Mamba2Tiny.Emulate, Conv.Mamba2ConvPrefillKernel_Mamba2Tiny.Launch, batch: 2, length: 70),
        Mamba2ConvCase<Mamba2Tiny>.Step(Conv.Mamba2ConvStepKernel_Mamba2Tiny.Emulate, Conv.Mamba2ConvStepKernel_Mamba2Tiny.Launch, batch: 3),
        Mamba2ConvCase<Mamba2_2p7B>.Prefill(Conv.Mamba2ConvPrefillKernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvPrefillKernel_Mamba2_2p7B.Launch, batch: 1, length: 5),
        Mamba2ConvCase<Mamba2_2p7B>.Step(Conv.Mamba2ConvStepKernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvStepKernel_Mamba2_2p7B.Launch, batch: 2),
        Mamba1ConvA16Case<Mamba1Tiny>.Prefill(Conv.Mamba1ConvPrefillA16Kernel_Mamba1Tiny.Emulate, Conv.Mamba1ConvPrefillA16Kernel_Mamba1Tiny.Launch, batch: 2, length: 70),
        Mamba1ConvA16Case<Mamba1Tiny>.Step(Conv.Mamba1ConvStepA16Kernel_Mamba1Tiny.Emulate, Conv.Mamba1ConvStepA16Kernel_Mamba1Tiny.Launch, batch: 2),
        Mamba1ConvA16Case<Mamba1_2p8B>.Prefill(Conv.Mamba1ConvPrefillA16Kernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvPrefillA16Kernel_Mamba1_2p8B.Launch, batch: 1, length: 5),
        Mamba1ConvA16Case<Mamba1_2p8B>.Step(Conv.Mamba1ConvStepA16Kernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvStepA16Kernel_Mamba1_2p8B.Launch, batch: 2),
        Mamba2ConvA16Case<Mamba2Tiny>.Prefill(Conv.Mamba2ConvPrefillA16Kernel_Mamba2Tiny.Emulate, Conv.Mamba2ConvPrefillA16Kernel_Mamba2Tiny.Launch, batch: 2, length: 70),
        Mamba2ConvA16Case<Mamba2Tiny>.Step(Conv.Mamba2ConvStepA16Kernel_Mamba2Tiny.Emulate, Conv.Mamba2ConvStepA16Kernel_Mamba2Tiny.Launch, batch: 2),
        Mamba2ConvA16Case<Mamba2_2p7B>.Prefill(Conv.Mamba2ConvPrefillA16Kernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvPrefillA16Kernel_Mamba2_2p7B.Launch, batch: 1, length: 5),
        Mamba2ConvA16Case<Mamba2_2p7B>.Step(Conv.Mamba2ConvStepA16Kernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvStepA16Kernel_Mamba2_2p7B.Launch, batch: 2),

        .. ScanCaseCatalog.Mamba1,

        new ResidualRmsNormCase<Row192>(Norm.ResidualRmsNormQuantizeKernel_Row192.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row192.Launch, Norm.ResidualRmsNormKernel_Row192.Emulate, Norm.ResidualRmsNormKernel_Row192.Launch),
        new ResidualRmsNormCase<Row256>(Norm.ResidualRmsNormQuantizeKernel_Row256.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row256.Launch, Norm.ResidualRmsNormKernel_Row256.Emulate, Norm.ResidualRmsNormKernel_Row256.Launch),
        new ResidualRmsNormCase<Row2560>(Norm.ResidualRmsNormQuantizeKernel_Row2560.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row2560.Launch, Norm.ResidualRmsNormKernel_Row2560.Emulate, Norm.ResidualRmsNormKernel_Row2560.Launch),
        new ResidualRmsNormCase<Row192>(Norm.ResidualRmsNormQuantizeKernel_Row192.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row192.Launch, Norm.ResidualRmsNormKernel_Row192.Emulate, Norm.ResidualRmsNormKernel_Row192.Launch, rows: 2, decode: true),
        new ResidualRmsNormCase<Row2560>(Norm.ResidualRmsNormQuantizeKernel_Row2560.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row2560.Launch, Norm.ResidualRmsNormKernel_Row2560.Emulate, Norm.ResidualRmsNormKernel_Row2560.Launch, rows: 2, decode: true),
        new GatedRmsNormCase<Mamba2Tiny>(Norm.GatedRmsNormKernel_Mamba2Tiny.Emulate, Norm.GatedRmsNormKernel_Mamba2Tiny.Launch, rows: 2, decode: true),
        new GatedRmsNormCase<Mamba2_2p7B>(Norm.GatedRmsNormKernel_Mamba2_2p7B.Emulate, Norm.GatedRmsNormKernel_Mamba2_2p7B.Launch, rows: 1, decode: true),
        new GatedRmsNormCase<Mamba2Tiny>(Norm.GatedRmsNormKernel_Mamba2Tiny.Emulate, Norm.GatedRmsNormKernel_Mamba2Tiny.Launch),
        new GatedRmsNormCase<Mamba2_2p7B>(Norm.GatedRmsNormKernel_Mamba2_2p7B.Emulate, Norm.GatedRmsNormKernel_Mamba2_2p7B.Launch),
        new GatedRmsNormA16Case<Mamba2Tiny>(Norm.GatedRmsNormA16Kernel_Mamba2Tiny.Emulate, Norm.GatedRmsNormA16Kernel_Mamba2Tiny.Launch),
        new GatedRmsNormA16Case<Mamba2_2p7B>(Norm.GatedRmsNormA16Kernel_Mamba2_2p7B.Emulate, Norm.GatedRmsNormA16Kernel_Mamba2_2p7B.Launch),

        .. ScanCaseCatalog.Mamba2,
    ];
}
