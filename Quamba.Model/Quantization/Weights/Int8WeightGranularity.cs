namespace Quamba.Model.Quantization.Weights;

/// <summary>How many scales an int8 weight matrix has.</summary>
public enum Int8WeightGranularity
{
    /// <summary>One scale for the whole matrix.</summary>
    PerTensor,

    /// <summary>One scale per output row.</summary>
    PerOutputChannel,

    /// <summary>One scale per output segment (a list of row ranges that partition the rows in order).</summary>
    PerOutputSegment,
}
