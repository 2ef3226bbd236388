namespace Quamba.Kernels.Plans;

/// <summary>
/// The model sizes a plan was specialised for. Mamba1: <see cref="HeadDim"/> 1, <see cref="NHeads"/> = <see cref="DInner"/>,
/// <see cref="NGroups"/> 1, <see cref="ChunkSize"/> 0. Mamba2: <see cref="DtRank"/> 0.
/// </summary>
public sealed record PlanShape(
    int DModel,
    int DInner,
    int DState,
    int HeadDim,
    int NGroups,
    int NHeads,
    int DConv,
    int DtRank,
    int ChunkSize,
    int NLayer,
    int VocabSize);

/// <summary>
/// One static scale table of a layer: its name in the quantized checkpoint (relative to the layer), its
/// dimensions (row-major), and what each entry covers. Present only for the precisions that need it.
/// </summary>
public sealed record ScaleTable(string Name, ScaleGranularity Granularity, IReadOnlyList<int> Dimensions)
{
    public int Count => Dimensions.Aggregate(1, (a, b) => a * b);

    public override string ToString() => $"{Name} [{string.Join(", ", Dimensions)}] ({Granularity})";
}
