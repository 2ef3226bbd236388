using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void HadamardQuantizeEmulate(LaunchConfig config, ReadOnlyDeviceSpan<float> input, float scale, DeviceSpan<sbyte> output);
public delegate void HadamardQuantizeLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<float> input, float scale, DeviceSpan<sbyte> output);
public delegate void HadamardRotateEmulate(LaunchConfig config, ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output);
public delegate void HadamardRotateLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output);

/// <summary>
/// Hadamard rotation + int8 quantization of a few rows against <see cref="HadamardReference"/>: exact (codes and,
/// for the float variant, bits), on the emulator and on a GPU (no transcendentals, no reordered sums).
/// </summary>
public sealed class HadamardQuantizeCase<TShape> : KernelCase where TShape : IHadamardShape
{
    private readonly int _rows;
    private readonly float[] _input;
    private readonly float _scale;
    private readonly HadamardQuantizeEmulate _emulate;
    private readonly HadamardQuantizeLaunch _launch;

    public HadamardQuantizeCase(HadamardQuantizeEmulate emulate, HadamardQuantizeLaunch launch, int rows = 5)
    {
        _emulate = emulate;
        _launch = launch;
        _rows = rows;
        _input = MambaInputs.Activations(900 + TShape.Width, rows * TShape.Width);
        // A scale that clips the largest rotated values, so saturation is exercised too.
        _scale = 0.5f * MambaInputs.AbsMax(HadamardReference.Rotate(_input, TShape.Width, TShape.BaseOrder)) / 127f;
    }

    public override string Name => $"Mamba.HadamardQuantize<{typeof(TShape).Name}>";
    public override string Kernel => $"HadamardKernels.HadamardQuantize<{typeof(TShape).Name}>";

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("codes", HadamardReference.Quantize(_input, TShape.Width, TShape.BaseOrder, _scale))];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<sbyte>(_input.Length);
        r.Launch(HadamardKernels.Launch<TShape>(_rows), c => _emulate(c, input, _scale, output), (s, c) => _launch(s, c, input, _scale, output));
        return [CaseOutput.Of("codes", r.Download(output))];
    }
}

/// <summary>The float-out rotation (A16 path), bit-exact against <see cref="HadamardReference.Rotate"/>.</summary>
public sealed class HadamardRotateCase<TShape> : KernelCase where TShape : IHadamardShape
{
    private readonly int _rows;
    private readonly float[] _input;
    private readonly HadamardRotateEmulate _emulate;
    private readonly HadamardRotateLaunch _launch;

    public HadamardRotateCase(HadamardRotateEmulate emulate, HadamardRotateLaunch launch, int rows = 3)
    {
        _emulate = emulate;
        _launch = launch;
        _rows = rows;
        _input = MambaInputs.Activations(950 + TShape.Width, rows * TShape.Width);
    }

    public override string Name => $"Mamba.HadamardRotate<{typeof(TShape).Name}>";
    public override string Kernel => $"HadamardKernels.HadamardRotate<{typeof(TShape).Name}>";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("y", HadamardReference.Rotate(_input, TShape.Width, TShape.BaseOrder))];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<float>(_input);
        var output = r.Allocate<float>(_input.Length);
        r.Launch(HadamardKernels.Launch<TShape>(_rows), c => _emulate(c, input, output), (s, c) => _launch(s, c, input, output));
        return [CaseOutput.Of("y", r.Download(output))];
    }
}
