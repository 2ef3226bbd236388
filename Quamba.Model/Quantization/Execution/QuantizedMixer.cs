using Quamba.Model.Backends.Cpu;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Recipes;

namespace Quamba.Model.Quantization.Execution;

/// <summary>What one Forward pass of a quantized model shares with its mixers.</summary>
internal readonly struct MixerContext(CpuParallel parallel, ScratchBuffers scratch, bool simulated)
{
    public CpuParallel Parallel { get; } = parallel;
    public ScratchBuffers Scratch { get; } = scratch;

    /// <summary>The "fake quant" path: same codes and scales, but every product computed in float on dequantized values.</summary>
    public bool Simulated { get; } = simulated;

    public unsafe sbyte* Codes(int slot, long count) => (sbyte*)Scratch.Get(slot, (count + 3) / 4);
}

/// <summary>One quantized mixer (Mamba1 or Mamba2 layer) and the steps both architectures share.</summary>
internal abstract unsafe class QuantizedMixer(LayerPrecision precision, HadamardTransform? hadamard)
{
    public LayerPrecision Precision { get; } = precision;

    /// <summary>int8 activations (W8A8, W4A8) or float activations (W4A16).</summary>
    public bool Int8Activations => Precision.HasInt8Activations();

    /// <summary>The online rotation of out_proj's input (fused into out_proj's weight), or null.</summary>
    public HadamardTransform? Hadamard { get; } = hadamard;

    /// <summary>Adds the mixer's output for the normalised rows <paramref name="input"/> into <paramref name="residual"/>.</summary>
    public abstract void Forward(MixerContext context, int layer, InferenceState state, float* input, float* residual, int batch, int length);

    /// <summary>Bytes of the layer's parameters as stored (codes, scales, float parameters).</summary>
    public abstract long ParameterBytes { get; }

    /// <summary>A linear on int8 codes: the integer kernels, or (simulated) a float product of the dequantized codes.</summary>
    protected static void Linear(MixerContext context, QuantizedLinear linear, sbyte* codes, int rows, float* output, bool accumulate)
    {
        float* scratch = context.Scratch.Get(ScratchSlot.Accumulator, (long)rows * linear.Rows);
        if (!context.Simulated)
        {
            linear.ForwardInt8(context.Parallel, codes, rows, output, accumulate, scratch);
            return;
        }
        long count = (long)rows * linear.Columns;
        float* dequantized = context.Scratch.Get(ScratchSlot.Dequantized, count);
        ActivationCodec.Dequantize(codes, dequantized, count, linear.InputScale);
        linear.ForwardFloat(context.Parallel, dequantized, linear.Columns, rows, output, accumulate, scratch);
    }

    /// <summary>A linear on float activations (A16 layers).</summary>
    protected static void LinearFloat(MixerContext context, QuantizedLinear linear, float* input, int inputStride, int rows, float* output, bool accumulate)
    {
        float* scratch = context.Scratch.Get(ScratchSlot.Accumulator, (long)rows * linear.Rows);
        linear.ForwardFloat(context.Parallel, input, inputStride, rows, output, accumulate, scratch);
    }

    /// <summary>out_proj: y (rows x E, contiguous) rotated online when the recipe fused a Hadamard, then (quantized and)
    /// multiplied, accumulating into the residual stream.</summary>
    protected void OutProjection(MixerContext context, QuantizedLinear outProj, float* y, int rows, float* residual)
    {
        int e = outProj.Columns;
        if (Hadamard is not null)
        {
            var rotate = new RotateRows { Y = y, Width = e, Transform = Hadamard };
            context.Parallel.ForRanges(rows, 8, ref rotate);
        }
        if (Int8Activations)
        {
            sbyte* codes = context.Codes(ScratchSlot.Codes, (long)rows * e);
            ActivationCodec.Quantize(context.Parallel, y, e, codes, rows, e, outProj.InputScale);
            Linear(context, outProj, codes, rows, residual, accumulate: true);
        }
        else
        {
            LinearFloat(context, outProj, y, e, rows, residual, accumulate: true);
        }
    }

    private struct RotateRows : IRangeWork
    {
        public float* Y;
        public int Width;
        public HadamardTransform Transform;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++) Transform.Apply(new Span<float>(Y + (long)r * Width, Width));
        }
    }
}
