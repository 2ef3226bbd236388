using System.Linq.Expressions;
using Quamba.Compiler;
using Quamba.TestKernels.Mamba;

namespace Quamba.Tests.Config;

/// <summary>
/// A run-time compiled kernel set as the config cases see it (<see cref="IConfigKernels"/>): the shape structs are the
/// run-time types of <see cref="RuntimeKernelEmulator"/>, each kernel's <c>Emulate</c> its typed emulator entry. The
/// GPU entry is not part of the run-time path (it gives the descriptor to launch), so <c>Launch</c> throws if called.
/// </summary>
internal sealed class RuntimeConfigKernels(RuntimeKernelSet set) : IConfigKernels
{
    private readonly RuntimeKernelEmulator _emulator = new(set);

    public string Name => "Runtime." + set.Plan.Name;

    public IReadOnlyList<IConfigLauncher> Launchers => set.Kernels.Select(k => (IConfigLauncher)new Launcher(k, _emulator)).ToList();

    public Type ShapeImplementing(Type shapeInterface) => _emulator.ShapeType(set.Shapes.Single(s => s.Interface == shapeInterface.Name).Name);

    public Type StateStorage => SsmStateStorage.Of(set.Plan.StatePrecision);

    private sealed class Launcher(RuntimeKernel kernel, RuntimeKernelEmulator emulator) : IConfigLauncher
    {
        public string Name => kernel.ClassName;

        public int MinimumSm => kernel.Descriptor.MinimumSm;

        public TDelegate Emulate<TDelegate>() where TDelegate : Delegate => emulator.EmulateAs<TDelegate>(kernel);

        public TDelegate Launch<TDelegate>() where TDelegate : Delegate
        {
            var parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
            var error = new NotSupportedException($"{kernel.ClassName}: run-time kernels are launched through their descriptor; these cases run on the emulator.");
            return Expression.Lambda<TDelegate>(Expression.Throw(Expression.Constant(error)), parameters).Compile();
        }
    }
}
