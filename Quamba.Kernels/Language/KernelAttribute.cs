namespace Quamba.Kernels;

/// <summary>
/// Marks a GPU kernel: a <c>static void</c> method of a <c>static partial</c> class. The Quamba generator
/// compiles it to PTX at build time and emits a typed launcher beside it; the CPU emulator runs the very
/// same method on the host.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KernelAttribute : Attribute
{
}

/// <summary>
/// Asks the generator for one specialisation of a generic kernel: the type arguments are small "shape" or
/// "precision" structs whose static abstract members are compile-time constants. Repeat the attribute
/// for each instance wanted.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class SpecializeAttribute : Attribute
{
    public SpecializeAttribute(params Type[] typeArguments) => TypeArguments = typeArguments;

    public Type[] TypeArguments { get; }
}
