using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models;

/// <summary>Reads checkpoint tensors into aligned float32 buffers, checking each shape against the config.</summary>
internal sealed unsafe class WeightLoader
{
    private readonly CheckpointTensors _tensors;

    public WeightLoader(CheckpointTensors tensors, ModelConfig config)
    {
        _tensors = tensors;
        Config = config;
    }

    public ModelConfig Config { get; }

    public bool Has(string name) => _tensors.Contains(name);

    /// <summary>A tensor converted to float32, row-major as stored.</summary>
    public AlignedBuffer Load(int[] shape, string configHint, params string[] names)
    {
        var tensor = _tensors.Get(shape, configHint, names);
        var buffer = new AlignedBuffer(tensor.ElementCount);
        tensor.CopyToFloat32(0, buffer.Span);
        return buffer;
    }

    /// <summary>conv1d.weight [C, 1, K] stored transposed as [K, C] so each tap is contiguous over channels.</summary>
    public AlignedBuffer LoadConvWeightTransposed(int layer, int channels, int kernel, string configHint)
    {
        var raw = Load([channels, 1, kernel], configHint, TensorNames.Mixer(layer, "conv1d.weight"));
        var result = new AlignedBuffer((long)kernel * channels);
        for (int c = 0; c < channels; c++)
            for (int k = 0; k < kernel; k++)
                result.Pointer[(long)k * channels + c] = raw.Pointer[(long)c * kernel + k];
        return result;
    }
}
