using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Emulation;

namespace Quamba.GpuTests;

/// <summary>The emulator's warp shuffles and votes must give what shfl.sync and vote.sync give on the GPU.</summary>
public class EmulatorParityTests(GpuFixture gpu)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(-1)]
    public void ShufflesAndVotesMatchTheGpu(int b)
    {
        CudaContext context = gpu.Context;
        const int threads = 64;
        using CudaBuffer<uint> device = context.Allocate<uint>(threads * 8);
        device.Fill32(0xCCCCCCCC);
        CudaFunction kernel = context.LoadModule(Ptx.Collectives, "collectives").GetFunction("collectives");
        kernel.Launch(new LaunchConfig(1, threads), null, device.DevicePointer, (uint)b);
        uint[] gpuResult = device.ToArray();

        using var host = new HostBuffer<uint>(threads * 8);
        DeviceSpan<uint> o = host.AsDeviceSpan();
        KernelEmulator.Run(1, threads, () =>
        {
            int tid = Gpu.ThreadIdxX;
            uint value = 1000u + (uint)tid;
            o[tid * 8 + 0] = Warp.ShuffleDown(value, b);
            o[tid * 8 + 1] = Warp.ShuffleUp(value, b);
            o[tid * 8 + 2] = Warp.ShuffleXor(value, b);
            o[tid * 8 + 3] = Warp.Shuffle(value, b);
            o[tid * 8 + 4] = Warp.Ballot(tid % 3 == 0);
            o[tid * 8 + 5] = Warp.All(tid < 40) ? 1u : 0u;
            o[tid * 8 + 6] = Warp.Any(tid == 40) ? 1u : 0u;
            o[tid * 8 + 7] = 0;
        });
        Assert.Equal(gpuResult, host.ToArray());
    }
}
