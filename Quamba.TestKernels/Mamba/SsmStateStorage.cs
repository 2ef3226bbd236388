using Quamba.Kernels.Mamba;
using Quamba.Kernels.Plans;

namespace Quamba.TestKernels.Mamba;

/// <summary>The library's <see cref="ISsmState{TSelf}"/> implementation a config's scan and SSD kernels take for its state precision.</summary>
public static class SsmStateStorage
{
    public static Type Of(StatePrecision precision) => precision switch
    {
        StatePrecision.Fp32 => typeof(Fp32State),
        StatePrecision.Fp16 => typeof(Fp16State),
        StatePrecision.Int8 => typeof(Int8State),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "no state storage for this precision"),
    };
}
