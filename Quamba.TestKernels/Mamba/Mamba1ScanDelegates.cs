using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.TestKernels.Mamba;

// The generated entry points of the Mamba1 scans (Emulate and Launch of each instance), as the cases receive them.

public delegate void Mamba1ScanPrefillEmulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales,
    DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length) where TState : unmanaged;

public delegate void Mamba1ScanPrefillLaunch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales,
    DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length) where TState : unmanaged;

public delegate void Mamba1ScanStepEmulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y)
    where TState : unmanaged;

public delegate void Mamba1ScanStepLaunch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y)
    where TState : unmanaged;

public delegate void Mamba1ScanPrefillA16Emulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<Half> dt, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<Half> bc, int bcStride,
    ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length)
    where TState : unmanaged;

public delegate void Mamba1ScanPrefillA16Launch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<Half> dt, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<Half> bc, int bcStride,
    ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length)
    where TState : unmanaged;

public delegate void Mamba1ScanStepA16Emulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<Half> dt, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<Half> bc, int bcStride,
    ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y) where TState : unmanaged;

public delegate void Mamba1ScanStepA16Launch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<Half> dt, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<Half> bc, int bcStride,
    ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y) where TState : unmanaged;
