namespace Quamba.Kernels;

/// <summary>
/// Marks a GPU kernel: a <c>static void</c> method of a <c>static partial</c> class. The Quamba generator
/// compiles it to PTX at build time and emits a typed launcher beside it; the CPU emulator runs the very
/// same method on the host.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KernelAttribute : Attribute
{
    /// <summary>
    /// The oldest GPU architecture the kernel must run on (e.g. 70 = sm_70, Volta); 0 = not declared (the project's
    /// QuambaTargetSm property applies, if set). Using an intrinsic that needs a newer architecture is error QK0008.
    /// </summary>
    public int TargetSm { get; set; }

    /// <summary>
    /// Registers per thread ptxas may use (PTX <c>.maxnreg</c>, 16..255); 0 = ptxas chooses. A latency-bound kernel
    /// can trade registers for resident blocks: 48 lets eight blocks of 160 threads share an SM's 64K registers.
    /// A bad value is error QK0019.
    /// </summary>
    public int MaxRegisters { get; set; }
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
