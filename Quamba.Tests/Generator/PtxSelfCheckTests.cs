using Quamba.Generators.Ptx;

namespace Quamba.Tests.Generator;

/// <summary>The self-check reads PTX text independently of the IR: each class of mistake it must catch.</summary>
public class PtxSelfCheckTests
{
    private static string Module(string body) => """
        .version 6.0
        .target sm_52
        .address_size 64

        .visible .entry k(
        	.param .u64 k_param_0
        )
        {
        	.reg .pred 	%p<2>;
        	.reg .b32 	%r<4>;
        	.reg .b64 	%rd<2>;
        	.reg .f32 	%f<2>;

        """ + body + "\n\tret;\n}\n";

    [Fact]
    public void AcceptsWellFormedPtx()
    {
        var errors = PtxSelfCheck.Check(Module("""
            	ld.param.u64 	%rd0, [k_param_0];
            	ld.global.u8 	%r0, [%rd0+4];
            	setp.lt.s32 	%p0, %r0, 7;
            	@!%p0 bra 	$L__BB1;
            	add.rn.f32 	%f0, %f1, 0f3F800000;
            	mov.b32 	%r1, %f0;
            $L__BB1:
            	st.global.v2.f32 	[%rd0], {%f0, %f1};
            """));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("\tadd.s32 \t%r9, %r0, 1;", "beyond its declaration")]
    [InlineData("\tadd.s32 \t%q0, %r0, 1;", "no .reg declaration")]
    [InlineData("\tbra \t$L__nowhere;", "undefined label")]
    [InlineData("\tadd.s32 \t%r0, %f0, 1;", "used as .s32")]
    [InlineData("\tsetp.lt.s32 \t%r0, %r1, %r2;", "used as .pred")]
    [InlineData("\tld.global.f32 \t%f0, [%r0];", "used as .b64")]
    [InlineData("\tadd.s32 \t%r0, %r1, 1", "not terminated")]
    public void RejectsMistakes(string line, string expected)
    {
        var errors = PtxSelfCheck.Check(Module(line));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryCorpusKernelPassesTheCheck()
    {
        foreach (var (name, descriptor) in Snapshots.PtxSnapshotTests.CorpusKernels)
        {
            Assert.True(PtxSelfCheck.Check(System.Text.Encoding.UTF8.GetString(descriptor.Ptx)).Count == 0, name);
        }
    }
}
