using Quamba.Kernels;
using Quamba.Kernels.Mamba;

namespace Quamba.Tests.Mamba;

/// <summary>
/// The SSD prefill's launch geometry and the occupancy its design relies on (docs/mamba-kernels.md, "Mamba2 SSD"):
/// a block per (head, 32 channels, sequence) with 256 threads, and at N 128 little enough dynamic shared memory that
/// three blocks fit one H100 SM (228 KB of shared memory per SM, 1 KB of it reserved per block), so batch-1 prefills
/// of mamba2-2.7b (160 blocks on 132 SMs) and mamba2-8b (256 blocks) run in one wave.
/// </summary>
public class SsdPrefillLaunchTests
{
    private const int H100SharedBytesPerSm = 228 * 1024;
    private const int ReservedSharedBytesPerBlock = 1024;

    [Fact]
    public void ThreeBlocksOfTheMamba2_2p7BPrefillFitAnH100Sm()
    {
        int bytes = Mamba2SsdKernels.PrefillSharedBytes<Mamba2_2p7B>();
        Assert.Equal(71_040, bytes);
        Assert.True(3 * (bytes + ReservedSharedBytesPerBlock) <= H100SharedBytesPerSm, $"{bytes} bytes per block");
        Assert.Equal(bytes, Mamba2SsdKernels.PrefillA16SharedBytes<Mamba2_2p7B>());
    }

    [Fact]
    public void ThePrefillLaunchIsABlockPerHeadChannelTileAndSequence()
    {
        var launch = Mamba2SsdKernels.PrefillLaunch<Mamba2_2p7B>(3);
        Assert.Equal(new Dim3(80, 2, 3), launch.Grid);
        Assert.Equal(new Dim3(Mamba2SsdKernels.Threads, 1, 1), launch.Block);
        Assert.Equal(launch, Mamba2SsdKernels.PrefillA16Launch<Mamba2_2p7B>(3));
        Assert.Null(LaunchLimits.Check(launch));
        Assert.Null(LaunchLimits.Check(Mamba2SsdKernels.PrefillLaunch<Mamba2Tiny>(2)));
    }
}
