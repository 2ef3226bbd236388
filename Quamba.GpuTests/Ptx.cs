namespace Quamba.GpuTests;

/// <summary>Hand-written PTX (ISA 8.0, sm_80) for the runtime tests.</summary>
internal static class Ptx
{
    /// <summary>c[i] = a[i] + b[i] for i &lt; n (float); c may alias a.</summary>
    public const string VectorAdd = """
        .version 8.0
        .target sm_80
        .address_size 64

        .visible .entry vector_add(
            .param .u64 a_ptr,
            .param .u64 b_ptr,
            .param .u64 c_ptr,
            .param .u32 n)
        {
            .reg .pred %p<2>;
            .reg .b32 %r<6>;
            .reg .f32 %f<4>;
            .reg .b64 %rd<11>;

            ld.param.u64 %rd1, [a_ptr];
            ld.param.u64 %rd2, [b_ptr];
            ld.param.u64 %rd3, [c_ptr];
            ld.param.u32 %r1, [n];
            mov.u32 %r2, %ctaid.x;
            mov.u32 %r3, %ntid.x;
            mov.u32 %r4, %tid.x;
            mad.lo.s32 %r5, %r2, %r3, %r4;
            setp.ge.u32 %p1, %r5, %r1;
            @%p1 bra $L_done;
            cvta.to.global.u64 %rd4, %rd1;
            cvta.to.global.u64 %rd5, %rd2;
            cvta.to.global.u64 %rd6, %rd3;
            mul.wide.u32 %rd7, %r5, 4;
            add.s64 %rd8, %rd4, %rd7;
            add.s64 %rd9, %rd5, %rd7;
            add.s64 %rd10, %rd6, %rd7;
            ld.global.f32 %f1, [%rd8];
            ld.global.f32 %f2, [%rd9];
            add.f32 %f3, %f1, %f2;
            st.global.f32 [%rd10], %f3;
        $L_done:
            ret;
        }
        """;

    /// <summary>out[i] = dp4a.s32.s32(a[i], b[i], i) for i &lt; n.</summary>
    public const string Dot4 = """
        .version 8.0
        .target sm_80
        .address_size 64

        .visible .entry dot4(
            .param .u64 a_ptr,
            .param .u64 b_ptr,
            .param .u64 out_ptr,
            .param .u32 n)
        {
            .reg .pred %p<2>;
            .reg .b32 %r<9>;
            .reg .b64 %rd<11>;

            ld.param.u64 %rd1, [a_ptr];
            ld.param.u64 %rd2, [b_ptr];
            ld.param.u64 %rd3, [out_ptr];
            ld.param.u32 %r1, [n];
            mov.u32 %r2, %ctaid.x;
            mov.u32 %r3, %ntid.x;
            mov.u32 %r4, %tid.x;
            mad.lo.s32 %r5, %r2, %r3, %r4;
            setp.ge.u32 %p1, %r5, %r1;
            @%p1 bra $L_done;
            cvta.to.global.u64 %rd4, %rd1;
            cvta.to.global.u64 %rd5, %rd2;
            cvta.to.global.u64 %rd6, %rd3;
            mul.wide.u32 %rd7, %r5, 4;
            add.s64 %rd8, %rd4, %rd7;
            add.s64 %rd9, %rd5, %rd7;
            add.s64 %rd10, %rd6, %rd7;
            ld.global.u32 %r6, [%rd8];
            ld.global.u32 %r7, [%rd9];
            dp4a.s32.s32 %r8, %r6, %r7, %r5;
            st.global.u32 [%rd10], %r8;
        $L_done:
            ret;
        }
        """;

    /// <summary>
    /// Each block fills its dynamic shared memory (words = bytes / 4) with 0, 1, 2, ... across its threads,
    /// synchronises, and thread 0 stores the sum to out[blockIdx.x].
    /// </summary>
    public const string SharedSum = """
        .version 8.0
        .target sm_80
        .address_size 64

        .extern .shared .align 16 .b8 dyn_smem[];

        .visible .entry shared_sum(
            .param .u64 out_ptr,
            .param .u32 words)
        {
            .reg .pred %p<3>;
            .reg .b32 %r<12>;
            .reg .b64 %rd<5>;

            ld.param.u64 %rd1, [out_ptr];
            ld.param.u32 %r1, [words];
            mov.u32 %r2, %tid.x;
            mov.u32 %r3, %ntid.x;
            mov.u32 %r4, dyn_smem;
            shl.b32 %r5, %r2, 2;
            add.s32 %r6, %r4, %r5;
            mov.u32 %r7, %r2;
            shl.b32 %r8, %r3, 2;
        $L_fill:
            setp.ge.u32 %p1, %r7, %r1;
            @%p1 bra $L_filled;
            st.shared.u32 [%r6], %r7;
            add.s32 %r7, %r7, %r3;
            add.s32 %r6, %r6, %r8;
            bra.uni $L_fill;
        $L_filled:
            bar.sync 0;
            setp.ne.u32 %p2, %r2, 0;
            @%p2 bra $L_end;
            mov.u32 %r9, 0;
            mov.u32 %r10, 0;
            mov.u32 %r6, %r4;
        $L_sum:
            setp.ge.u32 %p1, %r10, %r1;
            @%p1 bra $L_store;
            ld.shared.u32 %r11, [%r6];
            add.s32 %r9, %r9, %r11;
            add.s32 %r10, %r10, 1;
            add.s32 %r6, %r6, 4;
            bra.uni $L_sum;
        $L_store:
            cvta.to.global.u64 %rd2, %rd1;
            mov.u32 %r11, %ctaid.x;
            mul.wide.u32 %rd3, %r11, 4;
            add.s64 %rd4, %rd2, %rd3;
            st.global.u32 [%rd4], %r9;
        $L_end:
            ret;
        }
        """;

    /// <summary>
    /// Per thread (value = 1000 + tid): out[8 tid ..] = shfl.down, shfl.up, shfl.bfly, shfl.idx with lane
    /// operand b, then ballot(tid % 3 == 0), all(tid &lt; 40), any(tid == 40), 0. The emulator must agree.
    /// </summary>
    public const string Collectives = """
        .version 8.0
        .target sm_80
        .address_size 64

        .visible .entry collectives(
            .param .u64 out_ptr,
            .param .u32 b)
        {
            .reg .pred %p<7>;
            .reg .b32 %r<14>;
            .reg .b64 %rd<5>;

            ld.param.u64 %rd1, [out_ptr];
            ld.param.u32 %r1, [b];
            mov.u32 %r2, %tid.x;
            add.s32 %r3, %r2, 1000;
            shfl.sync.down.b32 %r4, %r3, %r1, 31, -1;
            shfl.sync.up.b32 %r5, %r3, %r1, 0, -1;
            shfl.sync.bfly.b32 %r6, %r3, %r1, 31, -1;
            shfl.sync.idx.b32 %r7, %r3, %r1, 31, -1;
            rem.u32 %r8, %r2, 3;
            setp.eq.u32 %p1, %r8, 0;
            vote.sync.ballot.b32 %r9, %p1, -1;
            setp.lt.u32 %p2, %r2, 40;
            vote.sync.all.pred %p3, %p2, -1;
            selp.u32 %r10, 1, 0, %p3;
            setp.eq.u32 %p4, %r2, 40;
            vote.sync.any.pred %p5, %p4, -1;
            selp.u32 %r11, 1, 0, %p5;
            mov.u32 %r12, 0;
            cvta.to.global.u64 %rd2, %rd1;
            mul.wide.u32 %rd3, %r2, 32;
            add.s64 %rd4, %rd2, %rd3;
            st.global.v4.u32 [%rd4], {%r4, %r5, %r6, %r7};
            st.global.v4.u32 [%rd4+16], {%r9, %r10, %r11, %r12};
            ret;
        }
        """;

    /// <summary>Uses a register it never declared: ptxas must reject it with a line number.</summary>
    public const string Broken = """
        .version 8.0
        .target sm_80
        .address_size 64

        .visible .entry broken(.param .u64 out_ptr)
        {
            .reg .b32 %r<3>;
            mov.u32 %r1, %tid.x;
            add.s32 %r2, %r1, %r99;
            ret;
        }
        """;
}
