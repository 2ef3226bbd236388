namespace Quamba.Benchmarks;

/// <summary>Finds the repository (the folder with Quamba.sln) from the benchmark process.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Quamba.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmarks from inside the repository (no Quamba.sln found above the working directory).");
    }
}
