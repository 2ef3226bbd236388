using System.Reflection;
using Quamba.Kernels;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// One config's generated class <c>Quamba.Generated.QuambaPlans.&lt;Name&gt;</c> seen through reflection: its shape structs
/// and its kernel launcher classes (those with a <c>Descriptor</c>), so cases can be built from whatever the config
/// generator emitted for it.
/// </summary>
public sealed class GeneratedConfig(Type plan)
{
    public string Name => plan.Name;

    /// <summary>The launcher classes, by name (e.g. Mamba2ConvPrefillKernel).</summary>
    public IReadOnlyList<GeneratedLauncher> Launchers { get; } = plan.GetNestedTypes()
        .Where(t => t.GetField("Descriptor", BindingFlags.Public | BindingFlags.Static)?.FieldType == typeof(KernelDescriptor))
        .Select(t => new GeneratedLauncher(t))
        .OrderBy(l => l.Name, StringComparer.Ordinal)
        .ToArray();

    public GeneratedLauncher? Launcher(string name) => Launchers.SingleOrDefault(l => l.Name == name);

    /// <summary>The config's shape struct that implements <paramref name="shapeInterface"/> (Shape, Hadamard or ModelRow).</summary>
    public Type ShapeImplementing(Type shapeInterface)
    {
        var matches = plan.GetNestedTypes().Where(t => t.IsValueType && shapeInterface.IsAssignableFrom(t)).ToArray();
        return matches.Length == 1
            ? matches[0]
            : throw new InvalidOperationException($"Config {Name} has {matches.Length} shape structs implementing {shapeInterface.Name}, expected one.");
    }

    public override string ToString() => Name;
}

/// <summary>A generated launcher class: its static <c>Emulate</c> and <c>Launch</c> bound to a case's delegate types.</summary>
public sealed class GeneratedLauncher(Type launcher)
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
            ?? throw new InvalidOperationException($"{launcher.FullName}.{methodName}{Signature(method)} does not fit the case's {typeof(TDelegate).Name}{Signature(typeof(TDelegate).GetMethod("Invoke")!)}.");
    }

    private static string Signature(MethodInfo method) => "(" + string.Join(", ", method.GetParameters().Select(p => TypeName(p.ParameterType) + " " + p.Name)) + ")";

    private static string TypeName(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">"
        : type.Name;

    public override string ToString() => Name;
}
