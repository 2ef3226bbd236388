using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

/// <summary>Every corpus case, for the emulator tests and the GPU run.</summary>
public static class CaseCatalog
{
    /// <summary>The generator's corpus (Quamba.TestKernels.Kernels).</summary>
    public static IReadOnlyList<KernelCase> Corpus { get; } =
    [
        new VectorAddCase(), new Saxpy4Case(), new Copy16Case(), new ScaleInPlaceCase(), new ScalarParametersCase(),
        new SmallIntegersCase(), new Int32SemanticsCase(), new Int64SemanticsCase(),
        new FloatSemanticsCase(), new ExactMathCase(), new DoubleSemanticsCase(),
        new BranchesCase(), new LoopsCase(), new CollatzCase(), new SwitchesCase(),
        new InlinedHelpersCase(), new ComplexIterationsCase(), new RowSumCase<Tile256x64>(), new RowSumCase<Tile512x128>(),
        new BlockSumCase(), new WarpSumCase(), new WarpScanCase(), new WarpVotesCase(),
        new HistogramCase(), new AtomicOperationsCase(),
        new Dp4aElementwiseCase(), new Int8GemvCase(), new Int8GemvCase(16, 2688) /* both the unrolled loop and its tail */,
        new DynamicReverseCase(), new TransposeCase(), new Index3DCase(), new SortEightCase(),
        new BitTricksCase(), new HalfConversionsCase(), new BFloat16ConversionsCase(),
        new FastMathCase(), new FastTanhCase(), new TranscendentalsCase(), new RowSoftmaxCase(),
    ];

    /// <summary>
    /// The corpus, the model kernels' cases (<see cref="Mamba.MambaCaseCatalog"/>) and every reference config's kernels
    /// (<see cref="Mamba.ConfigCaseCatalog"/>): what the GPU run takes.
    /// </summary>
    public static IReadOnlyList<KernelCase> All { get; } = [.. Corpus, .. Mamba.MambaCaseCatalog.All, .. Mamba.ConfigCaseCatalog.All];

    public static KernelCase Get(string name) => All.Single(c => c.Name == name);
}
