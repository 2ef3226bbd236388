using Quamba.Generators.Common;

namespace Quamba.Generators.Config
{
    internal enum ModelArchitecture : byte { Mamba1, Mamba2 }

    /// <summary>Weight / activation precision of one layer.</summary>
    internal enum LayerPrecision : byte { Fp16, W8A8, W4A8, W4A16 }

    /// <summary>How the decode cache keeps the SSM state.</summary>
    internal enum StatePrecision : byte { Fp32, Fp16, Int8 }

    /// <summary>
    /// The model's sizes. Mamba1: <see cref="HeadDim"/> = 1, <see cref="NHeads"/> = <see cref="DInner"/> and
    /// <see cref="NGroups"/> = 1 (one B/C for all channels), <see cref="ChunkSize"/> = 0. Mamba2: <see cref="DtRank"/> = 0.
    /// </summary>
    internal sealed record ModelShape(
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

    /// <summary>A Hadamard size as <c>M x 2^Log2</c> (M = 1 for a power of two; otherwise 12, 20, 28 or 40).</summary>
    internal sealed record HadamardSize(int Size, int M, int Log2)
    {
        public int PowerOfTwo => 1 << Log2;
    }

    /// <summary>A validated quamba.json: everything the generator needs to choose and specialise kernels.</summary>
    internal sealed record QuambaConfig(
        string Name,
        string FilePath,
        ModelArchitecture Architecture,
        ModelShape Shape,
        EquatableArray<LayerPrecision> Layers,
        int HeadGroups,
        int DimGroups,
        int WeightGroupSize,
        StatePrecision StatePrecision,
        EquatableArray<int> TargetSms,
        bool TargetsOpenEnded,
        HadamardSize? InnerHadamard,
        LocationInfo? Location)
    {
        /// <summary>The distinct precisions in layer order of first use.</summary>
        public EquatableArray<LayerPrecision> DistinctPrecisions
        {
            get
            {
                var list = new System.Collections.Generic.List<LayerPrecision>();
                foreach (var p in Layers) if (!list.Contains(p)) list.Add(p);
                return list.ToEquatableArray();
            }
        }

        /// <summary>The oldest architecture the config targets: every kernel instance must compile for it.</summary>
        public int MinimumSm
        {
            get
            {
                int min = int.MaxValue;
                foreach (var sm in TargetSms) if (sm < min) min = sm;
                return min == int.MaxValue ? 0 : min;
            }
        }
    }
}
