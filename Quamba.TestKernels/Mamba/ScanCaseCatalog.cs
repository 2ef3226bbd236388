using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;
using S1 = Quamba.Kernels.Mamba.Mamba1ScanKernels;
using S2 = Quamba.Kernels.Mamba.Mamba2SsdKernels;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// The scan and SSD cases, one per library instance: A8 and A16 activations, each state precision on the tiny shapes
/// (batch 2, sequences over several chunks), the published shapes with short sequences in the precisions a config of
/// that kind uses by default (int8 state for A8 layers, fp16 for A16) and fp32.
/// </summary>
public static class ScanCaseCatalog
{
    public static IReadOnlyList<KernelCase> Mamba1 { get; } =
    [
        Mamba1ScanCase<Mamba1Tiny, Fp32State>.Prefill(S1.Mamba1ScanPrefillKernel_Mamba1Tiny_Fp32State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1Tiny_Fp32State.Launch, batch: 2, length: 40),
        Mamba1ScanCase<Mamba1Tiny, Fp32State>.Step(S1.Mamba1ScanStepKernel_Mamba1Tiny_Fp32State.Emulate, S1.Mamba1ScanStepKernel_Mamba1Tiny_Fp32State.Launch, batch: 2),
        Mamba1ScanCase<Mamba1Tiny, Fp16State>.Prefill(S1.Mamba1ScanPrefillKernel_Mamba1Tiny_Fp16State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1Tiny_Fp16State.Launch, batch: 2, length: 40),
        Mamba1ScanCase<Mamba1Tiny, Fp16State>.Step(S1.Mamba1ScanStepKernel_Mamba1Tiny_Fp16State.Emulate, S1.Mamba1ScanStepKernel_Mamba1Tiny_Fp16State.Launch, batch: 2),
        Mamba1ScanCase<Mamba1Tiny, Int8State>.Prefill(S1.Mamba1ScanPrefillKernel_Mamba1Tiny_Int8State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1Tiny_Int8State.Launch, batch: 2, length: 40),
        Mamba1ScanCase<Mamba1Tiny, Int8State>.Step(S1.Mamba1ScanStepKernel_Mamba1Tiny_Int8State.Emulate, S1.Mamba1ScanStepKernel_Mamba1Tiny_Int8State.Launch, batch: 2),
        Mamba1ScanCase<Mamba1_2p8B, Fp32State>.Prefill(S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Fp32State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Fp32State.Launch, batch: 1, length: 3),
        Mamba1ScanCase<Mamba1_2p8B, Fp32State>.Step(S1.Mamba1ScanStepKernel_Mamba1_2p8B_Fp32State.Emulate, S1.Mamba1ScanStepKernel_Mamba1_2p8B_Fp32State.Launch, batch: 1),
        Mamba1ScanCase<Mamba1_2p8B, Int8State>.Prefill(S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Int8State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Int8State.Launch, batch: 1, length: 3),
        Mamba1ScanCase<Mamba1_2p8B, Int8State>.Step(S1.Mamba1ScanStepKernel_Mamba1_2p8B_Int8State.Emulate, S1.Mamba1ScanStepKernel_Mamba1_2p8B_Int8State.Launch, batch: 1),
        Mamba1ScanA16Case<Mamba1Tiny, Fp32State>.Prefill(S1.Mamba1ScanPrefillA16Kernel_Mamba1Tiny_Fp32State.Emulate, S1.Mamba1ScanPrefillA16Kernel_Mamba1Tiny_Fp32State.Launch, batch: 2, length: 40),
        Mamba1ScanA16Case<Mamba1Tiny, Fp32State>.Step(S1.Mamba1ScanStepA16Kernel_Mamba1Tiny_Fp32State.Emulate, S1.Mamba1ScanStepA16Kernel_Mamba1Tiny_Fp32State.Launch, batch: 2),
        Mamba1ScanA16Case<Mamba1Tiny, Fp16State>.Prefill(S1.Mamba1ScanPrefillA16Kernel_Mamba1Tiny_Fp16State.Emulate, S1.Mamba1ScanPrefillA16Kernel_Mamba1Tiny_Fp16State.Launch, batch: 2, length: 40),
        Mamba1ScanA16Case<Mamba1Tiny, Fp16State>.Step(S1.Mamba1ScanStepA16Kernel_Mamba1Tiny_Fp16State.Emulate, S1.Mamba1ScanStepA16Kernel_Mamba1Tiny_Fp16State.Launch, batch: 2),
        Mamba1ScanA16Case<Mamba1Tiny, Int8State>.Prefill(S1.Mamba1ScanPrefillA16Kernel_Mamba1Tiny_Int8State.Emulate, S1.Mamba1ScanPrefillA16Kernel_Mamba1Tiny_Int8State.Launch, batch: 2, length: 40),
        Mamba1ScanA16Case<Mamba1Tiny, Int8State>.Step(S1.Mamba1ScanStepA16Kernel_Mamba1Tiny_Int8State.Emulate, S1.Mamba1ScanStepA16Kernel_Mamba1Tiny_Int8State.Launch, batch: 2),
        Mamba1ScanA16Case<Mamba1_2p8B, Fp16State>.Prefill(S1.Mamba1ScanPrefillA16Kernel_Mamba1_2p8B_Fp16State.Emulate, S1.Mamba1ScanPrefillA16Kernel_Mamba1_2p8B_Fp16State.Launch, batch: 1, length: 3),
        Mamba1ScanA16Case<Mamba1_2p8B, Fp16State>.Step(S1.Mamba1ScanStepA16Kernel_Mamba1_2p8B_Fp16State.Emulate, S1.Mamba1ScanStepA16Kernel_Mamba1_2p8B_Fp16State.Launch, batch: 1),
    ];

    public static IReadOnlyList<KernelCase> Mamba2 { get; } =
    [
        Mamba2SsdCase<Mamba2Tiny, Fp32State>.Prefill(S2.Mamba2SsdPrefillKernel_Mamba2Tiny_Fp32State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2Tiny_Fp32State.Launch, batch: 2, length: 150),
        Mamba2SsdCase<Mamba2Tiny, Fp16State>.Prefill(S2.Mamba2SsdPrefillKernel_Mamba2Tiny_Fp16State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2Tiny_Fp16State.Launch, batch: 2, length: 150),
        Mamba2SsdCase<Mamba2Tiny, Int8State>.Prefill(S2.Mamba2SsdPrefillKernel_Mamba2Tiny_Int8State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2Tiny_Int8State.Launch, batch: 2, length: 150),
        Mamba2SsdCase<Mamba2Tiny, Fp32State>.Step(S2.Mamba2SsdStepKernel_Mamba2Tiny_Fp32State.Emulate, S2.Mamba2SsdStepKernel_Mamba2Tiny_Fp32State.Launch, batch: 2),
        Mamba2SsdCase<Mamba2Tiny, Fp16State>.Step(S2.Mamba2SsdStepKernel_Mamba2Tiny_Fp16State.Emulate, S2.Mamba2SsdStepKernel_Mamba2Tiny_Fp16State.Launch, batch: 2),
        Mamba2SsdCase<Mamba2Tiny, Int8State>.Step(S2.Mamba2SsdStepKernel_Mamba2Tiny_Int8State.Emulate, S2.Mamba2SsdStepKernel_Mamba2Tiny_Int8State.Launch, batch: 2),
        Mamba2SsdCase<Mamba2_2p7B, Fp32State>.Prefill(S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Fp32State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Fp32State.Launch, batch: 1, length: 20),
        Mamba2SsdCase<Mamba2_2p7B, Int8State>.Prefill(S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Int8State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Int8State.Launch, batch: 1, length: 20),
        Mamba2SsdCase<Mamba2_2p7B, Fp32State>.Step(S2.Mamba2SsdStepKernel_Mamba2_2p7B_Fp32State.Emulate, S2.Mamba2SsdStepKernel_Mamba2_2p7B_Fp32State.Launch, batch: 1),
        Mamba2SsdCase<Mamba2_2p7B, Int8State>.Step(S2.Mamba2SsdStepKernel_Mamba2_2p7B_Int8State.Emulate, S2.Mamba2SsdStepKernel_Mamba2_2p7B_Int8State.Launch, batch: 1),
        Mamba2SsdCase<Mamba2TestQ256, Fp32State>.Prefill(S2.Mamba2SsdPrefillKernel_Mamba2TestQ256_Fp32State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2TestQ256_Fp32State.Launch, batch: 2, length: 300),
        Mamba2SsdA16Case<Mamba2Tiny, Fp32State>.Prefill(S2.Mamba2SsdPrefillA16Kernel_Mamba2Tiny_Fp32State.Emulate, S2.Mamba2SsdPrefillA16Kernel_Mamba2Tiny_Fp32State.Launch, batch: 2, length: 150),
        Mamba2SsdA16Case<Mamba2Tiny, Fp16State>.Prefill(S2.Mamba2SsdPrefillA16Kernel_Mamba2Tiny_Fp16State.Emulate, S2.Mamba2SsdPrefillA16Kernel_Mamba2Tiny_Fp16State.Launch, batch: 2, length: 150),
        Mamba2SsdA16Case<Mamba2Tiny, Int8State>.Prefill(S2.Mamba2SsdPrefillA16Kernel_Mamba2Tiny_Int8State.Emulate, S2.Mamba2SsdPrefillA16Kernel_Mamba2Tiny_Int8State.Launch, batch: 2, length: 150),
        Mamba2SsdA16Case<Mamba2Tiny, Fp32State>.Step(S2.Mamba2SsdStepA16Kernel_Mamba2Tiny_Fp32State.Emulate, S2.Mamba2SsdStepA16Kernel_Mamba2Tiny_Fp32State.Launch, batch: 2),
        Mamba2SsdA16Case<Mamba2Tiny, Fp16State>.Step(S2.Mamba2SsdStepA16Kernel_Mamba2Tiny_Fp16State.Emulate, S2.Mamba2SsdStepA16Kernel_Mamba2Tiny_Fp16State.Launch, batch: 2),
        Mamba2SsdA16Case<Mamba2Tiny, Int8State>.Step(S2.Mamba2SsdStepA16Kernel_Mamba2Tiny_Int8State.Emulate, S2.Mamba2SsdStepA16Kernel_Mamba2Tiny_Int8State.Launch, batch: 2),
        Mamba2SsdA16Case<Mamba2_2p7B, Fp16State>.Prefill(S2.Mamba2SsdPrefillA16Kernel_Mamba2_2p7B_Fp16State.Emulate, S2.Mamba2SsdPrefillA16Kernel_Mamba2_2p7B_Fp16State.Launch, batch: 1, length: 20),
        Mamba2SsdA16Case<Mamba2_2p7B, Fp16State>.Step(S2.Mamba2SsdStepA16Kernel_Mamba2_2p7B_Fp16State.Emulate, S2.Mamba2SsdStepA16Kernel_Mamba2_2p7B_Fp16State.Launch, batch: 1),
        Mamba2SsdA16Case<Mamba2TestQ256, Fp16State>.Prefill(S2.Mamba2SsdPrefillA16Kernel_Mamba2TestQ256_Fp16State.Emulate, S2.Mamba2SsdPrefillA16Kernel_Mamba2TestQ256_Fp16State.Launch, batch: 2, length: 300),
    ];
}
