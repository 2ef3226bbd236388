using System.Globalization;
using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>
    /// Turns shape values as written into a complete, consistent <see cref="ModelShape"/>: fills the defaults of
    /// the architecture and checks that the sizes fit together (QC0006 at the value that does not fit).
    /// </summary>
    internal static class ShapeBuilder
    {
        public static ModelShape? Build(ShapeInput input, ModelArchitecture architecture, ConfigDiagnostics diagnostics)
        {
            var k = input.Keys;
            bool missing = false;
            int Need(Located<int>? value, string key, string why)
            {
                if (value is { } v) return v.Value;
                missing = true;
                diagnostics.Report(ConfigDiagnosticDescriptors.MissingKey, input.Origin, input.Description, key, why);
                return 0;
            }
            int dModel = Need(input.DModel, k.DModel, "the model width is required");
            int nLayer = Need(input.NLayer, k.NLayer, "the number of layers is required");
            int vocab = Need(input.VocabSize, k.VocabSize, "the vocabulary size is required (after padding)");
            if (missing) return null;

            int expand = input.Expand?.Value ?? 2;
            long product = (long)expand * dModel;
            int dInner;
            if (input.DInner is { } given)
            {
                dInner = given.Value;
                if (input.Expand is { } e && product != dInner)
                {
                    Inconsistent(diagnostics, given.Location, $"'{k.DInner}' is {Text(dInner)} but '{k.Expand}' ({Text(e.Value)}) x '{k.DModel}' ({Text(dModel)}) = {product.ToString(CultureInfo.InvariantCulture)}: give one of them, or make them agree");
                    return null;
                }
            }
            else
            {
                if (product > JsonValues.MaxSize)
                {
                    Inconsistent(diagnostics, input.Expand?.Location ?? input.DModel!.Value.Location,
                        $"the inner width '{k.Expand}' x '{k.DModel}' = {product.ToString(CultureInfo.InvariantCulture)} is larger than {Text(JsonValues.MaxSize)}");
                    return null;
                }
                dInner = (int)product;
            }
            int dConv = input.DConv?.Value ?? 4;

            if (architecture == ModelArchitecture.Mamba1)
            {
                NoEffect(diagnostics, "mamba1", input.HeadDim, k.HeadDim, "Mamba1 has no heads (every channel has its own state)");
                NoEffect(diagnostics, "mamba1", input.NGroups, k.NGroups, "Mamba1 has one B and C shared by all channels");
                NoEffect(diagnostics, "mamba1", input.ChunkSize, k.ChunkSize, "Mamba1 prefill is a selective scan, not the chunked SSD");
                int dState = input.DState?.Value ?? 16;
                int dtRank = input.DtRank?.Value ?? (dModel + 15) / 16;
                if (dState is not (8 or 16 or 32))
                {
                    Inconsistent(diagnostics, input.DState?.Location, $"'{k.DState}' ({Text(dState)}) must be 8, 16 or 32 for the Mamba1 kernels (the scan keeps a channel's state in registers)");
                    return null;
                }
                if (!CheckCommon(input, k, dModel, dInner, dConv, diagnostics)) return null;
                return new ModelShape(dModel, dInner, dState, 1, 1, dInner, dConv, dtRank, 0, nLayer, vocab);
            }

            NoEffect(diagnostics, "mamba2", input.DtRank, k.DtRank, "Mamba2 computes dt per head inside in_proj (no dt rank)");
            int headDim = input.HeadDim?.Value ?? 64;
            int groups = input.NGroups?.Value ?? 1;
            int chunk = input.ChunkSize?.Value ?? 256;
            int state = input.DState?.Value ?? 128;
            if (dInner % headDim != 0)
            {
                Inconsistent(diagnostics, input.HeadDim?.Location ?? input.DInner?.Location ?? input.DModel!.Value.Location,
                    $"'{k.HeadDim}' ({Text(headDim)}) does not divide the inner width {Text(dInner)}: the heads must split the inner channels evenly");
                return null;
            }
            int heads = dInner / headDim;
            if (input.NHeads is { } declared && declared.Value != heads)
            {
                Inconsistent(diagnostics, declared.Location, $"'{k.NHeads}' is {Text(declared.Value)} but the inner width {Text(dInner)} / '{k.HeadDim}' {Text(headDim)} = {Text(heads)} heads");
                return null;
            }
            if (heads % groups != 0)
            {
                Inconsistent(diagnostics, input.NGroups?.Location ?? input.HeadDim?.Location ?? input.Origin,
                    $"the {Text(heads)} heads (inner width {Text(dInner)} / headdim {Text(headDim)}) are not divisible by '{k.NGroups}' ({Text(groups)}): every state group must hold the same number of heads");
                return null;
            }
            if (chunk is not (32 or 64 or 128 or 256))
            {
                Inconsistent(diagnostics, input.ChunkSize?.Location, $"'{k.ChunkSize}' ({Text(chunk)}) must be 32, 64, 128 or 256 (the SSD kernels' chunk tiles)");
                return null;
            }
            if (state % 32 != 0 || state > 256)
            {
                Inconsistent(diagnostics, input.DState?.Location, $"'{k.DState}' ({Text(state)}) must be a multiple of 32 up to 256 for the Mamba2 kernels (a warp covers 32 state entries)");
                return null;
            }
            if (headDim % 8 != 0 || headDim > 128)
            {
                Inconsistent(diagnostics, input.HeadDim?.Location, $"'{k.HeadDim}' ({Text(headDim)}) must be a multiple of 8 up to 128 for the Mamba2 kernels");
                return null;
            }
            if (!CheckCommon(input, k, dModel, dInner, dConv, diagnostics)) return null;
            return new ModelShape(dModel, dInner, state, headDim, groups, heads, dConv, 0, chunk, nLayer, vocab);
        }

        /// <summary>Constraints every kernel set shares: conv width 2..4, widths in whole warps.</summary>
        private static bool CheckCommon(ShapeInput input, KeyNames k, int dModel, int dInner, int dConv, ConfigDiagnostics diagnostics)
        {
            if (dConv is < 2 or > 4)
            {
                Inconsistent(diagnostics, input.DConv?.Location, $"'{k.DConv}' ({Text(dConv)}) must be 2, 3 or 4 (the conv kernels keep the window in registers)");
                return false;
            }
            if (dModel % 32 != 0)
            {
                Inconsistent(diagnostics, input.DModel?.Location, $"'{k.DModel}' ({Text(dModel)}) must be a multiple of 32: the row kernels (RMSNorm) give each lane whole columns");
                return false;
            }
            if (dInner % 32 != 0)
            {
                Inconsistent(diagnostics, input.DInner?.Location ?? input.Expand?.Location ?? input.DModel?.Location, $"the inner width ({Text(dInner)}) must be a multiple of 32");
                return false;
            }
            return true;
        }

        private static void NoEffect(ConfigDiagnostics diagnostics, string architecture, Located<int>? value, string key, string why)
        {
            if (value is { Location: { } location }) diagnostics.Report(ConfigDiagnosticDescriptors.NoEffect, location, key, architecture, why);
        }

        private static void Inconsistent(ConfigDiagnostics diagnostics, LocationInfo? location, string message) =>
            diagnostics.Report(ConfigDiagnosticDescriptors.InconsistentShape, location, message);

        public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
