using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Recipes;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// A quantized Mamba2 mixer. With int8 activations: u -> int8 -> in_proj (int32) -> [z | xBC | dt] in float; xBC ->
/// int8 codes (per-channel scales: one per tensor, or per x / B / C segment) -> int8 conv (int32) + bias + SiLU ->
/// x, B, C codes (x: per tensor or Quamba2's cross-head groups; B, C: per tensor or per state group); the SSD reads
/// their dequantized values (float state); gated RMSNorm with z in float; y rotated and quantized for out_proj.
/// W4A16 runs the float path with 4-bit in_proj / out_proj.
/// </summary>
internal sealed unsafe class QuantizedMamba2Layer : QuantizedMixer
{
    private readonly ModelConfig _c;
    private readonly QuantizedLinear _inProj, _outProj;
    private readonly AlignedBuffer? _inProjBias, _outProjBias, _normWeight;
    private readonly AlignedBuffer _convBias, _dtBias, _a, _d;
    private readonly sbyte[]? _convCodesT;
    private readonly float _convWeightScale;
    private readonly AlignedBuffer? _convInputScale, _convScale, _convWeightT;
    /// <summary>Per conv channel [x | B | C]: the scale of the SSM inputs the conv produces.</summary>
    private readonly AlignedBuffer? _ssmScale;
    private readonly long _parameterBytes;

    public QuantizedMamba2Layer(StoredTensorReader reader, LayerManifest layer, LayerPrecision precision, HadamardTransform? hadamard)
        : base(precision, hadamard)
    {
        var c = _c = reader.Checkpoint.Config;
        int l = layer.Index, d = c.HiddenSize, e = c.IntermediateSize, h = c.NumHeads, k = c.ConvKernel;
        int g = c.NGroups, n = c.StateSize, gn = g * n, convChannels = c.ConvChannels;
        string M(string name) => QuantizedTensorNames.Mixer(l, name);
        string field = $"layers[{l}]";
        string why = $"layer {l} is {precision.Name()}";
        bool a8 = Int8Activations;
        long floats = 0;
        AlignedBuffer F(string name, int[] shape)
        {
            var values = reader.Floats(M(name), shape, why);
            floats += values.Length;
            return QuantizedMamba1Layer.Buffer(values);
        }
        float S(string name) => reader.Scale(name, why + ", int8 activations");
        QuantizedLinear Lin(string name, int rows, int columns, float inputScale) =>
            reader.Linear(M(name), QuantizedMamba1Layer.Manifest(reader, layer, name, field), rows, columns, inputScale, $"{field}.linears.{name}");

        _inProj = Lin("in_proj", c.InProjRows, d, a8 ? S(QuantizedTensorNames.InputScale(M("in_proj"))) : float.NaN);
        _outProj = Lin("out_proj", d, e, a8 ? S(QuantizedTensorNames.InputScale(M("out_proj"))) : float.NaN);
        _inProjBias = c.UseBias ? F("in_proj.bias", [c.InProjRows]) : null;
        _outProjBias = c.UseBias ? F("out_proj.bias", [d]) : null;
        _convBias = c.UseConvBias ? F("conv1d.bias", [convChannels]) : new AlignedBuffer(convChannels);
        _dtBias = F("dt_bias", [h]);
        _d = F("D", [h]);
        _normWeight = c.GatedNorm ? F("norm.weight", [e]) : null;
        var aLog = reader.Floats(M("A_log"), [h], why);
        floats += h;
        _a = new AlignedBuffer(h);
        for (int i = 0; i < h; i++) _a.Pointer[i] = -MathF.Exp(aLog[i]);

        if (a8)
        {
            var codes = reader.Require(M("conv1d.weight"), SafetensorsDType.I8, [convChannels, 1, k], why + ": int8 conv").ToInt8();
            _convCodesT = QuantizedMamba1Layer.Transpose(codes, convChannels, k);
            _convWeightScale = S(M("conv1d.weight_scale"));
            _convInputScale = QuantizedMamba1Layer.Buffer(reader.Scales(QuantizedTensorNames.InputScale(M("conv1d")), [convChannels], why));
            _convScale = new AlignedBuffer(convChannels);
            for (int ch = 0; ch < convChannels; ch++) _convScale.Pointer[ch] = _convWeightScale * _convInputScale.Pointer[ch];
            _ssmScale = SsmScales(reader, layer, field, why);
            floats += convChannels + 3;
        }
        else
        {
            var w = reader.Floats(M("conv1d.weight"), [convChannels, 1, k], why + ": float conv");
            _convWeightT = QuantizedMamba1Layer.Buffer(QuantizedMamba1Layer.Transpose(w, convChannels, k));
            floats += w.Length;
        }
        _parameterBytes = _inProj.WeightBytes + _outProj.WeightBytes + (_convCodesT?.Length ?? 0) + 4 * floats;
    }

    public override long ParameterBytes => _parameterBytes;

    /// <summary>x scales per tensor [1] or per cross-head group [G, HG, DG] (table in the manifest); B, C per tensor or per state group; expanded per channel.</summary>
    private AlignedBuffer SsmScales(StoredTensorReader reader, LayerManifest layer, string field, string why)
    {
        var c = _c;
        int l = layer.Index, e = c.IntermediateSize, g = c.NGroups, n = c.StateSize, gn = g * n;
        var scales = new AlignedBuffer(c.ConvChannels);
        float* s = scales.Pointer;
        if (layer.XGroups is { } groups)
        {
            var table = Table(reader, groups, field);
            var x = reader.Scales(QuantizedTensorNames.XScale(l), [g, table.HeadGroupCount, table.DimGroupCount], why + " with cross-head x groups");
            int[] map = table.BuildChannelGroupMap();
            for (int ch = 0; ch < e; ch++) s[ch] = x[map[ch]];
        }
        else
        {
            float x = reader.Scale(QuantizedTensorNames.XScale(l), why);
            for (int ch = 0; ch < e; ch++) s[ch] = x;
        }
        for (int part = 0; part < 2; part++)
        {
            string name = part == 0 ? QuantizedTensorNames.BScale(l) : QuantizedTensorNames.CScale(l);
            int count = reader.Checkpoint.Tensors.TryGetValue(name, out var t) && t.Shape is [int only] && only == g ? g : 1;
            var v = reader.Scales(name, [count], why + (count == 1 ? " (per tensor)" : " (per state group)"));
            for (int j = 0; j < gn; j++) s[e + part * gn + j] = v[count == 1 ? 0 : j / n];
        }
        return scales;
    }

    private CrossHeadGroupTable Table(StoredTensorReader reader, GroupTableManifest m, string field)
    {
        var c = _c;
        try
        {
            return new CrossHeadGroupTable(c.NGroups, c.NumHeads / c.NGroups, c.HeadDim, m.HeadGroups, m.DimGroups, m.HeadGroupOfHead, m.DimGroupBoundaries);
        }
        catch (ArgumentException error)
        {
            throw new ModelConfigException(reader.Checkpoint.ManifestPath, field + ".x_groups", error.Message, error);
        }
    }

    public override void Forward(MixerContext context, int layer, InferenceState state, float* input, float* residual, int batch, int length)
    {
        var c = _c;
        var parallel = context.Parallel;
        var scratch = context.Scratch;
        int d = c.HiddenSize, e = c.IntermediateSize, h = c.NumHeads, gn = c.NGroups * c.StateSize;
        int inRows = c.InProjRows, convChannels = c.ConvChannels;
        int rows = batch * length;

        float* zxbcdt = scratch.Get(ScratchSlot.InProj, (long)rows * inRows);
        float* xbc = scratch.Get(ScratchSlot.ConvOut, (long)rows * convChannels);
        if (Int8Activations)
        {
            sbyte* u = context.Codes(ScratchSlot.Codes, (long)rows * d);
            ActivationCodec.Quantize(parallel, input, d, u, rows, d, _inProj.InputScale);
            Linear(context, _inProj, u, rows, zxbcdt, accumulate: false);
            if (_inProjBias is not null) VectorMath.AddBiasRows(parallel, zxbcdt, _inProjBias.Pointer, rows, inRows);

            sbyte* convIn = context.Codes(ScratchSlot.Codes2, (long)rows * convChannels);
            ActivationCodec.QuantizePerChannel(parallel, zxbcdt + e, inRows, convIn, convChannels, rows, convChannels, _convInputScale!.Pointer);
            fixed (sbyte* w = _convCodesT)
            {
                Int8CausalConv1d.Forward(parallel, new Int8CausalConv1d.Operands
                {
                    Input = convIn, Output = xbc, OutputStride = convChannels, States = state.ConvPointer(layer, 0),
                    WeightT = w, WeightScale = _convWeightScale, InputScale = _convInputScale.Pointer, Scale = _convScale!.Pointer,
                    Bias = _convBias.Pointer, Channels = convChannels, Kernel = c.ConvKernel, Simulated = context.Simulated,
                }, batch, length);
            }
            // x, B, C as int8 codes; the SSD reads them dequantized.
            sbyte* ssmIn = context.Codes(ScratchSlot.Codes, (long)rows * convChannels);
            ActivationCodec.QuantizePerChannel(parallel, xbc, convChannels, ssmIn, convChannels, rows, convChannels, _ssmScale!.Pointer);
            ActivationCodec.DequantizePerChannel(parallel, ssmIn, convChannels, xbc, convChannels, rows, convChannels, _ssmScale.Pointer);
        }
        else
        {
            LinearFloat(context, _inProj, input, d, rows, zxbcdt, accumulate: false);
            if (_inProjBias is not null) VectorMath.AddBiasRows(parallel, zxbcdt, _inProjBias.Pointer, rows, inRows);
            CausalConv1d.Forward(parallel, zxbcdt + e, inRows, xbc, convChannels, state.ConvPointer(layer, 0), _convWeightT!.Pointer,
                _convBias.Pointer, batch, length, convChannels, c.ConvKernel);
        }

        float* dt = scratch.Get(ScratchSlot.Dt, (long)rows * h);
        float* raw = zxbcdt + 2 * e + 2 * gn;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < h; i++)
                dt[(long)r * h + i] = Math.Clamp(VectorMath.Softplus(raw[(long)r * inRows + i] + _dtBias.Pointer[i]), c.TimeStepLimit.Min, c.TimeStepLimit.Max);

        float* y = scratch.Get(ScratchSlot.Y, (long)rows * e);
        var operands = new SsdScan.Operands
        {
            X = xbc, XStride = convChannels, BOffset = e, COffset = e + gn,
            Dt = dt, A = _a.Pointer, D = _d.Pointer,
            Y = y, YStride = e,
            States = state.SsmPointer(layer, 0),
        };
        var shape = new SsdScan.Shape(h, c.HeadDim, c.NGroups, c.StateSize);
        if (length == 1)
        {
            SsdScan.Step(parallel, operands, shape, batch);
        }
        else
        {
            int chunk = c.ChunkSize;
            float* shared = scratch.Get(ScratchSlot.ChunkShared, SsdScan.SharedScratchLength(shape, batch, length, chunk));
            long workerStride = SsdScan.WorkerScratchLength(shape, chunk);
            float* workers = scratch.Get(ScratchSlot.WorkerScratch, workerStride * parallel.Workers(batch * h));
            SsdScan.Prefill(parallel, operands, shape, batch, length, chunk, shared, workers, workerStride);
        }

        if (_normWeight is not null)
            GatedRmsNorm.Forward(parallel, y, e, zxbcdt, inRows, _normWeight.Pointer, rows, e, c.NormGroupSize, c.LayerNormEpsilon, c.NormBeforeGate);
        else
            GatedRmsNorm.GateOnly(parallel, y, e, zxbcdt, inRows, rows, e);

        OutProjection(context, _outProj, y, rows, residual);
        if (_outProjBias is not null) VectorMath.AddBiasRows(parallel, residual, _outProjBias.Pointer, rows, d);
    }
}
