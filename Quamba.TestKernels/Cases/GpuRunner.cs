using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.TestKernels.Cases;

/// <summary>Runs cases on a CUDA device through the generated launchers.</summary>
public sealed class GpuRunner : IKernelRunner
{
    private readonly CudaContext _context;
    private readonly List<IDisposable> _buffers = new();
    private readonly Dictionary<nint, Func<Array>> _downloads = new();

    public GpuRunner(CudaContext context) => _context = context;

    public DeviceSpan<T> Upload<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var buffer = _context.Allocate<T>(values.Length);
        buffer.CopyFrom(values);
        return Track(buffer);
    }

    public DeviceSpan<T> Allocate<T>(int length) where T : unmanaged
    {
        var buffer = _context.Allocate<T>(length);
        buffer.CopyFrom(new T[length]);
        return Track(buffer);
    }

    private DeviceSpan<T> Track<T>(CudaBuffer<T> buffer) where T : unmanaged
    {
        _buffers.Add(buffer);
        var span = buffer.AsSpan();
        _downloads[span.Pointer] = () =>
        {
            var values = new T[buffer.Length];
            buffer.CopyTo(values);
            return values;
        };
        return span;
    }

    public T[] Download<T>(DeviceSpan<T> span) where T : unmanaged
    {
        _context.Synchronize();
        if (!_downloads.TryGetValue(span.Pointer, out var download)) throw new ArgumentException("Download takes a span returned by Upload or Allocate, not a slice.", nameof(span));
        return (T[])download();
    }

    public void Launch(LaunchConfig config, Action<LaunchConfig> emulate, Action<CudaStream, LaunchConfig> launch) =>
        launch(_context.DefaultStream, config);

    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
        _buffers.Clear();
    }
}
