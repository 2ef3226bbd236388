using System.Reflection;
using Quamba.Generated;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;
using QuantizeXEmulate = System.Action<Quamba.Kernels.LaunchConfig, Quamba.Kernels.ReadOnlyDeviceSpan<float>, Quamba.Kernels.ReadOnlyDeviceSpan<int>,
    Quamba.Kernels.ReadOnlyDeviceSpan<int>, Quamba.Kernels.ReadOnlyDeviceSpan<float>, Quamba.Kernels.DeviceSpan<sbyte>>;
using QuantizeXLaunch = System.Action<Quamba.Kernels.Cuda.CudaStream, Quamba.Kernels.LaunchConfig, Quamba.Kernels.ReadOnlyDeviceSpan<float>,
    Quamba.Kernels.ReadOnlyDeviceSpan<int>, Quamba.Kernels.ReadOnlyDeviceSpan<int>, Quamba.Kernels.ReadOnlyDeviceSpan<float>, Quamba.Kernels.DeviceSpan<sbyte>>;
using QuantizeGroupsEmulate = System.Action<Quamba.Kernels.LaunchConfig, Quamba.Kernels.ReadOnlyDeviceSpan<float>, Quamba.Kernels.ReadOnlyDeviceSpan<float>,
    Quamba.Kernels.DeviceSpan<sbyte>>;
using QuantizeGroupsLaunch = System.Action<Quamba.Kernels.Cuda.CudaStream, Quamba.Kernels.LaunchConfig, Quamba.Kernels.ReadOnlyDeviceSpan<float>,
    Quamba.Kernels.ReadOnlyDeviceSpan<float>, Quamba.Kernels.DeviceSpan<sbyte>>;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// Every kernel of every reference config, run against its reference: the configs of the config snapshots
/// (Configs/*.quamba.json, the JSON of Quamba.Tests/Config/ConfigSamples.cs) are compiled into this assembly by the
/// config generator, and each generated launcher class gets the library's case for its kernel, instantiated with the
/// config's own shape struct and bound to the generated <c>Emulate</c>/<c>Launch</c>. So the instances a config build
/// makes (mamba-130m's Hadamard 1536 = 12 x 128, mamba2-8b's G 8 and E 8192, ...) run on the emulator in CI and on a GPU
/// (part of <see cref="CaseCatalog.All"/>). Sizes: shapes with E &lt;= 512 run the library's tiny-case sizes (batch 2,
/// sequences across the time tiles and chunks), published shapes one short sequence.
/// </summary>
public static class ConfigCaseCatalog
{
    /// <summary>How to build the case of a generated launcher class: a generic factory over the shape interface (and state storage) it needs.</summary>
    private sealed record Factory(string Launcher, string Method, params string[] Companions);

    private static readonly Factory[] Factories =
    [
        new("HadamardQuantizeKernel", nameof(HadamardQuantize)),
        new("HadamardRotateKernel", nameof(HadamardRotate)),
        new("QuantizeXKernel", nameof(ClusteredQuantize), "QuantizeStateGroupsKernel"),
        new("Mamba1ConvPrefillKernel", nameof(Mamba1ConvPrefill)),
        new("Mamba1ConvStepKernel", nameof(Mamba1ConvStep)),
        new("Mamba1ConvPrefillA16Kernel", nameof(Mamba1ConvPrefillA16)),
        new("Mamba1ConvStepA16Kernel", nameof(Mamba1ConvStepA16)),
        new("Mamba2ConvPrefillKernel", nameof(Mamba2ConvPrefill)),
        new("Mamba2ConvStepKernel", nameof(Mamba2ConvStep)),
        new("Mamba2ConvPrefillA16Kernel", nameof(Mamba2ConvPrefillA16)),
        new("Mamba2ConvStepA16Kernel", nameof(Mamba2ConvStepA16)),
        new("Mamba1ScanPrefillKernel", nameof(Mamba1ScanPrefill)),
        new("Mamba1ScanStepKernel", nameof(Mamba1ScanStep)),
        new("Mamba1ScanPrefillA16Kernel", nameof(Mamba1ScanPrefillA16)),
        new("Mamba1ScanStepA16Kernel", nameof(Mamba1ScanStepA16)),
        new("Mamba2SsdPrefillKernel", nameof(Mamba2SsdPrefill)),
        new("Mamba2SsdStepKernel", nameof(Mamba2SsdStep)),
        new("Mamba2SsdPrefillA16Kernel", nameof(Mamba2SsdPrefillA16)),
        new("Mamba2SsdStepA16Kernel", nameof(Mamba2SsdStepA16)),
        // The float-out norm, with the int8 one where the config has int8 layers.
        new("ResidualRmsNormKernel", nameof(ResidualRmsNorm), "ResidualRmsNormQuantizeKernel"),
        new("GatedRmsNormKernel", nameof(GatedRmsNorm)),
        new("GatedRmsNormA16Kernel", nameof(GatedRmsNormA16)),
    ];

    /// <summary>The configs compiled into this assembly (Quamba.Generated.QuambaPlans.*), by name.</summary>
    public static IReadOnlyList<GeneratedConfig> Configs { get; } = typeof(QuambaPlans).GetNestedTypes()
        .Select(t => new GeneratedConfig(t)).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();

    private static readonly Lazy<(IReadOnlyList<ConfigCase> Cases, IReadOnlyList<string> Problems)> Built = new(() => CasesFor(Configs));

    public static IReadOnlyList<ConfigCase> All => Built.Value.Cases;

    /// <summary>Launchers no case covers, or whose signature does not fit their case (empty when every kernel runs).</summary>
    public static IReadOnlyList<string> Problems => Built.Value.Problems;

    /// <summary>
    /// A case for every kernel of the given sets (generated ones, or a run-time compiler's), and the launchers that got
    /// none: no factory for the name, or a signature that does not fit the case's delegates.
    /// </summary>
    public static (IReadOnlyList<ConfigCase> Cases, IReadOnlyList<string> Problems) CasesFor(IEnumerable<IConfigKernels> configs)
    {
        var cases = new List<ConfigCase>();
        var problems = new List<string>();
        var companions = Factories.SelectMany(f => f.Companions).ToHashSet();
        foreach (var config in configs)
        {
            foreach (var launcher in config.Launchers)
            {
                if (companions.Contains(launcher.Name)) continue;
                var factory = Factories.SingleOrDefault(f => f.Launcher == launcher.Name);
                if (factory is null)
                {
                    problems.Add($"{config.Name}.{launcher.Name}: no case builds this launcher (add a factory to ConfigCaseCatalog)");
                    continue;
                }
                try
                {
                    var covered = new[] { launcher }.Concat(factory.Companions.Select(name => Launcher(config, name)).OfType<IConfigLauncher>()).ToArray();
                    cases.Add(new ConfigCase(config.Name, covered, Create(factory, config, launcher)));
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or TargetInvocationException)
                {
                    problems.Add($"{config.Name}.{launcher.Name}: {(e as TargetInvocationException)?.InnerException?.Message ?? e.Message}");
                }
            }
        }
        return (cases, problems);
    }

    private static IConfigLauncher? Launcher(IConfigKernels config, string name) => config.Launchers.SingleOrDefault(l => l.Name == name);

    /// <summary>
    /// Calls the factory with, for each type parameter, the config's struct for the shape interface it is constrained to,
    /// or the config's state storage for an <see cref="ISsmState{TSelf}"/> one.
    /// </summary>
    private static KernelCase Create(Factory factory, IConfigKernels config, IConfigLauncher launcher)
    {
        var method = typeof(ConfigCaseCatalog).GetMethod(factory.Method, BindingFlags.NonPublic | BindingFlags.Static)!;
        var typeArguments = method.GetGenericArguments().Select(parameter =>
        {
            var constraint = parameter.GetGenericParameterConstraints().Single(t => t.IsInterface);
            return constraint.IsGenericType && constraint.GetGenericTypeDefinition() == typeof(ISsmState<>) ? config.StateStorage : config.ShapeImplementing(constraint);
        }).ToArray();
        return (KernelCase)method.MakeGenericMethod(typeArguments).Invoke(null, [launcher, config])!;
    }

    /// <summary>The library's tiny shapes (E &lt;= 512) get its tiny-case sizes; published shapes the short ones.</summary>
    private static bool Tiny(int innerDim) => innerDim <= 512;

    private static KernelCase HadamardQuantize<T>(IConfigLauncher k, IConfigKernels c) where T : IHadamardShape =>
        new HadamardQuantizeCase<T>(k.Emulate<HadamardQuantizeEmulate>(), k.Launch<HadamardQuantizeLaunch>(), rows: Tiny(T.Width) ? 5 : 2);

    private static KernelCase HadamardRotate<T>(IConfigLauncher k, IConfigKernels c) where T : IHadamardShape =>
        new HadamardRotateCase<T>(k.Emulate<HadamardRotateEmulate>(), k.Launch<HadamardRotateLaunch>(), rows: Tiny(T.Width) ? 3 : 1);

    private static KernelCase ClusteredQuantize<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape
    {
        var groups = Launcher(c, "QuantizeStateGroupsKernel") ?? throw new InvalidOperationException("QuantizeXKernel without QuantizeStateGroupsKernel");
        return new ClusteredQuantizeCase<T>(k.Emulate<QuantizeXEmulate>(), k.Launch<QuantizeXLaunch>(), groups.Emulate<QuantizeGroupsEmulate>(), groups.Launch<QuantizeGroupsLaunch>());
    }

    private static KernelCase Mamba1ConvPrefill<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape =>
        Mamba1ConvCase<T>.Prefill(k.Emulate<Mamba1ConvPrefillEmulate>(), k.Launch<Mamba1ConvPrefillLaunch>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 70 : 5);

    private static KernelCase Mamba1ConvStep<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape =>
        Mamba1ConvCase<T>.Step(k.Emulate<Mamba1ConvStepEmulate>(), k.Launch<Mamba1ConvStepLaunch>(), batch: Tiny(T.InnerDim) ? 3 : 2);

    private static KernelCase Mamba1ConvPrefillA16<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape =>
        Mamba1ConvA16Case<T>.Prefill(k.Emulate<Mamba1ConvPrefillA16Emulate>(), k.Launch<Mamba1ConvPrefillA16Launch>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 70 : 5);

    private static KernelCase Mamba1ConvStepA16<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape =>
        Mamba1ConvA16Case<T>.Step(k.Emulate<Mamba1ConvStepA16Emulate>(), k.Launch<Mamba1ConvStepA16Launch>(), batch: 2);

    private static KernelCase Mamba2ConvPrefill<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape =>
        Mamba2ConvCase<T>.Prefill(k.Emulate<Mamba2ConvPrefillEmulate>(), k.Launch<Mamba2ConvPrefillLaunch>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 70 : 5);

    private static KernelCase Mamba2ConvStep<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape =>
        Mamba2ConvCase<T>.Step(k.Emulate<Mamba2ConvStepEmulate>(), k.Launch<Mamba2ConvStepLaunch>(), batch: Tiny(T.InnerDim) ? 3 : 2);

    private static KernelCase Mamba2ConvPrefillA16<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape =>
        Mamba2ConvA16Case<T>.Prefill(k.Emulate<Mamba2ConvPrefillA16Emulate>(), k.Launch<Mamba2ConvPrefillA16Launch>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 70 : 5);

    private static KernelCase Mamba2ConvStepA16<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape =>
        Mamba2ConvA16Case<T>.Step(k.Emulate<Mamba2ConvStepA16Emulate>(), k.Launch<Mamba2ConvStepA16Launch>(), batch: 2);

    private static KernelCase Mamba1ScanPrefill<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba1ScanCase<T, TState>.Prefill(k.Emulate<Mamba1ScanPrefillEmulate<TState>>(), k.Launch<Mamba1ScanPrefillLaunch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 40 : 3);

    private static KernelCase Mamba1ScanStep<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba1ScanCase<T, TState>.Step(k.Emulate<Mamba1ScanStepEmulate<TState>>(), k.Launch<Mamba1ScanStepLaunch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1);

    private static KernelCase Mamba1ScanPrefillA16<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba1ScanA16Case<T, TState>.Prefill(k.Emulate<Mamba1ScanPrefillA16Emulate<TState>>(), k.Launch<Mamba1ScanPrefillA16Launch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 40 : 3);

    private static KernelCase Mamba1ScanStepA16<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba1Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba1ScanA16Case<T, TState>.Step(k.Emulate<Mamba1ScanStepA16Emulate<TState>>(), k.Launch<Mamba1ScanStepA16Launch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1);

    private static KernelCase Mamba2SsdPrefill<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba2SsdCase<T, TState>.Prefill(k.Emulate<Mamba2SsdPrefillEmulate<TState>>(), k.Launch<Mamba2SsdPrefillLaunch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 150 : 20);

    private static KernelCase Mamba2SsdStep<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba2SsdCase<T, TState>.Step(k.Emulate<Mamba2SsdStepEmulate<TState>>(), k.Launch<Mamba2SsdStepLaunch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1);

    private static KernelCase Mamba2SsdPrefillA16<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba2SsdA16Case<T, TState>.Prefill(k.Emulate<Mamba2SsdPrefillA16Emulate<TState>>(), k.Launch<Mamba2SsdPrefillA16Launch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1, length: Tiny(T.InnerDim) ? 150 : 20);

    private static KernelCase Mamba2SsdStepA16<T, TState>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape where TState : unmanaged, ISsmState<TState> =>
        Mamba2SsdA16Case<T, TState>.Step(k.Emulate<Mamba2SsdStepA16Emulate<TState>>(), k.Launch<Mamba2SsdStepA16Launch<TState>>(), batch: Tiny(T.InnerDim) ? 2 : 1);

    private static KernelCase ResidualRmsNorm<T>(IConfigLauncher k, IConfigKernels c) where T : IRowShape
    {
        var quantize = Launcher(c, "ResidualRmsNormQuantizeKernel");
        return new ResidualRmsNormCase<T>(quantize?.Emulate<ResidualRmsNormQuantizeEmulate>(), quantize?.Launch<ResidualRmsNormQuantizeLaunch>(),
            k.Emulate<ResidualRmsNormEmulate>(), k.Launch<ResidualRmsNormLaunch>());
    }

    private static KernelCase GatedRmsNorm<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape =>
        new GatedRmsNormCase<T>(k.Emulate<GatedRmsNormEmulate>(), k.Launch<GatedRmsNormLaunch>());

    private static KernelCase GatedRmsNormA16<T>(IConfigLauncher k, IConfigKernels c) where T : IMamba2Shape =>
        new GatedRmsNormA16Case<T>(k.Emulate<GatedRmsNormA16Emulate>(), k.Launch<GatedRmsNormA16Launch>());
}
