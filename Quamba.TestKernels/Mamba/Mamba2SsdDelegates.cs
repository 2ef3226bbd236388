using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;

namespace Quamba.TestKernels.Mamba;

// The generated entry points of the Mamba2 SSD kernels (Emulate and Launch of each instance), as the cases receive them.

public delegate void Mamba2SsdPrefillEmulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<Int4> bCodes, ReadOnlyDeviceSpan<Int4> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length) where TState : unmanaged;

public delegate void Mamba2SsdPrefillLaunch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<Int4> bCodes, ReadOnlyDeviceSpan<Int4> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length) where TState : unmanaged;

public delegate void Mamba2SsdStepEmulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<sbyte> bCodes, ReadOnlyDeviceSpan<sbyte> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y) where TState : unmanaged;

public delegate void Mamba2SsdStepLaunch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<sbyte> bCodes, ReadOnlyDeviceSpan<sbyte> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y) where TState : unmanaged;

public delegate void Mamba2SsdPrefillA16Emulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<Half> b, ReadOnlyDeviceSpan<Half> c,
    ReadOnlyDeviceSpan<Half> dt, int dtStride, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length) where TState : unmanaged;

public delegate void Mamba2SsdPrefillA16Launch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<Half> b, ReadOnlyDeviceSpan<Half> c,
    ReadOnlyDeviceSpan<Half> dt, int dtStride, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length) where TState : unmanaged;

public delegate void Mamba2SsdStepA16Emulate<TState>(LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<Half> b, ReadOnlyDeviceSpan<Half> c,
    ReadOnlyDeviceSpan<Half> dt, int dtStride, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y) where TState : unmanaged;

public delegate void Mamba2SsdStepA16Launch<TState>(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<Half> b, ReadOnlyDeviceSpan<Half> c,
    ReadOnlyDeviceSpan<Half> dt, int dtStride, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y) where TState : unmanaged;
