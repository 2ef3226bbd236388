using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Recipes;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// A quantized Mamba1 mixer. With int8 activations: u -> int8 -> in_proj (int32 accumulation) -> x codes -> int8
/// conv (int32) + bias + SiLU -> x codes (the clipped SSM input scale) -> x_proj -> dt_low / B / C codes -> dt_proj;
/// the selective scan reads the dequantized x, B, C (float state, as the reference kernels do) and gates with z;
/// y is rotated (Hadamard) and quantized for out_proj. W4A16 runs the same steps on float activations with 4-bit
/// in_proj / x_proj / out_proj, the 8-bit dt_proj and a float conv.
/// </summary>
internal sealed unsafe class QuantizedMamba1Layer : QuantizedMixer
{
    private readonly ModelConfig _c;
    private readonly QuantizedLinear _inProj, _xProj, _dtProj, _outProj;
    private readonly AlignedBuffer? _inProjBias, _outProjBias;
    private readonly AlignedBuffer _convBias, _dtBias, _aT, _d;
    // int8 activations: conv weight codes [K, E], per channel scales; float activations: float conv weights [K, E].
    private readonly sbyte[]? _convCodesT;
    private readonly float _convWeightScale;
    private readonly AlignedBuffer? _convInputScale, _convScale, _convWeightT;
    private readonly float _xScale, _bScale, _cScale;
    private readonly long _parameterBytes;

    public QuantizedMamba1Layer(StoredTensorReader reader, LayerManifest layer, LayerPrecision precision, HadamardTransform? hadamard)
        : base(precision, hadamard)
    {
        var c = _c = reader.Checkpoint.Config;
        int l = layer.Index, d = c.HiddenSize, e = c.IntermediateSize, n = c.StateSize, r = c.TimeStepRank, k = c.ConvKernel;
        string M(string name) => QuantizedTensorNames.Mixer(l, name);
        string field = $"layers[{l}]";
        string why = $"layer {l} is {precision.Name()}";
        bool a8 = Int8Activations;
        long floats = 0;
        AlignedBuffer F(string name, int[] shape)
        {
            var values = reader.Floats(M(name), shape, why);
            floats += values.Length;
            return Buffer(values);
        }
        float S(string name) => reader.Scale(name, why + ", int8 activations");
        QuantizedLinear Lin(string name, int rows, int columns, float inputScale) =>
            reader.Linear(M(name), Manifest(reader, layer, name, field), rows, columns, inputScale, $"{field}.linears.{name}");

        _inProj = Lin("in_proj", 2 * e, d, a8 ? S(QuantizedTensorNames.InputScale(M("in_proj"))) : float.NaN);
        _xScale = a8 ? S(QuantizedTensorNames.XScale(l)) : float.NaN;
        _xProj = Lin("x_proj", r + 2 * n, e, _xScale);
        _dtProj = Lin("dt_proj", e, r, a8 ? S(QuantizedTensorNames.InputScale(M("dt_proj"))) : float.NaN);
        _outProj = Lin("out_proj", d, e, a8 ? S(QuantizedTensorNames.InputScale(M("out_proj"))) : float.NaN);
        if (a8)
        {
            _bScale = S(QuantizedTensorNames.BScale(l));
            _cScale = S(QuantizedTensorNames.CScale(l));
        }
        _inProjBias = c.UseBias ? F("in_proj.bias", [2 * e]) : null;
        _outProjBias = c.UseBias ? F("out_proj.bias", [d]) : null;
        _convBias = c.UseConvBias ? F("conv1d.bias", [e]) : new AlignedBuffer(e);
        _dtBias = F("dt_proj.bias", [e]);
        _d = F("D", [e]);

        if (a8)
        {
            var codes = reader.Require(M("conv1d.weight"), SafetensorsDType.I8, [e, 1, k], why + ": int8 conv").ToInt8();
            _convCodesT = Transpose(codes, e, k);
            _convWeightScale = S(M("conv1d.weight_scale"));
            _convInputScale = Buffer(reader.Scales(QuantizedTensorNames.InputScale(M("conv1d")), [e], why));
            _convScale = new AlignedBuffer(e);
            for (int ch = 0; ch < e; ch++) _convScale.Pointer[ch] = _convWeightScale * _convInputScale.Pointer[ch];
            floats += e + 8;
        }
        else
        {
            var w = reader.Floats(M("conv1d.weight"), [e, 1, k], why + ": float conv");
            _convWeightT = Buffer(Transpose(w, e, k));
            floats += w.Length;
        }

        // A = -exp(A_log), [E, N] stored transposed to [N, E] as the scan reads it.
        var aLog = reader.Floats(M("A_log"), [e, n], why);
        floats += aLog.Length;
        _aT = new AlignedBuffer((long)n * e);
        for (int ch = 0; ch < e; ch++)
            for (int j = 0; j < n; j++) _aT.Pointer[(long)j * e + ch] = -MathF.Exp(aLog[ch * n + j]);

        _parameterBytes = _inProj.WeightBytes + _xProj.WeightBytes + _dtProj.WeightBytes + _outProj.WeightBytes
            + (_convCodesT?.Length ?? 0) + 4 * floats + (a8 ? 4 * 6 : 0);
    }

    public override long ParameterBytes => _parameterBytes;

    internal static LinearManifest Manifest(StoredTensorReader reader, LayerManifest layer, string name, string field) =>
        layer.Linears?.TryGetValue(name, out var m) == true ? m
            : throw new ModelConfigException(reader.Checkpoint.ManifestPath, $"{field}.linears.{name}", "missing; every quantized layer lists its linears");

    internal static AlignedBuffer Buffer(float[] values)
    {
        var b = new AlignedBuffer(values.Length);
        values.AsSpan().CopyTo(b.Span);
        return b;
    }

    internal static T[] Transpose<T>(T[] weight, int channels, int kernel)
    {
        var t = new T[weight.Length];
        for (int ch = 0; ch < channels; ch++)
            for (int j = 0; j < kernel; j++) t[j * channels + ch] = weight[ch * kernel + j];
        return t;
    }

    public override void Forward(MixerContext context, int layer, InferenceState state, float* input, float* residual, int batch, int length)
    {
        var c = _c;
        var parallel = context.Parallel;
        var scratch = context.Scratch;
        int d = c.HiddenSize, e = c.IntermediateSize, n = c.StateSize, r = c.TimeStepRank, xpw = r + 2 * n;
        int rows = batch * length;
        bool a8 = Int8Activations;

        float* xz = scratch.Get(ScratchSlot.InProj, (long)rows * 2 * e);
        float* x = scratch.Get(ScratchSlot.ConvOut, (long)rows * e);
        float* dbc = scratch.Get(ScratchSlot.XProj, (long)rows * xpw);
        float* dt = scratch.Get(ScratchSlot.Dt, (long)rows * e);
        if (a8)
        {
            sbyte* u = context.Codes(ScratchSlot.Codes, (long)rows * d);
            ActivationCodec.Quantize(parallel, input, d, u, rows, d, _inProj.InputScale);
            Linear(context, _inProj, u, rows, xz, accumulate: false);
            if (_inProjBias is not null) VectorMath.AddBiasRows(parallel, xz, _inProjBias.Pointer, rows, 2 * e);

            sbyte* convIn = context.Codes(ScratchSlot.Codes2, (long)rows * e);
            ActivationCodec.QuantizePerChannel(parallel, xz, 2 * e, convIn, e, rows, e, _convInputScale!.Pointer);
            fixed (sbyte* w = _convCodesT)
            {
                Int8CausalConv1d.Forward(parallel, new Int8CausalConv1d.Operands
                {
                    Input = convIn, Output = x, OutputStride = e, States = state.ConvPointer(layer, 0),
                    WeightT = w, WeightScale = _convWeightScale, InputScale = _convInputScale.Pointer, Scale = _convScale!.Pointer,
                    Bias = _convBias.Pointer, Channels = e, Kernel = c.ConvKernel, Simulated = context.Simulated,
                }, batch, length);
            }

            // The SSM input: int8 codes at the (clipped) x scale feed x_proj; the scan reads their dequantized values.
            sbyte* xq = context.Codes(ScratchSlot.Codes, (long)rows * e);
            ActivationCodec.Quantize(parallel, x, e, xq, rows, e, _xScale);
            ActivationCodec.Dequantize(xq, x, (long)rows * e, _xScale);
            Linear(context, _xProj, xq, rows, dbc, accumulate: false);

            // dt_low codes feed dt_proj; B and C become codes and are read back dequantized by the scan.
            sbyte* dtLow = context.Codes(ScratchSlot.Codes2, (long)rows * r);
            ActivationCodec.Quantize(parallel, dbc, xpw, dtLow, rows, r, _dtProj.InputScale);
            QuantizeInPlace(context, dbc + r, xpw, rows, n, _bScale);
            QuantizeInPlace(context, dbc + r + n, xpw, rows, n, _cScale);
            Linear(context, _dtProj, dtLow, rows, dt, accumulate: false);
        }
        else
        {
            LinearFloat(context, _inProj, input, d, rows, xz, accumulate: false);
            if (_inProjBias is not null) VectorMath.AddBiasRows(parallel, xz, _inProjBias.Pointer, rows, 2 * e);
            CausalConv1d.Forward(parallel, xz, 2 * e, x, e, state.ConvPointer(layer, 0), _convWeightT!.Pointer, _convBias.Pointer, batch, length, e, c.ConvKernel);
            LinearFloat(context, _xProj, x, e, rows, dbc, accumulate: false);
            LinearFloat(context, _dtProj, dbc, xpw, rows, dt, accumulate: false);
        }

        float* y = scratch.Get(ScratchSlot.Y, (long)rows * e);
        SelectiveScan.Forward(parallel, new SelectiveScan.Operands
        {
            X = x, XStride = e,
            DtIn = dt, DtStride = e, DtBias = _dtBias.Pointer,
            AT = _aT.Pointer,
            BC = dbc, BCStride = xpw, BOffset = r, COffset = r + n,
            D = _d.Pointer,
            Z = xz + e, ZStride = 2 * e,
            Y = y, YStride = e,
            States = state.SsmPointer(layer, 0),
        }, batch, length, e, n);

        OutProjection(context, _outProj, y, rows, residual);
        if (_outProjBias is not null) VectorMath.AddBiasRows(parallel, residual, _outProjBias.Pointer, rows, d);
    }

    /// <summary>Strided columns become int8 codes at <paramref name="scale"/> and are replaced by their dequantized values.</summary>
    private static void QuantizeInPlace(MixerContext context, float* values, int stride, int rows, int width, float scale)
    {
        sbyte* codes = context.Codes(ScratchSlot.Dequantized, (long)rows * width);
        ActivationCodec.Quantize(context.Parallel, values, stride, codes, rows, width, scale);
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < width; j++) values[(long)row * stride + j] = codes[(long)row * width + j] * scale;
    }
}
