using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Recipes;
using Quamba.Model.Tokenization;
using Quamba.Tests.Checkpoints;
using Quamba.Tests.Model;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>Calibration text and --layers files: windows as documented, and clear errors naming the file.</summary>
public sealed class CalibrationInputTests
{
    private static BpeTokenizer Tokenizer => BpeTokenizer.FromFile(Path.Combine(TestModels.Directory("mamba2-tiny"), "tokenizer.json"));

    [Fact]
    public void WindowsAreConsecutiveSlicesOfTheStreamAndCappedByTheFile()
    {
        var data = CalibrationData.Load(QuantizationTestModels.CalibrationFile, Tokenizer, samples: 3, length: 100);
        Assert.Equal(3, data.Windows.Count);
        var again = CalibrationData.Load(QuantizationTestModels.CalibrationFile, Tokenizer, samples: 3, length: 100);
        Assert.Equal(data.Windows, again.Windows); // deterministic

        int[] stream = Enumerable.Range(0, 1050).ToArray();
        var capped = CalibrationData.FromTokens("stream", stream, samples: 512, length: 100);
        Assert.Equal(10, capped.Windows.Count); // 1050 tokens hold 10 windows of 100
        Assert.Equal(Enumerable.Range(300, 100), capped.Windows[3]);
    }

    [Fact]
    public void AnEmptyCalibrationFileIsAnErrorNamingTheFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("empty.txt");
        File.WriteAllText(path, " \n\n ");
        var error = Assert.Throws<CalibrationDataException>(() => CalibrationData.Load(path, Tokenizer));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": the calibration text is empty", error.Message);
    }

    [Fact]
    public void ACalibrationFileShorterThanOneSampleIsAnErrorNamingTheFileAndTheFix()
    {
        using var folder = new TempDirectory();
        string path = folder.File("short.txt");
        File.WriteAllText(path, "In the beginning God created the heaven and the earth.");
        var error = Assert.Throws<CalibrationDataException>(() => CalibrationData.Load(path, Tokenizer, samples: 4, length: 512));
        Assert.StartsWith(path + ": the calibration text has ", error.Message);
        Assert.Contains("fewer than one sample of 512", error.Message);
        Assert.Contains("--calib-length", error.Message);

        var missing = Assert.Throws<CalibrationDataException>(() => CalibrationData.Load(folder.File("absent.txt"), Tokenizer));
        Assert.Contains("not found", missing.Message);
    }

    [Fact]
    public void LayerPrecisionFilesListOnePrecisionPerLayer()
    {
        var parsed = LayerPrecisionFile.Parse(["# first four int8 activations", "w4a8", "W4A8", "", "w4a8  # same", "w4a8", "w4a16", "w4a16"], 6, "layers.txt");
        Assert.Equal([LayerPrecision.W4A8, LayerPrecision.W4A8, LayerPrecision.W4A8, LayerPrecision.W4A8, LayerPrecision.W4A16, LayerPrecision.W4A16], parsed);

        var wrong = Assert.Throws<FormatException>(() => LayerPrecisionFile.Parse(["w4a8", "w8a8"], 2, "layers.txt"));
        Assert.StartsWith("layers.txt:2: 'w8a8' is not a W4AX layer precision", wrong.Message);
        var count = Assert.Throws<FormatException>(() => LayerPrecisionFile.Parse(["w4a8"], 6, "layers.txt"));
        Assert.Contains("lists 1 layer precisions; the model has 6 layers", count.Message);
    }
}
