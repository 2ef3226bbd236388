using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

public class HostBufferTests
{
    [Fact]
    public void StartsZeroedAndRoundTrips()
    {
        using var buffer = new HostBuffer<double>(1000);
        Assert.Equal(1000, buffer.Length);
        Assert.All(buffer.ToArray(), v => Assert.Equal(0d, v));
        using var copy = HostBuffer<int>.From(new[] { 1, 2, 3 });
        Assert.Equal(new[] { 1, 2, 3 }, copy.ToArray());
        DeviceSpan<int> span = copy.AsDeviceSpan();
        span[1] = 20;
        Assert.Equal(20, copy.AsReadOnlyDeviceSpan()[1]);
        Assert.Equal(0, span.Pointer % 64);
        Assert.Equal(3, copy.AsReadOnlyDeviceSpan().Length);
    }

    [Fact]
    public void DeviceSpansCheckBounds()
    {
        using var buffer = new HostBuffer<int>(4);
        DeviceSpan<int> span = buffer.AsDeviceSpan();
        Assert.Throws<IndexOutOfRangeException>(() => span[4]);
        Assert.Throws<IndexOutOfRangeException>(() => span[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => buffer.AsReadOnlyDeviceSpan()[4]);
    }

    [Fact]
    public void CastSpansShareMemoryScaleTheLengthAndCheckAlignment()
    {
        using var buffer = HostBuffer<float>.From(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f });
        var quads = buffer.AsReadOnlyDeviceSpan().Cast<Quamba.Kernels.Mamba.Float4>();
        Assert.Equal(2, quads.Length); // 9 floats hold two whole quads
        Assert.Equal(6f, quads[1].Y);
        using var bytes = new HostBuffer<sbyte>(10);
        var words = bytes.AsDeviceSpan().Cast<uint>();
        words[1] = 0x04_03_02_01u; // little-endian: the first code in the lowest byte
        Assert.Equal(new sbyte[] { 0, 0, 0, 0, 1, 2, 3, 4, 0, 0 }, bytes.ToArray());
        Assert.Equal(2, words.Length);
        // A start that is not a multiple of the wider element's size is refused with the fix in the message.
        var error = Assert.Throws<ArgumentException>(() => buffer.AsDeviceSpan().Slice(1).Cast<Quamba.Kernels.Mamba.Float4>());
        Assert.Contains("aligned to 16 bytes", error.Message);
    }

    [Fact]
    public void IsUnusableAfterDispose()
    {
        var buffer = new HostBuffer<int>(4);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.AsDeviceSpan());
    }

    [Fact]
    public void EmptyBuffersWork()
    {
        using var buffer = new HostBuffer<float>(0);
        Assert.Empty(buffer.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HostBuffer<float>(-1));
    }
}
