using Quamba.Model.Backends.Cpu;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// A linear layer with quantized weights <c>[Rows = out, Columns = in]</c>, run by the CPU integer kernels:
/// int8 activations (codes with the static <see cref="InputScale"/>) through <see cref="ForwardInt8"/>, float
/// activations (A16, or the simulated path) through <see cref="ForwardFloat"/>. Outputs are float <c>[rows, Rows]</c>.
/// </summary>
internal abstract unsafe class QuantizedLinear
{
    protected QuantizedLinear(int rows, int columns, float inputScale)
    {
        Rows = rows;
        Columns = columns;
        InputScale = inputScale;
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>The static scale of the int8 activations this layer reads (unused by A16 layers).</summary>
    public float InputScale { get; }

    /// <summary>
    /// output[r, n] (= or +=) the product of int8 activation codes <c>[rows, Columns]</c> and the weights, dequantized.
    /// <paramref name="scratch"/> holds at least rows x Rows floats.
    /// </summary>
    public abstract void ForwardInt8(CpuParallel parallel, sbyte* codes, int rows, float* output, bool accumulate, float* scratch);

    /// <summary>output (= or +=) float activations (row stride <paramref name="inputStride"/>) times the dequantized weights.</summary>
    public abstract void ForwardFloat(CpuParallel parallel, float* input, int inputStride, int rows, float* output, bool accumulate, float* scratch);

    /// <summary>Float weights <c>[Rows, Columns]</c> (the simulated path and tests).</summary>
    public abstract float[] DequantizeWeights();

    /// <summary>Bytes of weights and scales.</summary>
    public abstract long WeightBytes { get; }
}
