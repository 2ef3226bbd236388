using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Hadamard;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>Activation groups the ablation can quantize one at a time.</summary>
public enum AblationSite
{
    /// <summary>in_proj's input u.</summary>
    MixerInput,
    /// <summary>The conv input (Mamba1 x part, Mamba2 xBC part of in_proj's output).</summary>
    ConvInput,
    /// <summary>The SSM input x.</summary>
    SsmX,
    /// <summary>B and C (and Mamba1's dt_low).</summary>
    SsmBC,
    /// <summary>out_proj's input y (rotated, quantized, rotated back).</summary>
    OutProjInput,
    /// <summary>lm_head's input.</summary>
    HeadInput,
}

/// <summary>
/// SIMULATED quantization, for the ablation only: rewrites the float model's activations in place at the chosen
/// sites with quantize-then-dequantize at the calibrated static scales (the quantized model's codes, as floats), so
/// one quantization point at a time can be measured on the otherwise float model.
/// </summary>
internal sealed unsafe class FakeQuantHook : IActivationObserver
{
    private readonly ModelConfig _c;
    private readonly HashSet<AblationSite> _sites;
    private readonly ActivationScales[] _scales;
    private readonly float[][] _ssmScales;
    private readonly float _headScale;
    private readonly HadamardTransform? _hadamard;
    private readonly AlignedBuffer? _rotation; // M, [E, E]: y M^T = Gemm(y, M)
    private readonly bool[] _int8Layers;

    public FakeQuantHook(PreparedQuantization prepared, IEnumerable<AblationSite> sites)
    {
        _c = prepared.Transformed.Config;
        _sites = [.. sites];
        var collector = prepared.Collector ?? throw new InvalidOperationException("activation ablation needs calibration");
        _int8Layers = prepared.Precisions.Select(p => p.HasInt8Activations()).ToArray();
        _scales = Enumerable.Range(0, _c.NumLayers).Select(collector.Scales).ToArray();
        _ssmScales = new float[_c.NumLayers][];
        for (int l = 0; l < _c.NumLayers; l++) _ssmScales[l] = SsmScales(_scales[l], prepared.Clustering?[l].Table.BuildChannelGroupMap());
        _headScale = collector.Head.Scale;
        if (prepared.Recipe.HadamardY)
        {
            _hadamard = HadamardTransform.Create(_c.IntermediateSize);
            var m = _hadamard.BuildMatrix();
            _rotation = new AlignedBuffer(m.Length);
            m.AsSpan().CopyTo(_rotation.Span);
        }
    }

    /// <summary>Mamba2's per-channel scales of the conv output [x | B | C]; Mamba1's x scale per channel.</summary>
    private float[] SsmScales(ActivationScales s, int[]? groupOfChannel)
    {
        int e = _c.IntermediateSize, n = _c.StateSize, gn = _c.NGroups * n;
        if (_c.Architecture == MambaArchitecture.Mamba1) return Enumerable.Repeat(s.X[0], e).ToArray();
        var scales = new float[e + 2 * gn];
        for (int c = 0; c < e; c++) scales[c] = groupOfChannel is null ? s.X[0] : s.X[groupOfChannel[c]];
        for (int j = 0; j < gn; j++)
        {
            scales[e + j] = s.B.Length == 1 ? s.B[0] : s.B[j / n];
            scales[e + gn + j] = s.C.Length == 1 ? s.C[0] : s.C[j / n];
        }
        return scales;
    }

    public void Observe(ActivationSite site, int layer, ActivationBlock block)
    {
        if (site == ActivationSite.HeadInput)
        {
            if (_sites.Contains(AblationSite.HeadInput)) Apply(block, 0, block.Width, _ => _headScale);
            return;
        }
        if (!_int8Layers[layer]) return;
        var s = _scales[layer];
        int e = _c.IntermediateSize, n = _c.StateSize, r = _c.TimeStepRank, gn = _c.NGroups * n;
        bool mamba1 = _c.Architecture == MambaArchitecture.Mamba1;
        float[] ssm = _ssmScales[layer];
        switch (site)
        {
            case ActivationSite.MixerInput when _sites.Contains(AblationSite.MixerInput):
                Apply(block, 0, block.Width, _ => s.Input);
                break;
            case ActivationSite.InProjOutput when _sites.Contains(AblationSite.ConvInput):
                if (mamba1) Apply(block, 0, e, c => s.ConvInput[c]);
                else Apply(block, e, e + 2 * gn, c => s.ConvInput[c]);
                break;
            case ActivationSite.ConvOutput:
                if (_sites.Contains(AblationSite.SsmX)) Apply(block, 0, e, c => ssm[c]);
                if (!mamba1 && _sites.Contains(AblationSite.SsmBC)) Apply(block, e, 2 * gn, c => ssm[e + c]);
                break;
            case ActivationSite.XProjOutput when _sites.Contains(AblationSite.SsmBC):
                Apply(block, 0, r, _ => s.DtLow);
                Apply(block, r, n, _ => s.B[0]);
                Apply(block, r + n, n, _ => s.C[0]);
                break;
            case ActivationSite.OutProjInput when _sites.Contains(AblationSite.OutProjInput):
                QuantizeY(block, s.Y);
                break;
        }
    }

    /// <summary>Columns [column, column + width) of every row: v = round(v / s) * s, clamped to the int8 range.</summary>
    private static void Apply(ActivationBlock block, int column, int width, Func<int, float> scaleOf)
    {
        var scales = new float[width];
        for (int c = 0; c < width; c++) scales[c] = scaleOf(c);
        int rows = block.Batch * block.Length;
        for (int row = 0; row < rows; row++)
        {
            float* v = block.Data + (long)row * block.Stride + column;
            for (int c = 0; c < width; c++) v[c] = Int8Quantization.Quantize(v[c], scales[c]) * scales[c];
        }
    }

    /// <summary>y -> y M (as out_proj sees it) -> quantized -> rotated back by M^T, so the float out_proj still applies.</summary>
    private void QuantizeY(ActivationBlock block, float scale)
    {
        int rows = block.Batch * block.Length, e = block.Width;
        if (_hadamard is null)
        {
            Apply(block, 0, e, _ => scale);
            return;
        }
        var rotated = new AlignedBuffer((long)rows * e);
        for (int row = 0; row < rows; row++)
        {
            var y = rotated.Span.Slice(row * e, e);
            new ReadOnlySpan<float>(block.Data + (long)row * block.Stride, e).CopyTo(y);
            _hadamard.Apply(y);
            for (int c = 0; c < e; c++) y[c] = Int8Quantization.Quantize(y[c], scale) * scale;
        }
        Gemm.MultiplyTransposed(CpuParallel.Default, rotated.Pointer, e, _rotation!.Pointer, e, block.Data, block.Stride, rows, e, e, accumulate: false);
    }
}
