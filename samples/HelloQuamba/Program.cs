using Quamba.Generated;
using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Emulation;
using Quamba.Kernels.Mamba;
using Tiny = Quamba.Generated.QuambaPlans.HelloTiny;

// The plan the build generated from quamba.json.
var plan = Tiny.Plan;
Console.WriteLine($"plan {plan.Name}: {plan.Architecture}, d {plan.Shape.DModel}, E {plan.Shape.DInner}, H {plan.Shape.NHeads}, G {plan.Shape.NGroups}, layers {string.Join(" ", plan.Layers)}");
foreach (var kernel in plan.Kernels) Console.WriteLine($"kernel {kernel.Step} [{kernel.Precision?.ToString() ?? "all"}]: {kernel.Descriptor}");
Console.WriteLine($"layer 0 scales: {string.Join(", ", plan.ScaleTables(0))}");

// Layer 0 (W8A8) quantizes the SSM output through the online Hadamard: run that kernel on a few rows.
const int rows = 3;
const float scale = 0.05f;
var input = new float[rows * Tiny.DInner];
for (int i = 0; i < input.Length; i++) input[i] = MathF.Sin(i * 0.37f) * 2f;
var launch = HadamardKernels.Launch<Tiny.Hadamard>(rows);
var expected = HadamardReference.Quantize(input, Tiny.HadamardSize, Tiny.HadamardBase, scale);
var kernelForLayer0 = plan.KernelFor("HadamardKernels.HadamardQuantize", 0);
Console.WriteLine($"layer 0 runs {kernelForLayer0?.Name}");

sbyte[] actual;
string where;
if (CudaContext.IsAvailable && Environment.GetEnvironmentVariable("HELLOQUAMBA_EMULATE") != "1")
{
    using var context = CudaContext.Create();
    using var x = context.Allocate<float>(input.Length);
    using var y = context.Allocate<sbyte>(input.Length);
    x.CopyFrom(input);
    Tiny.HadamardQuantizeKernel.Launch(context.DefaultStream, launch, x.AsReadOnlySpan(), scale, y.AsSpan());
    context.Synchronize();
    actual = y.ToArray();
    where = "GPU " + context.Device.Name;
}
else
{
    using var x = HostBuffer<float>.From(input);
    using var y = new HostBuffer<sbyte>(input.Length);
    Tiny.HadamardQuantizeKernel.Emulate(launch, x.AsReadOnlyDeviceSpan(), scale, y.AsDeviceSpan());
    actual = y.ToArray();
    where = "CPU emulator";
}
int mismatches = actual.Where((v, i) => v != expected[i]).Count();
Console.WriteLine($"HadamardQuantize<{Tiny.HadamardSize}> on {where}: {actual.Length} codes, {mismatches} mismatches against the reference");
return mismatches == 0 ? 0 : 1;
