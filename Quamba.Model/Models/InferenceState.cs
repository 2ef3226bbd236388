using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models;

/// <summary>
/// The recurrent caches of <see cref="BatchSize"/> sequences for one model: per layer, the conv state (the last K-1
/// conv inputs) and the SSM state. Created empty by <see cref="MambaModel.CreateState"/>; every Forward call continues
/// all sequences from here and leaves the updated caches behind. Holds the scratch memory of the forward pass too,
/// so decoding allocates nothing per token. Not thread-safe: one Forward at a time per state.
/// </summary>
/// <remarks>
/// Layouts, per layer and sequence: conv state [K-1, C] (time-major, oldest first, C = conv channels);
/// Mamba1 SSM state [N, E] (state index major, channels contiguous); Mamba2 SSM state [H, P, N].
/// </remarks>
public sealed class InferenceState
{
    private readonly AlignedBuffer[] _conv;
    private readonly AlignedBuffer[] _ssm;

    internal InferenceState(ModelConfig config, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Config = config;
        BatchSize = batchSize;
        LayerCount = config.NumLayers;
        ConvChannels = config.ConvChannels;
        ConvHistory = config.ConvKernel - 1;
        SsmStateSize = config.SsmStateSize;
        _conv = new AlignedBuffer[LayerCount];
        _ssm = new AlignedBuffer[LayerCount];
        for (int l = 0; l < LayerCount; l++)
        {
            _conv[l] = new AlignedBuffer((long)batchSize * ConvHistory * ConvChannels);
            _ssm[l] = new AlignedBuffer((long)batchSize * SsmStateSize);
        }
        Scratch = new ScratchBuffers(ScratchSlot.Count);
    }

    internal ModelConfig Config { get; }

    public int BatchSize { get; }
    public int LayerCount { get; }

    /// <summary>C: channels of the causal conv (E for Mamba1, E + 2GN for Mamba2).</summary>
    public int ConvChannels { get; }

    /// <summary>K - 1: conv inputs remembered per channel.</summary>
    public int ConvHistory { get; }

    /// <summary>Floats of SSM state per layer per sequence.</summary>
    public int SsmStateSize { get; }

    /// <summary>Tokens consumed per sequence since creation or the last <see cref="Reset()"/>.</summary>
    public long Position { get; internal set; }

    internal ScratchBuffers Scratch { get; }

    internal unsafe float* ConvPointer(int layer, int sequence) => _conv[layer].Pointer + (long)sequence * ConvHistory * ConvChannels;

    internal unsafe float* SsmPointer(int layer, int sequence) => _ssm[layer].Pointer + (long)sequence * SsmStateSize;

    /// <summary>The conv state of one layer and sequence, [K-1, C].</summary>
    public Span<float> GetConvState(int layer, int sequence)
    {
        CheckIndices(layer, sequence);
        return _conv[layer].Slice(sequence * ConvHistory * ConvChannels, ConvHistory * ConvChannels);
    }

    /// <summary>The SSM state of one layer and sequence ([N, E] for Mamba1, [H, P, N] for Mamba2).</summary>
    public Span<float> GetSsmState(int layer, int sequence)
    {
        CheckIndices(layer, sequence);
        return _ssm[layer].Slice(sequence * SsmStateSize, SsmStateSize);
    }

    /// <summary>Empties every sequence (as after CreateState).</summary>
    public void Reset()
    {
        for (int l = 0; l < LayerCount; l++)
        {
            _conv[l].Clear();
            _ssm[l].Clear();
        }
        Position = 0;
    }

    /// <summary>Empties one sequence's caches (e.g. to start a new request in a batch slot).</summary>
    public void ResetSequence(int sequence)
    {
        for (int l = 0; l < LayerCount; l++)
        {
            GetConvState(l, sequence).Clear();
            GetSsmState(l, sequence).Clear();
        }
    }

    /// <summary>A deep copy of the caches (fresh scratch).</summary>
    public InferenceState Clone()
    {
        var copy = new InferenceState(Config, BatchSize) { Position = Position };
        for (int l = 0; l < LayerCount; l++)
        {
            _conv[l].Span.CopyTo(copy._conv[l].Span);
            _ssm[l].Span.CopyTo(copy._ssm[l].Span);
        }
        return copy;
    }

    /// <summary>Copies one sequence's caches into a slot of another state of the same model (e.g. fork a prompt).</summary>
    public void CopySequenceTo(int sequence, InferenceState destination, int destinationSequence)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.IsCompatibleWith(Config))
            throw new ArgumentException("the destination state belongs to a model of another shape", nameof(destination));
        for (int l = 0; l < LayerCount; l++)
        {
            GetConvState(l, sequence).CopyTo(destination.GetConvState(l, destinationSequence));
            GetSsmState(l, sequence).CopyTo(destination.GetSsmState(l, destinationSequence));
        }
    }

    internal bool IsCompatibleWith(ModelConfig config) =>
        config.NumLayers == LayerCount && config.ConvChannels == ConvChannels && config.ConvKernel - 1 == ConvHistory
        && config.SsmStateSize == SsmStateSize && config.Architecture == Config.Architecture;

    private void CheckIndices(int layer, int sequence)
    {
        if ((uint)layer >= (uint)LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"the model has {LayerCount} layers");
        if ((uint)sequence >= (uint)BatchSize)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"the state holds {BatchSize} sequences");
    }
}

/// <summary>Named scratch slots of the forward pass (see <see cref="ScratchBuffers"/>).</summary>
internal static class ScratchSlot
{
    public const int Residual = 0;
    public const int Normed = 1;
    public const int InProj = 2;
    public const int ConvOut = 3;
    public const int XProj = 4;
    public const int Dt = 5;
    public const int Y = 6;
    public const int LastRows = 7;
    public const int ChunkShared = 8;
    public const int WorkerScratch = 9;
    // Quantized models: int8 codes (two buffers) and int32 accumulators, held as float slots and reinterpreted.
    public const int Codes = 10;
    public const int Codes2 = 11;
    public const int Accumulator = 12;
    public const int Dequantized = 13;
    public const int Count = 14;
}
