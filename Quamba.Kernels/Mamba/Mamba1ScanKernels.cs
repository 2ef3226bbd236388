namespace Quamba.Kernels.Mamba;

/// <summary>
/// Mamba1's selective scan on quantized inputs (Quamba W8A8): int8 x, dt, B, C and z with per-tensor scales,
/// float A = -exp(A_log) [E, N], D [E], dt bias [E]; fp32 states [batch, E, N]. Per channel c, state n, token t:
/// <code>
///   dt   = softplus(dtCode * dtScale + dtBias[c])        x = xCode * xScale
///   B[n] = bCode[n] * bScale                              C[n] = cCode[n] * cScale
///   h[n] = exp(dt * A[c, n]) * h[n] + (dt * x) * B[n]
///   y    = (sum_{n = 0..N-1, in order} C[n] * h[n]) + D[c] * x
///   out  = y * SiLU(zCode * zScale)                       (the gate, fused)
/// </code>
/// Prefill (<see cref="Mamba1ScanPrefill{TShape}"/>): a block of 128 threads owns 128 / N channels, one thread per
/// (channel, state); the sequence is walked in chunks of <see cref="TimeChunk"/> tokens whose dt (softplus done once
/// per token and channel), x, gate, B and C are staged in shared memory by all threads; the per-state products
/// C[n] h[n] of the chunk go to shared memory and are summed per (token, channel) after the chunk, so the scan
/// loop itself has no reductions and no barriers. Decode (<see cref="Mamba1ScanStep{TShape}"/>): one token, a
/// thread per (channel, state), the state updated in place.
/// </summary>
/// <remarks>
/// Operands are read where the layers leave them: x [batch, L, E] from the conv; dt [batch, L, E] from dt_proj
/// (before bias and softplus); B and C from x_proj's output rows ([dt_low | B | C], pass the slice at R and the row
/// width as bcStride); z from in_proj's rows ([x | z], pass the slice at E and 2E as zStride).
/// </remarks>
public static partial class Mamba1ScanKernels
{
    public const int PrefillThreads = 128;
    public const int StepThreads = 256;
    public const int TimeChunk = 32;

    public static LaunchConfig PrefillLaunch<TShape>(int batch) where TShape : IMamba1Shape =>
        new(new Dim3(TShape.InnerDim / (PrefillThreads / TShape.StateDim), batch), PrefillThreads);

    public static LaunchConfig StepLaunch<TShape>(int batch) where TShape : IMamba1Shape =>
        new(new Dim3(TShape.InnerDim / (StepThreads / TShape.StateDim), batch), StepThreads);

    /// <param name="x">[batch, length, E] codes.</param>
    /// <param name="dt">[batch, length, E] codes (dt_proj output, before bias and softplus).</param>
    /// <param name="dtBias">[E].</param>
    /// <param name="bc">B at row * bcStride + n, C at row * bcStride + N + n (row = b * length + t).</param>
    /// <param name="z">z at row * zStride + c.</param>
    /// <param name="a">[E, N]: A = -exp(A_log).</param>
    /// <param name="d">[E].</param>
    /// <param name="stateIn">[batch, E, N] (zeros for a fresh sequence).</param>
    /// <param name="y">[batch, length, E]: the gated output.</param>
    /// <param name="stateOut">[batch, E, N]: the state after the last token (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny))]
    [Specialize(typeof(Mamba1_2p8B))]
    public static void Mamba1ScanPrefill<TShape>(
        ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
        ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
        ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, ReadOnlyDeviceSpan<float> stateIn,
        DeviceSpan<float> y, DeviceSpan<float> stateOut, int length)
        where TShape : IMamba1Shape
    {
        const int Threads = PrefillThreads;
        const int Row = Threads + 1; // padded row of the partial products
        var dtS = SharedMemory.Allocate<float>(TimeChunk * (Threads / TShape.StateDim));
        var xS = SharedMemory.Allocate<float>(TimeChunk * (Threads / TShape.StateDim));
        var gateS = SharedMemory.Allocate<float>(TimeChunk * (Threads / TShape.StateDim));
        var bS = SharedMemory.Allocate<float>(TimeChunk * TShape.StateDim);
        var cS = SharedMemory.Allocate<float>(TimeChunk * TShape.StateDim);
        var partial = SharedMemory.Allocate<float>(TimeChunk * Row);

        int channelsPerBlock = Threads / TShape.StateDim;
        int tid = Gpu.ThreadIdxX;
        int b = Gpu.BlockIdxY;
        int c0 = Gpu.BlockIdxX * channelsPerBlock;
        int local = tid / TShape.StateDim;
        int n = tid - local * TShape.StateDim;
        int c = c0 + local;
        int stateIndex = (b * TShape.InnerDim + c) * TShape.StateDim + n;
        float h = stateIn[stateIndex];
        float an = a[c * TShape.StateDim + n];

        for (int t0 = 0; t0 < length; t0 += TimeChunk)
        {
            int steps = Math.Min(TimeChunk, length - t0);
            Gpu.SyncThreads(); // the previous chunk's output phase is done with the staging arrays
            for (int i = tid; i < steps * channelsPerBlock; i += Threads)
            {
                int tt = i / channelsPerBlock;
                int cc = c0 + (i - tt * channelsPerBlock);
                int row = b * length + t0 + tt;
                dtS[i] = KernelMath.Softplus(dt[row * TShape.InnerDim + cc] * dtScale + dtBias[cc]);
                xS[i] = x[row * TShape.InnerDim + cc] * xScale;
                gateS[i] = KernelMath.SiLU(z[row * zStride + cc] * zScale);
            }
            for (int i = tid; i < steps * TShape.StateDim; i += Threads)
            {
                int tt = i / TShape.StateDim;
                int row = (b * length + t0 + tt) * bcStride + (i - tt * TShape.StateDim);
                bS[i] = bc[row] * bScale;
                cS[i] = bc[row + TShape.StateDim] * cScale;
            }
            Gpu.SyncThreads();
            for (int tt = 0; tt < steps; tt++)
            {
                float dtv = dtS[tt * channelsPerBlock + local];
                float xv = xS[tt * channelsPerBlock + local];
                h = MathF.Exp(dtv * an) * h + dtv * xv * bS[tt * TShape.StateDim + n];
                partial[tt * Row + tid] = cS[tt * TShape.StateDim + n] * h;
            }
            Gpu.SyncThreads();
            for (int i = tid; i < steps * channelsPerBlock; i += Threads)
            {
                int tt = i / channelsPerBlock;
                int cl = i - tt * channelsPerBlock;
                float sum = 0f;
                for (int k = 0; k < TShape.StateDim; k++) sum += partial[tt * Row + cl * TShape.StateDim + k];
                float yv = (sum + d[c0 + cl] * xS[i]) * gateS[i];
                y[(b * length + t0 + tt) * TShape.InnerDim + c0 + cl] = yv;
            }
        }
        stateOut[stateIndex] = h;
    }

    /// <summary>One decode step; x, dt at b * E + c, B/C at b * bcStride, z at b * zStride + c; state [batch, E, N] in place; y [batch, E].</summary>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny))]
    [Specialize(typeof(Mamba1_2p8B))]
    public static void Mamba1ScanStep<TShape>(
        ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
        ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
        ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, DeviceSpan<float> state, DeviceSpan<float> y)
        where TShape : IMamba1Shape
    {
        const int Threads = StepThreads;
        var partial = SharedMemory.Allocate<float>(Threads);
        int channelsPerBlock = Threads / TShape.StateDim;
        int tid = Gpu.ThreadIdxX;
        int b = Gpu.BlockIdxY;
        int c0 = Gpu.BlockIdxX * channelsPerBlock;
        int local = tid / TShape.StateDim;
        int n = tid - local * TShape.StateDim;
        int c = c0 + local;
        float dtv = KernelMath.Softplus(dt[b * TShape.InnerDim + c] * dtScale + dtBias[c]);
        float xv = x[b * TShape.InnerDim + c] * xScale;
        int stateIndex = (b * TShape.InnerDim + c) * TShape.StateDim + n;
        float h = MathF.Exp(dtv * a[c * TShape.StateDim + n]) * state[stateIndex] + dtv * xv * (bc[b * bcStride + n] * bScale);
        state[stateIndex] = h;
        partial[tid] = bc[b * bcStride + TShape.StateDim + n] * cScale * h;
        Gpu.SyncThreads();
        if (tid < channelsPerBlock)
        {
            int cc = c0 + tid;
            float sum = 0f;
            for (int k = 0; k < TShape.StateDim; k++) sum += partial[tid * TShape.StateDim + k];
            float xc = x[b * TShape.InnerDim + cc] * xScale;
            y[b * TShape.InnerDim + cc] = (sum + d[cc] * xc) * KernelMath.SiLU(z[b * zStride + cc] * zScale);
        }
    }
}
