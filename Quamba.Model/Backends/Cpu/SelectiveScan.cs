using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// Mamba1's selective scan with everything around it fused, one pass per (sequence, block of 16 channels):
/// dt = softplus(dt_in + dt_bias); h_t[n,c] = exp(dt A[n,c]) h_{t-1}[n,c] + dt x_t[c] B_t[n];
/// y_t[c] = (sum_n C_t[n] h_t[n,c] + D[c] x_t[c]) * SiLU(z_t[c]). The state is kept [N, E] so 16 channels of one state
/// index form one vector: no horizontal sums, B and C are broadcasts. The same code is the decode step (length 1).
/// </summary>
internal static unsafe class SelectiveScan
{
    public readonly struct Operands
    {
        public required float* X { get; init; }
        public required int XStride { get; init; }
        public required float* DtIn { get; init; }
        public required int DtStride { get; init; }
        public required float* DtBias { get; init; }
        /// <summary>A = -exp(A_log), transposed to [N, E].</summary>
        public required float* AT { get; init; }
        /// <summary>B_t[n] = BC[r * BCStride + BOffset + n], C_t[n] at COffset.</summary>
        public required float* BC { get; init; }
        public required int BCStride { get; init; }
        public required int BOffset { get; init; }
        public required int COffset { get; init; }
        public required float* D { get; init; }
        public required float* Z { get; init; }
        public required int ZStride { get; init; }
        public required float* Y { get; init; }
        public required int YStride { get; init; }
        /// <summary>States of all sequences, [batch, N, E].</summary>
        public required float* States { get; init; }
    }

    private const int Block = 16;

    public static void Forward(CpuParallel parallel, Operands o, int batch, int length, int channels, int stateSize)
    {
        var work = new Work { O = o, Length = length, Channels = channels, StateSize = stateSize, Blocks = (channels + Block - 1) / Block };
        parallel.For(batch * work.Blocks, ref work);
    }

    private struct Work : IParallelWork
    {
        public Operands O;
        public int Length, Channels, StateSize, Blocks;

        public readonly void Run(int item, int worker)
        {
            int b = item / Blocks, c0 = item % Blocks * Block;
            int cn = Math.Min(Block, Channels - c0);
            long rowBase = (long)b * Length;
            float* state = O.States + (long)b * StateSize * Channels;
            if (Vector512.IsHardwareAccelerated && cn == Block)
                ScanBlock512(O, rowBase, Length, Channels, StateSize, state, c0);
            else
                ScanScalar(O, rowBase, Length, Channels, StateSize, state, c0, cn);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanBlock512(in Operands o, long rowBase, int length, int channels, int stateSize, float* state, int c0)
    {
        var h = stackalloc Vector512<float>[stateSize];
        for (int n = 0; n < stateSize; n++) h[n] = Vector512.Load(state + (long)n * channels + c0);
        var dtBias = Vector512.Load(o.DtBias + c0);
        var dSkip = Vector512.Load(o.D + c0);
        float* aT = o.AT + c0;
        for (int t = 0; t < length; t++)
        {
            long r = rowBase + t;
            var x = Vector512.Load(o.X + r * o.XStride + c0);
            var dt = VectorTranscendentals.Softplus(Vector512.Load(o.DtIn + r * o.DtStride + c0) + dtBias);
            var dtx = dt * x;
            float* bRow = o.BC + r * o.BCStride + o.BOffset;
            float* cRow = o.BC + r * o.BCStride + o.COffset;
            var y = Vector512<float>.Zero;
            for (int n = 0; n < stateSize; n++)
            {
                var decay = VectorTranscendentals.Exp(dt * Vector512.Load(aT + (long)n * channels));
                var hn = Vector512.FusedMultiplyAdd(decay, h[n], dtx * Vector512.Create(bRow[n]));
                h[n] = hn;
                y = Vector512.FusedMultiplyAdd(hn, Vector512.Create(cRow[n]), y);
            }
            y = Vector512.FusedMultiplyAdd(dSkip, x, y);
            var z = Vector512.Load(o.Z + r * o.ZStride + c0);
            Vector512.Store(y * VectorMath.SiLU(z), o.Y + r * o.YStride + c0);
        }
        for (int n = 0; n < stateSize; n++) Vector512.Store(h[n], state + (long)n * channels + c0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanScalar(in Operands o, long rowBase, int length, int channels, int stateSize, float* state, int c0, int cn)
    {
        for (int c = c0; c < c0 + cn; c++)
        {
            for (int t = 0; t < length; t++)
            {
                long r = rowBase + t;
                float x = o.X[r * o.XStride + c];
                float dt = VectorMath.Softplus(o.DtIn[r * o.DtStride + c] + o.DtBias[c]);
                float dtx = dt * x;
                float* bRow = o.BC + r * o.BCStride + o.BOffset;
                float* cRow = o.BC + r * o.BCStride + o.COffset;
                float y = 0f;
                for (int n = 0; n < stateSize; n++)
                {
                    float* hn = state + (long)n * channels + c;
                    float v = MathF.FusedMultiplyAdd(MathF.Exp(dt * o.AT[(long)n * channels + c]), *hn, dtx * bRow[n]);
                    *hn = v;
                    y = MathF.FusedMultiplyAdd(v, cRow[n], y);
                }
                y = MathF.FusedMultiplyAdd(o.D[c], x, y);
                o.Y[r * o.YStride + c] = y * VectorMath.SiLU(o.Z[r * o.ZStride + c]);
            }
        }
    }
}
