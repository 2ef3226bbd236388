using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.Tests.Cuda;

public class PtxCompatibilityTests
{
    [Theory]
    [InlineData(60, 9000)]
    [InlineData(65, 10020)]
    [InlineData(70, 11000)]
    [InlineData(78, 11080)]
    [InlineData(80, 12000)]
    [InlineData(85, 12050)]
    [InlineData(86, 12070)] // CUDA 12.6 kept PTX 8.5
    [InlineData(87, 12080)]
    [InlineData(88, 12090)]
    [InlineData(90, 13000)]
    [InlineData(91, 13010)]
    [InlineData(95, 13050)]  // beyond the table: PTX m.n -> CUDA (m+4).n
    [InlineData(100, 14000)]
    [InlineData(43, 9000)]
    public void MapsPtxIsaVersionsToTheFirstDriverThatLoadsThem(int ptx, int cuda) =>
        Assert.Equal(cuda, PtxCompatibility.MinimumDriverVersion(ptx));

    private static KernelDescriptor Kernel(int sm, int ptx) => new("Demo.Scan<Int8>", "scan", "x"u8.ToArray(), sm, ptx);

    [Fact]
    public void AKernelFittingDeviceAndDriverPasses()
    {
        Assert.Null(PtxCompatibility.Check(Kernel(80, 80), 90, "NVIDIA H100", 13000));
        Assert.Null(PtxCompatibility.Check(Kernel(90, 90), 90, "NVIDIA H100", 13000));
        Assert.Null(PtxCompatibility.Check(Kernel(61, 78), 75, "Tesla T4", 11080));
    }

    [Fact]
    public void ATooOldDeviceIsNamedWithBothArchitectures()
    {
        string? message = PtxCompatibility.Check(Kernel(90, 80), 86, "NVIDIA GeForce RTX 3090", 13000);
        Assert.Equal("Kernel Demo.Scan<Int8> needs sm_90 (compute capability 9.0) but NVIDIA GeForce RTX 3090 is sm_86: " +
                     "run it on a newer GPU, or on the CPU with KernelEmulator.", message);
    }

    [Fact]
    public void ATooOldDriverIsNamedWithBothVersions()
    {
        string? message = PtxCompatibility.Check(Kernel(80, 87), 90, "NVIDIA H100", 12040);
        Assert.Equal("Kernel Demo.Scan<Int8> is PTX ISA 8.7, which needs a CUDA 12.8 driver, but the installed driver supports " +
                     "CUDA 12.4: update the NVIDIA driver.", message);
    }

    [Fact]
    public void DriverVersionsFormatLikeNvidiaSmi()
    {
        Assert.Equal("13.0", CudaDriver.FormatVersion(13000));
        Assert.Equal("12.8", CudaDriver.FormatVersion(12080));
        Assert.Equal("11.4", CudaDriver.FormatVersion(11040));
    }

    [Fact]
    public void DescriptorsDescribeThemselves() =>
        Assert.Equal("Demo.Scan<Int8> (sm_80, PTX 8.7)", Kernel(80, 87).ToString());
}
