using System.Reflection;
using Quamba.Kernels;
using Quamba.Kernels.Plans;

namespace Quamba.TestKernels.Mamba;

/// <summary>A config's kernel set as the cases see it: its launchers by name and its shape structs.</summary>
public interface IConfigKernels
{
    string Name { get; }

    IReadOnlyList<IConfigLauncher> Launchers { get; }

    /// <summary>The struct implementing <paramref name="shapeInterface"/> (the config's Shape, Hadamard or ModelRow).</summary>
    Type ShapeImplementing(Type shapeInterface);

    /// <summary>The state storage its scan and SSD kernels take (Fp32State, Fp16State or Int8State: its state_precision).</summary>
    Type StateStorage { get; }
}

/// <summary>One kernel of a config's set: its launcher class name and its CPU and GPU entry points as a case's delegate types.</summary>
public interface IConfigLauncher
{
    /// <summary>The launcher class name the build gives it (e.g. Mamba2ConvPrefillKernel).</summary>
    string Name { get; }

    int MinimumSm { get; }

    TDelegate Emulate<TDelegate>() where TDelegate : Delegate;

    TDelegate Launch<TDelegate>() where TDelegate : Delegate;
}

/// <summary>
/// One config's generated class <c>Quamba.Generated.QuambaPlans.&lt;Name&gt;</c> seen through reflection: its shape structs
/// and its kernel launcher classes (those with a <c>Descriptor</c>), so cases can be built from whatever the config
/// generator emitted for it.
/// </summary>
public sealed class GeneratedConfig(Type plan) : IConfigKernels
{
    public string Name => plan.Name;

    /// <summary>The launcher classes, by name (e.g. Mamba2ConvPrefillKernel).</summary>
    public IReadOnlyList<IConfigLauncher> Launchers { get; } = plan.GetNestedTypes()
        .Where(t => t.GetField("Descriptor", BindingFlags.Public | BindingFlags.Static)?.FieldType == typeof(KernelDescriptor))
        .Select(t => new GeneratedLauncher(t))
        .OrderBy(l => l.Name, StringComparer.Ordinal)
        .ToArray();

    public Type ShapeImplementing(Type shapeInterface)
    {
        var matches = plan.GetNestedTypes().Where(t => t.IsValueType && shapeInterface.IsAssignableFrom(t)).ToArray();
        return matches.Length == 1
            ? matches[0]
            : throw new InvalidOperationException($"Config {Name} has {matches.Length} shape structs implementing {shapeInterface.Name}, expected one.");
    }

    public Type StateStorage => SsmStateStorage.Of((StatePrecision)(plan.GetField("StatePrecision", BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"Config {Name} has no StatePrecision constant.")).GetValue(null)!);

    public override string ToString() => Name;
}

/// <summary>A generated launcher class: its static <c>Emulate</c> and <c>Launch</c> bound to a case's delegate types.</summary>
public sealed class GeneratedLauncher(Type launcher) : IConfigLauncher
{
    public string Name => launcher.Name;

    /// <summary>The <c>MinimumSm</c> constant of the generated class (the PTX's target).</summary>
    public int MinimumSm => (int)launcher.GetField("MinimumSm", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    public TDelegate Emulate<TDelegate>() where TDelegate : Delegate => Bind<TDelegate>("Emulate");

    public TDelegate Launch<TDelegate>() where TDelegate : Delegate => Bind<TDelegate>("Launch");

    private TDelegate Bind<TDelegate>(string methodName) where TDelegate : Delegate
    {
        var method = launcher.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{launcher.FullName} has no static {methodName}.");
        return Delegate.CreateDelegate(typeof(TDelegate), method, throwOnBindFailure: false) as TDelegate
            ?? throw new InvalidOperationException($"{launcher.FullName}: '{method}' does not fit the case's {typeof(TDelegate).Name} '{typeof(TDelegate).GetMethod("Invoke")}'.");
    }

    public override string ToString() => Name;
}
