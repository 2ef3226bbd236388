using Quamba.Kernels.Cuda;

namespace Quamba.TestKernels.Cases;

/// <summary>
/// One test case of a corpus kernel: fixed inputs, a launch configuration, and the expected outputs computed
/// in plain C#. The same case runs on the CPU emulator (CI) and on a GPU (<see cref="RunGpu"/>).
/// </summary>
public abstract class KernelCase
{
    /// <summary>Unique name, also used to name test rows.</summary>
    public abstract string Name { get; }

    /// <summary>The kernel's descriptor name(s) this case exercises.</summary>
    public abstract string Kernel { get; }

    /// <summary>How close floating-point outputs must be to <see cref="Expected"/>. Integers are always exact.</summary>
    public virtual Tolerance Tolerance => Tolerance.Exact;

    /// <summary>
    /// Tolerance for the emulator: the emulator runs the same C# as the reference, so it is usually exact even
    /// where the GPU uses hardware approximations.
    /// </summary>
    public virtual Tolerance EmulatorTolerance => Tolerance;

    /// <summary>The lowest sm the case's kernels need (a GPU run below it is skipped).</summary>
    public virtual int MinimumSm => 52;

    public abstract IReadOnlyList<CaseOutput> Expected();

    public IReadOnlyList<CaseOutput> RunEmulator()
    {
        using var runner = new EmulatorRunner();
        return Run(runner);
    }

    public IReadOnlyList<CaseOutput> RunGpu(CudaContext context)
    {
        using var runner = new GpuRunner(context);
        return Run(runner);
    }

    /// <summary>Runs the case through another runner (e.g. one that times each launch).</summary>
    public IReadOnlyList<CaseOutput> RunWith(IKernelRunner runner) => Run(runner);

    protected abstract IReadOnlyList<CaseOutput> Run(IKernelRunner runner);

    public override string ToString() => Name;

    /// <summary>Deterministic pseudo-random inputs (a fixed-seed generator, so expectations are reproducible).</summary>
    protected static Random Inputs(int seed) => new(seed);
}
