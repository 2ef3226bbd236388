namespace Quamba.Cli;

/// <summary>
/// Where the embedded default model and data live: the repository's folders when run from a checkout,
/// otherwise the copies shipped beside the executable (the tool package carries them).
/// </summary>
internal static class DefaultPaths
{
    public const string DefaultModel = "models/mamba2-tiny";
    public const string DefaultEvalData = "data/eval.txt";
    public const string DefaultCalibrationData = "data/calib.txt";

    /// <summary>Resolves a path given on the command line, or a default relative to the checkout or the executable.</summary>
    public static string Resolve(string? given, string fallback)
    {
        if (!string.IsNullOrEmpty(given)) return Path.GetFullPath(given);
        string inWorkingDirectory = Path.GetFullPath(fallback);
        if (Path.Exists(inWorkingDirectory)) return inWorkingDirectory;
        return Path.Combine(AppContext.BaseDirectory, fallback);
    }
}
