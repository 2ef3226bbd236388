using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// A library case run through one config's generated launchers (<c>QuambaPlans.&lt;Config&gt;.&lt;Launcher&gt;</c>): the
/// inputs, reference and tolerances are the inner case's; the name says which config and launcher(s) it exercises.
/// </summary>
public sealed class ConfigCase(string config, IReadOnlyList<IConfigLauncher> launchers, KernelCase inner) : KernelCase
{
    public string Config => config;

    /// <summary>The generated launcher classes this case runs (a norm or quantization case runs a pair).</summary>
    public IReadOnlyList<string> Launchers { get; } = launchers.Select(l => l.Name).ToArray();

    public override string Name => $"Config.{config}.{Launchers[0]}";

    public override string Kernel => $"QuambaPlans.{config}.{string.Join("/", Launchers)}: {inner.Kernel}";

    public override Tolerance Tolerance => inner.Tolerance;

    public override Tolerance EmulatorTolerance => inner.EmulatorTolerance;

    public override int MinimumSm { get; } = Math.Max(inner.MinimumSm, launchers.Max(l => l.MinimumSm));

    public override IReadOnlyList<CaseOutput> Expected() => inner.Expected();

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner runner) => inner.RunWith(runner);
}
