namespace Quamba.Model.Quantization.Calibration;

/// <summary>The calibration text cannot give the samples asked for (missing, empty, or too short).</summary>
public sealed class CalibrationDataException(string filePath, string problem)
    : Exception($"{filePath}: {problem}")
{
    public string FilePath { get; } = filePath;
}
