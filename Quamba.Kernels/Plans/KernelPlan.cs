namespace Quamba.Kernels.Plans;

/// <summary>
/// What the build (or the run-time compiler) made of one quamba.json: the model shape, the precision of each
/// layer, the scale tables each layer's quantized weights carry, and the compiled kernel for each model step.
/// The model runtime asks it which kernel to launch for a step of a layer.
/// </summary>
public sealed class KernelPlan
{
    public KernelPlan(
        string name,
        ModelArchitecture architecture,
        PlanShape shape,
        IReadOnlyList<LayerPrecision> layers,
        int headGroups,
        int dimGroups,
        int weightGroupSize,
        StatePrecision statePrecision,
        IReadOnlyList<int> targetSms,
        bool targetsOpenEnded,
        int hadamardSize,
        IReadOnlyList<PlannedKernel> kernels)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(kernels);
        if (layers.Count != shape.NLayer) throw new ArgumentException($"{layers.Count} layer precisions for {shape.NLayer} layers", nameof(layers));
        Name = name;
        Architecture = architecture;
        Shape = shape;
        Layers = layers;
        HeadGroups = headGroups;
        DimGroups = dimGroups;
        WeightGroupSize = weightGroupSize;
        StatePrecision = statePrecision;
        TargetSms = targetSms;
        TargetsOpenEnded = targetsOpenEnded;
        HadamardSize = hadamardSize;
        Kernels = kernels;
    }

    public string Name { get; }
    public ModelArchitecture Architecture { get; }
    public PlanShape Shape { get; }

    /// <summary>The precision of each layer, in order (W4AX configs mix W4A8 and W4A16).</summary>
    public IReadOnlyList<LayerPrecision> Layers { get; }

    public int HeadGroups { get; }
    public int DimGroups { get; }
    public int WeightGroupSize { get; }
    public StatePrecision StatePrecision { get; }

    /// <summary>The architectures the config names (sm numbers); with <see cref="TargetsOpenEnded"/>, the first and every later one.</summary>
    public IReadOnlyList<int> TargetSms { get; }

    public bool TargetsOpenEnded { get; }

    /// <summary>The online Hadamard size (the inner width), or 0 when no layer quantizes activations to 8 bits.</summary>
    public int HadamardSize { get; }

    public IReadOnlyList<PlannedKernel> Kernels { get; }

    /// <summary>Whether a device of compute capability <paramref name="sm"/> (e.g. 86) is one the config targets.</summary>
    public bool Targets(int sm) => TargetsOpenEnded ? sm >= TargetSms.Min() : TargetSms.Contains(sm);

    /// <summary>
    /// The kernel for <paramref name="step"/> in layer <paramref name="layer"/>, or null when the plan has none for it. A step
    /// may have one kernel per activation precision (e.g. "Mamba2SsdKernels.Mamba2SsdStep": the A8 kernel for W8A8/W4A8
    /// layers, the A16 one for FP16/W4A16 layers), each compiled for the plan's <see cref="StatePrecision"/>.
    /// </summary>
    public KernelDescriptor? KernelFor(string step, int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers.Count);
        var precision = Layers[layer];
        foreach (var kernel in Kernels)
        {
            if (kernel.Step == step && (kernel.Precision is null || kernel.Precision == precision)) return kernel.Descriptor;
        }
        return null;
    }

    /// <summary>The static scale tables a layer of this precision carries, in checkpoint order.</summary>
    public IReadOnlyList<ScaleTable> ScaleTables(int layer) => ScaleLayout.For(this, Layers[layer]);
}
