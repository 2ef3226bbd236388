using System.Runtime.CompilerServices;
using System.Text;

namespace Quamba.Tests.Snapshots;

/// <summary>
/// Snapshot testing, our own: the text is compared byte for byte with a checked-in file next to the calling
/// test. On a mismatch the actual text goes to a <c>.received</c> file beside the snapshot and the test fails
/// with a line diff. Set <c>QUAMBA_ACCEPT_SNAPSHOTS=1</c> to accept (write) the new snapshots instead.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "QUAMBA_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string relativePath, [CallerFilePath] string callerFilePath = "")
    {
        var path = Path.Combine(SourceDirectory(callerFilePath), relativePath);
        var received = ReceivedPath(path);
        var actualBytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(actual);
        bool exists = File.Exists(path);
        if (exists && File.ReadAllBytes(path).AsSpan().SequenceEqual(actualBytes))
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, actualBytes);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllBytes(received, actualBytes);
        var message = exists
            ? $"Snapshot mismatch: {relativePath}\nreceived: {received}\n(set {AcceptVariable}=1 to accept)\n" + LineDiff.Unified(File.ReadAllText(path), actual)
            : $"No snapshot yet: {relativePath}\nreceived: {received}\n(set {AcceptVariable}=1 to accept it)";
        Assert.Fail(message);
    }

    /// <summary>"name.ext" -> "name.received.ext" (ignored by git).</summary>
    public static string ReceivedPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".received" + Path.GetExtension(path));

    /// <summary>
    /// The directory of the calling source file. CI builds map source paths (/_/...), so fall back to the
    /// repository root found above the test binaries.
    /// </summary>
    public static string SourceDirectory(string callerFilePath)
    {
        var directory = Path.GetDirectoryName(callerFilePath) ?? "";
        if (Directory.Exists(directory)) return directory;
        var normalized = callerFilePath.Replace('\\', '/');
        if (normalized.StartsWith("/_/", StringComparison.Ordinal))
        {
            var relative = Path.GetDirectoryName(normalized.Substring(3))!;
            return Path.Combine(RepositoryRoot(), relative);
        }
        throw new DirectoryNotFoundException($"Cannot locate the snapshot directory for {callerFilePath}.");
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Quamba.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("Quamba.sln not found above " + AppContext.BaseDirectory);
    }
}
