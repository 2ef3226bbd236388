using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// Mamba2's SSM (scalar A per head, B and C shared by the heads of a state group) as the chunked state space
/// duality form for prefill and as a one-token recurrence for decode. Both continue from and update the
/// [H, P, N] state of each sequence and add the D skip; dt must already be softplus'd and clamped.
/// </summary>
internal static unsafe class SsdScan
{
    public readonly struct Operands
    {
        /// <summary>x of head h, channel p at X[r * XStride + h * P + p]; B of group g at X[r * XStride + BOffset + g * N], C at COffset.</summary>
        public required float* X { get; init; }
        public required int XStride { get; init; }
        public required int BOffset { get; init; }
        public required int COffset { get; init; }
        /// <summary>dt[r, h] (after softplus), [rows, H].</summary>
        public required float* Dt { get; init; }
        /// <summary>A = -exp(A_log), [H].</summary>
        public required float* A { get; init; }
        public required float* D { get; init; }
        /// <summary>y[r, h * P + p], row stride YStride.</summary>
        public required float* Y { get; init; }
        public required int YStride { get; init; }
        /// <summary>States of all sequences, [batch, H, P, N].</summary>
        public required float* States { get; init; }
    }

    public readonly record struct Shape(int Heads, int HeadDim, int Groups, int StateSize)
    {
        public int HeadsPerGroup => Heads / Groups;
        public int StatePerSequence => Heads * HeadDim * StateSize;
    }

    /// <summary>Floats of the shared per-chunk buffer Prefill needs: per (sequence, chunk, group) C.B^T [Q, Q].</summary>
    public static long SharedScratchLength(Shape s, int batch, int length, int chunk) =>
        (long)batch * ChunkCount(length, chunk) * s.Groups * ((long)chunk * chunk);

    /// <summary>Floats of per-worker scratch Prefill needs.</summary>
    public static long WorkerScratchLength(Shape s, int chunk) =>
        3L * chunk + (long)s.HeadDim * chunk + (long)chunk * chunk;

    /// <summary>Row block of the causal (lower-triangular) products; a multiple of the GEMM's 4-row tiles.</summary>
    private const int CausalBlock = 16;

    private static int ChunkCount(int length, int chunk) => (length + chunk - 1) / chunk;

    /// <summary>
    /// Chunked SSD over sequences of <paramref name="length"/> tokens. Per chunk of Q tokens and head, with
    /// S_t = sum_{s&lt;=t} dt_s A (within the chunk):
    ///   y_t = sum_{s&lt;=t} (C_t . B_s) exp(S_t - S_s) dt_s x_s      (intra-chunk, a masked Q x Q product)
    ///       + exp(S_t) h_prev C_t                                   (the state carried in from earlier chunks)
    ///       + D x_t
    ///   h_next = exp(S_last) h_prev + sum_s exp(S_last - S_s) dt_s x_s B_s^T
    /// Every product runs on GEMM micro-kernels: C.B^T and h_prev C_t as dot products (both operands contiguous along
    /// N), the two products with a block of x rows as outer products (no transposes). C.B^T is shared by the heads
    /// of a group and computed
    /// once per (sequence, chunk, group) in a first parallel pass; the second pass runs (sequence, head) pairs, each
    /// sequential over its chunks.
    /// </summary>
    public static void Prefill(CpuParallel parallel, Operands o, Shape s, int batch, int length, int chunk, float* shared, float* workers, long workerStride)
    {
        int chunks = ChunkCount(length, chunk);
        int n = s.StateSize;
        long sharedStride = (long)chunk * chunk;

        var products = new ChunkProductsWork { O = o, S = s, Length = length, Chunk = chunk, Chunks = chunks, Shared = shared, SharedStride = sharedStride };
        parallel.For(batch * chunks * s.Groups, ref products);
        var heads = new PrefillWork
        {
            O = o, S = s, Length = length, Chunk = chunk, Chunks = chunks, Shared = shared, SharedStride = sharedStride,
            Workers = workers, WorkerStride = workerStride,
        };
        parallel.For(batch * s.Heads, ref heads);
    }

    private struct ChunkProductsWork : IParallelWork
    {
        public Operands O;
        public Shape S;
        public int Length, Chunk, Chunks;
        public float* Shared;
        public long SharedStride;

        public readonly void Run(int item, int worker) => ChunkProducts(O, S, item, Length, Chunk, Chunks, Shared + item * SharedStride);
    }

    private struct PrefillWork : IParallelWork
    {
        public Operands O;
        public Shape S;
        public int Length, Chunk, Chunks;
        public float* Shared, Workers;
        public long SharedStride, WorkerStride;

        public readonly void Run(int item, int worker) =>
            PrefillHead(O, S, item / S.Heads, item % S.Heads, Length, Chunk, Chunks, Shared, SharedStride, Workers + worker * WorkerStride);
    }

    private struct StepWork : IParallelWork
    {
        public Operands O;
        public Shape S;

        public readonly void Run(int item, int worker) => StepHead(O, S, item / S.Heads, item % S.Heads);
    }

    /// <summary>C.B^T [q, q] of one (sequence, chunk, group).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ChunkProducts(in Operands o, Shape s, int item, int length, int chunk, int chunks, float* cb)
    {
        int n = s.StateSize;
        int g = item % s.Groups, ci = item / s.Groups % chunks, b = item / s.Groups / chunks;
        int t0 = ci * chunk, q = Math.Min(chunk, length - t0);
        float* rows = o.X + ((long)b * length + t0) * o.XStride;
        float* bRows = rows + o.BOffset + g * n;
        float* cRows = rows + o.COffset + g * n;
        // Only C_t.B_s with s <= t is used: per block of rows, columns up to the block's last row.
        for (int t = 0; t < q; t += CausalBlock)
        {
            int block = Math.Min(CausalBlock, q - t);
            Gemm.MultiplyTransposed(cRows + (long)t * o.XStride, o.XStride, bRows, o.XStride, cb + (long)t * q, q, block, t + block, n, accumulate: false);
        }
    }

    /// <summary>All chunks of one (sequence, head), in order, carrying the state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrefillHead(in Operands o, Shape s, int b, int h, int length, int chunk, int chunks, float* shared, long sharedStride, float* w)
    {
        int g = h / s.HeadsPerGroup, n = s.StateSize, p = s.HeadDim;
        float* cum = w;
        float* dts = cum + chunk;
        float* toEnd = dts + chunk;
        float* inter = toEnd + chunk;
        float* mask = inter + (long)chunk * p;
        float* state = o.States + (long)b * s.StatePerSequence + (long)h * p * n;
        float a = o.A[h], dSkip = o.D[h];

        for (int ci = 0; ci < chunks; ci++)
        {
            int t0 = ci * chunk, q = Math.Min(chunk, length - t0);
            long r0 = (long)b * length + t0;
            float* cb = shared + (((long)b * chunks + ci) * s.Groups + g) * sharedStride;
            float* rows = o.X + r0 * o.XStride;
            float* xRows = rows + h * p;
            float* bRows = rows + o.BOffset + g * n;
            float* cRows = rows + o.COffset + g * n;
            float* yRows = o.Y + r0 * o.YStride + h * p;

            float running = 0f;
            for (int t = 0; t < q; t++)
            {
                float dt = o.Dt[(r0 + t) * s.Heads + h];
                dts[t] = dt;
                running += dt * a;
                cum[t] = running;
            }
            float last = cum[q - 1];
            for (int t = 0; t < q; t++) toEnd[t] = dts[t] * MathF.Exp(last - cum[t]);

            // Intra-chunk weights L[t, s] = CB[t, s] exp(S_t - S_s) dt_s for s <= t, zero above the diagonal.
            for (int t = 0; t < q; t++)
            {
                float* mrow = mask + (long)t * q;
                float* cbrow = cb + (long)t * q;
                float ct = cum[t];
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    var vct = Vector512.Create(ct);
                    for (; j + 16 <= t + 1; j += 16)
                        Vector512.Store(Vector512.Load(cbrow + j) * VectorTranscendentals.Exp(vct - Vector512.Load(cum + j)) * Vector512.Load(dts + j), mrow + j);
                }
                for (; j <= t; j++) mrow[j] = cbrow[j] * MathF.Exp(ct - cum[j]) * dts[j];
                for (; j < Math.Min(q, (t / CausalBlock + 1) * CausalBlock); j++) mrow[j] = 0f;
            }
            // y = L x: lower-triangular, so each block of rows only needs the x rows up to its last row.
            for (int t = 0; t < q; t += CausalBlock)
            {
                int block = Math.Min(CausalBlock, q - t);
                Gemm.MultiplyOuter(mask + (long)t * q, q, 1, null, xRows, o.XStride, yRows + (long)t * o.YStride, o.YStride, block, p, t + block, accumulate: false);
            }

            // Inter-chunk: exp(S_t) * (h_prev C_t), plus the D skip.
            Gemm.MultiplyTransposed(cRows, o.XStride, state, n, inter, p, q, p, n, accumulate: false);
            for (int t = 0; t < q; t++)
            {
                float decay = MathF.Exp(cum[t]);
                float* yr = yRows + (long)t * o.YStride;
                float* ir = inter + (long)t * p;
                float* xr = xRows + (long)t * o.XStride;
                for (int j = 0; j < p; j++) yr[j] += decay * ir[j] + dSkip * xr[j];
            }

            // Carry the state to the end of the chunk: h = exp(S_last) h + sum_s exp(S_last - S_s) dt_s x_s B_s^T.
            float chunkDecay = MathF.Exp(last);
            for (long j = 0; j < (long)p * n; j++) state[j] *= chunkDecay;
            Gemm.MultiplyOuter(xRows, 1, o.XStride, toEnd, bRows, o.XStride, state, n, p, n, q, accumulate: true);
        }
    }

    /// <summary>One token per sequence: h = exp(dt A) h + dt x B^T; y = h C + D x.</summary>
    public static void Step(CpuParallel parallel, Operands o, Shape s, int batch)
    {
        int n = s.StateSize, p = s.HeadDim;
        var work = new StepWork { O = o, S = s };
        parallel.For(batch * s.Heads, ref work);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepHead(in Operands o, Shape s, int b, int h)
    {
        int g = h / s.HeadsPerGroup, n = s.StateSize, p = s.HeadDim;
        float* row = o.X + (long)b * o.XStride;
        float* x = row + h * p;
        float* bVec = row + o.BOffset + g * n;
        float* cVec = row + o.COffset + g * n;
        float* y = o.Y + (long)b * o.YStride + h * p;
        float* state = o.States + (long)b * s.StatePerSequence + (long)h * p * n;
        float dt = o.Dt[(long)b * s.Heads + h];
        float decay = MathF.Exp(dt * o.A[h]);
        float dSkip = o.D[h];
        for (int j = 0; j < p; j++)
        {
            float dtx = dt * x[j];
            float* hr = state + (long)j * n;
            int k = 0;
            float acc = 0f;
            if (Vector512.IsHardwareAccelerated)
            {
                var vDecay = Vector512.Create(decay);
                var vDtx = Vector512.Create(dtx);
                var vAcc = Vector512<float>.Zero;
                for (; k + 16 <= n; k += 16)
                {
                    var hv = Vector512.FusedMultiplyAdd(vDecay, Vector512.Load(hr + k), vDtx * Vector512.Load(bVec + k));
                    Vector512.Store(hv, hr + k);
                    vAcc = Vector512.FusedMultiplyAdd(hv, Vector512.Load(cVec + k), vAcc);
                }
                acc = Vector512.Sum(vAcc);
            }
            for (; k < n; k++)
            {
                float hv = MathF.FusedMultiplyAdd(decay, hr[k], dtx * bVec[k]);
                hr[k] = hv;
                acc = MathF.FusedMultiplyAdd(hv, cVec[k], acc);
            }
            y[j] = acc + dSkip * x[j];
        }
    }
}
