namespace Quamba.Compiler;

/// <summary>A config the compiler rejected: every diagnostic, as "path(line,col): error QCxxxx: message".</summary>
public sealed class ConfigException(IReadOnlyList<string> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics))
{
    public IReadOnlyList<string> Diagnostics { get; } = diagnostics;
}
