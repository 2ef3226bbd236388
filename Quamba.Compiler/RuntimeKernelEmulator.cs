using System.Linq.Expressions;
using System.Reflection;
using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Compiler;

/// <summary>
/// The CPU path of a run-time kernel set, the counterpart of a build's generated <c>Emulate</c>: the config's shape
/// structs are made as run-time types (<see cref="RuntimeShapeTypes"/>), and the library's generic kernel method,
/// closed over them, runs on <see cref="KernelEmulator"/>. So a shape no build named runs, and is tested, on a
/// machine without a GPU.
/// </summary>
public sealed class RuntimeKernelEmulator(RuntimeKernelSet set)
{
    private readonly Dictionary<string, MethodInfo> _methods = new(StringComparer.Ordinal);

    /// <summary>The run-time struct for the config's shape struct <paramref name="name"/> (Shape, Hadamard or ModelRow).</summary>
    public Type ShapeType(string name) => RuntimeShapeTypes.Get(set.Shapes.SingleOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"The config '{set.Plan.Name}' has no shape struct '{name}'; it has {string.Join(", ", set.Shapes.Select(s => s.Name))}."));

    /// <summary>
    /// The type a kernel's type argument names: the run-time struct of a config shape struct, or a type of the kernel
    /// library by full name (the SSM state storage).
    /// </summary>
    public Type TypeArgument(string name) => set.Shapes.Any(s => s.Name == name)
        ? ShapeType(name)
        : typeof(KernelAttribute).Assembly.GetType(name)
            ?? throw new KeyNotFoundException($"'{name}' is neither a shape struct of the config '{set.Plan.Name}' ({string.Join(", ", set.Shapes.Select(s => s.Name))}) nor a type of Quamba.Kernels.");

    /// <summary>The kernel's library method closed over the config's shape types (and state storage).</summary>
    public MethodInfo KernelMethod(RuntimeKernel kernel)
    {
        lock (_methods)
        {
            if (_methods.TryGetValue(kernel.ClassName, out var cached)) return cached;
            int dot = kernel.Method.LastIndexOf('.');
            var type = dot > 0 ? typeof(KernelAttribute).Assembly.GetType(kernel.Method[..dot]) : null;
            var definition = type?.GetMethod(kernel.Method[(dot + 1)..], BindingFlags.Public | BindingFlags.Static);
            if (definition is not { IsGenericMethodDefinition: true } || definition.GetGenericArguments().Length != kernel.TypeArguments.Count)
                throw new InvalidOperationException($"{kernel.ClassName}: '{kernel.Method}' is not a generic kernel of Quamba.Kernels with {kernel.TypeArguments.Count} type parameter(s).");
            var method = definition.MakeGenericMethod(kernel.TypeArguments.Select(TypeArgument).ToArray());
            _methods[kernel.ClassName] = method;
            return method;
        }
    }

    /// <summary>Runs the kernel on the emulator; <paramref name="arguments"/> are the kernel's parameters, in order, with their exact types.</summary>
    public void Emulate(RuntimeKernel kernel, LaunchConfig config, params object[] arguments)
    {
        var method = KernelMethod(kernel);
        var parameters = method.GetParameters();
        if (arguments.Length != parameters.Length)
            throw new ArgumentException($"{kernel.ClassName} takes {parameters.Length} arguments {Signature(parameters)}, given {arguments.Length}.", nameof(arguments));
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!parameters[i].ParameterType.IsInstanceOfType(arguments[i]))
                throw new ArgumentException($"{kernel.ClassName}: argument {i} ({parameters[i].Name}) must be a {parameters[i].ParameterType.Name}, given {arguments[i]?.GetType().Name ?? "null"}.", nameof(arguments));
        }
        KernelEmulator.Run(config, () => method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null));
    }

    /// <summary>
    /// A typed emulator entry, like a build's <c>Emulate</c>: <typeparamref name="TDelegate"/> takes the
    /// <see cref="LaunchConfig"/> and then exactly the kernel's parameters. The kernel is called directly (no
    /// reflection per emulated thread).
    /// </summary>
    public TDelegate EmulateAs<TDelegate>(RuntimeKernel kernel) where TDelegate : Delegate
    {
        var method = KernelMethod(kernel);
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        var kernelTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        var delegateTypes = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        if (invoke.ReturnType != typeof(void) || delegateTypes.Length != kernelTypes.Length + 1 || delegateTypes[0] != typeof(LaunchConfig) || !delegateTypes.Skip(1).SequenceEqual(kernelTypes))
            throw new ArgumentException($"{typeof(TDelegate).Name}{Signature(invoke.GetParameters())} does not fit {kernel.ClassName}: (LaunchConfig config, ...{Signature(method.GetParameters())}).");
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var thread = Expression.Lambda<Action>(Expression.Call(method, parameters.Skip(1)));
        var run = typeof(KernelEmulator).GetMethod(nameof(KernelEmulator.Run), [typeof(LaunchConfig), typeof(Action)])!;
        return Expression.Lambda<TDelegate>(Expression.Call(run, parameters[0], thread), parameters).Compile();
    }

    private static string Signature(ParameterInfo[] parameters) => "(" + string.Join(", ", parameters.Select(p => TypeName(p.ParameterType) + " " + p.Name)) + ")";

    private static string TypeName(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">"
        : type.Name;
}
