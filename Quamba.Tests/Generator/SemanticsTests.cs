using static Quamba.Tests.Generator.GeneratorHarness;

namespace Quamba.Tests.Generator;

/// <summary>
/// C# semantics that PTX does not give for free, checked on the emitted PTX of small kernels. (The corpus
/// checks the same semantics numerically on the emulator, and on a GPU through RunGpu.)
/// </summary>
public class SemanticsTests
{
    private static string Ptx(string body, string parameters = "DeviceSpan<int> o, int a, int b")
    {
        var result = Run(Usings + "public static partial class S { [Kernel] public static void T(" + parameters + ") { " + body + " } }");
        Assert.Empty(result.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Empty(result.CompilationErrors);
        return result.Ptx("TKernel");
    }

    [Fact]
    public void ShiftCountsAreMaskedLikeCSharp()
    {
        var ptx = Ptx("o[0] = a << b; o[1] = (int)((long)a >> b); o[2] = a << 33;");
        Assert.Contains("and.b32", ptx);
        Assert.Contains(", 31;", ptx);
        Assert.Contains(", 63;", ptx);
        Assert.Contains("shl.b32", ptx);
        Assert.Contains("shr.s64", ptx);
        // A constant count is masked at compile time: << 33 is << 1.
        Assert.Matches(@"shl\.b32\s+%r\d+, %r\d+, 1;", ptx);
    }

    [Fact]
    public void UnsignedRightShiftOfASignedValueIsLogical()
    {
        var ptx = Ptx("o[0] = a >>> 3; o[1] = a >> 3;");
        Assert.Contains("shr.u32", ptx);
        Assert.Contains("shr.s32", ptx);
    }

    [Fact]
    public void FloatToIntTruncatesTowardZero()
    {
        var ptx = Ptx("o[0] = (int)f; o[1] = (int)(uint)f; o[2] = (byte)f;", "DeviceSpan<int> o, float f");
        Assert.Contains("cvt.rzi.s32.f32", ptx);
        Assert.Contains("cvt.rzi.u32.f32", ptx);
        Assert.Contains("cvt.u32.u8", ptx);   // (byte) wraps after the conversion to int, as .NET does
    }

    [Fact]
    public void FloatInequalityIsUnorderedSoNaNCompareTrue()
    {
        var ptx = Ptx("o[0] = x != y ? 1 : 0; o[1] = x == y ? 1 : 0; o[2] = x < y ? 1 : 0;", "DeviceSpan<int> o, float x, float y");
        Assert.Contains("setp.neu.f32", ptx);
        Assert.Contains("setp.eq.f32", ptx);
        Assert.Contains("setp.lt.f32", ptx);
    }

    [Fact]
    public void SignednessSelectsComparisonAndDivision()
    {
        var ptx = Ptx("o[0] = a < b ? a / b : a % b; o[1] = (int)((uint)a < (uint)b ? (uint)a / (uint)b : (uint)a % (uint)b);");
        Assert.Contains("setp.lt.s32", ptx);
        Assert.Contains("setp.lo.u32", ptx);
        Assert.Contains("div.s32", ptx);
        Assert.Contains("div.u32", ptx);
        Assert.Contains("rem.s32", ptx);
        Assert.Contains("rem.u32", ptx);
    }

    [Fact]
    public void SmallIntegersArePromotedAndWrapOnAssignment()
    {
        var ptx = Ptx("byte x = (byte)a; x += 200; sbyte y = (sbyte)b; y *= 3; o[0] = x + y;");
        Assert.Contains("cvt.u32.u8", ptx);
        Assert.Contains("cvt.s32.s8", ptx);
        Assert.Contains("mul.lo.s32", ptx);
    }

    [Fact]
    public void FloatArithmeticIsNeverContracted()
    {
        // .rn forbids ptxas from fusing a*b+c into an fma, so GPU results match the CPU bit for bit.
        var ptx = Ptx("o[0] = x * y + x; o[1] = x / y;", "DeviceSpan<float> o, float x, float y");
        Assert.Contains("mul.rn.f32", ptx);
        Assert.Contains("add.rn.f32", ptx);
        Assert.Contains("div.rn.f32", ptx);
        Assert.DoesNotContain("fma", ptx);
    }

    [Fact]
    public void MaxPropagatesNaNLikeDotNet()
    {
        var ptx = Ptx("o[0] = MathF.Max(x, y);", "DeviceSpan<float> o, float x, float y");
        Assert.Contains("max.f32", ptx);
        Assert.Contains("setp.nan.f32", ptx);
        Assert.Contains("selp.f32", ptx);
    }

    [Fact]
    public void MinNumberAndMaxNumberAreSinglePtxInstructions()
    {
        // float.MinNumber / MaxNumber return the number when one operand is NaN, as PTX min / max do: no NaN test.
        var ptx = Ptx("o[0] = float.MinNumber(x, y); o[1] = float.MaxNumber(x, 2f);", "DeviceSpan<float> o, float x, float y");
        Assert.Matches(@"min\.f32\s+%f\d+, %f0, %f1;", ptx);
        Assert.Matches(@"max\.f32\s+%f\d+, %f0, 0f40000000;", ptx);
        Assert.DoesNotContain("setp.nan", ptx);
        Assert.DoesNotContain("selp", ptx);
    }

    [Fact]
    public void CopySignTakesTheSignSourceFirstInPtx()
    {
        var ptx = Ptx("o[0] = MathF.CopySign(x, y);", "DeviceSpan<float> o, float x, float y");
        // x arrives in %f0, y in %f1: PTX copysign d, a, b gives |b| with the sign of a.
        Assert.Matches(@"copysign\.f32\s+%f\d+, %f1, %f0;", ptx);
    }

    [Fact]
    public void FloatImmediatesAreHexadecimal()
    {
        var ptx = Ptx("o[0] = x * 0.5f + 1.0f; o[1] = (float)(d * 0.1);", "DeviceSpan<float> o, float x, double d");
        Assert.Contains("0f3F000000", ptx);
        Assert.Contains("0f3F800000", ptx);
        Assert.Contains("0d3FB999999999999A", ptx);
    }

    [Fact]
    public void ReadOnlySpansUseTheNonCoherentPath()
    {
        var ptx = Ptx("o[0] = r[0] + w[0];", "DeviceSpan<int> o, ReadOnlyDeviceSpan<int> r, DeviceSpan<int> w");
        Assert.Contains("ld.global.nc.s32", ptx);
        Assert.Contains("ld.global.s32", ptx);
    }

    [Fact]
    public void SpansAreTwoParametersPointerAndLength()
    {
        var ptx = Ptx("o[0] = o.Length + a;", "DeviceSpan<int> o, int a");
        Assert.Contains(".param .u64 S_T_param_0", ptx);
        Assert.Contains(".param .u32 S_T_param_1", ptx);
        Assert.Contains(".param .s32 S_T_param_2", ptx);
    }

    [Fact]
    public void SwitchAndShortCircuitLowerToBranches()
    {
        var ptx = Ptx("int r = 0; switch (a) { case 1: r = 5; break; case 2: case 3: r = 6; break; default: r = 7; break; } if (a > 0 && o[5] > 1 || b == 2) r++; o[0] = r;");
        Assert.Contains("setp.eq.s32", ptx);
        Assert.Matches(@"@!?%p\d+ bra", ptx);
    }

    [Fact]
    public void TheArchitectureFloorIsSm52AndIntrinsicsRaiseIt()
    {
        Assert.Contains(".target sm_52", Ptx("o[0] = a;"));
        Assert.Contains(".version 6.0", Ptx("o[0] = a;"));
        var dp4a = Ptx("o[0] = DeviceMath.Dp4a(a, b, 0);");
        Assert.Contains(".target sm_61", dp4a);
        Assert.Contains("dp4a.s32.s32", dp4a);
        var tanh = Ptx("o[0] = DeviceMath.FastTanh(x);", "DeviceSpan<float> o, float x");
        Assert.Contains(".target sm_75", tanh);
        Assert.Contains(".version 7.0", tanh);   // tanh.approx: PTX 7.0, sm_75
        var bf16 = Ptx("o[0] = (BFloat16)x;", "DeviceSpan<BFloat16> o, float x");
        Assert.Contains(".target sm_80", bf16);
        Assert.Contains(".version 7.0", bf16);
        Assert.Contains("cvt.rn.bf16.f32", bf16);
    }

    [Fact]
    public void LineCommentsNameTheFileNotItsPath()
    {
        var ptx = Ptx("o[0] = a;");
        Assert.Contains("// Kernels.cs:3", ptx);
        Assert.DoesNotContain("/src/", ptx);
    }

    [Fact]
    public void OutputIsDeterministicAcrossRunsAndDirectories()
    {
        const string source = Usings + "public static partial class S { [Kernel] public static void T(DeviceSpan<float> o, float x) { float s = 0; for (int i = 0; i < 8; i++) s += x * i; o[Gpu.ThreadIdxX] = s; } }";
        var first = Run(source, "/home/alice/repo/Kernels.cs");
        var second = Run(source, "C:\\build\\agent\\Kernels.cs");
        Assert.Equal(first.Ptx("TKernel"), second.Ptx("TKernel"));
        Assert.Equal(first.Sources.Single().SourceText.ToString(), second.Sources.Single().SourceText.ToString());
    }

    [Fact]
    public void StaticAbstractShapeConstantsFoldToImmediates()
    {
        var result = Run(Usings + """
            public interface IShape { static abstract int Width { get; } }
            public struct W96 : IShape { public static int Width => 96; }
            public static partial class S
            {
                [Kernel, Specialize(typeof(W96))]
                public static void T<TS>(DeviceSpan<int> o) where TS : IShape
                {
                    var s = SharedMemory.Allocate<int>(TS.Width * 2);
                    s[Gpu.ThreadIdxX] = TS.Width / 4;
                    o[0] = s[1];
                }
            }
            """);
        Assert.Empty(result.Diagnostics);
        var ptx = result.Ptx("TKernel_W96");
        Assert.Contains(".shared .align 16 .b8 __shared_0[768];", ptx);
        Assert.Matches(@"st\.shared\.s32\s+\[%rd\d+\], %r\d+;", ptx);
        Assert.Contains(", 24;", ptx);
        Assert.Contains("public static class TKernel_W96", result.Sources.Single().SourceText.ToString());
    }

    [Fact]
    public void VectorStructsUse128BitLoadsAndStores()
    {
        var result = Run(Usings + """
            public struct F4 { public float X, Y, Z, W; }
            public static partial class S
            {
                [Kernel]
                public static void T(ReadOnlyDeviceSpan<F4> x, DeviceSpan<F4> y) { int i = Gpu.ThreadIdxX; F4 v = x[i]; v.X += 1f; y[i] = v; }
            }
            """);
        Assert.Empty(result.Diagnostics);
        var ptx = result.Ptx("TKernel");
        Assert.Matches(@"ld\.global\.nc\.v4\.f32\s+\{%f\d+, %f\d+, %f\d+, %f\d+\}, \[%rd\d+\];", ptx);
        Assert.Matches(@"st\.global\.v4\.f32\s+\[%rd\d+\], \{%f\d+, %f\d+, %f\d+, %f\d+\};", ptx);
    }

    [Fact]
    public void GeneratedLauncherHasTheContractShape()
    {
        var result = Run(Usings + "namespace N; public static partial class S { [Kernel] public static void T(DeviceSpan<float> o, ReadOnlyDeviceSpan<int> r, Half h, bool flag) { } }");
        Assert.Empty(result.CompilationErrors);
        var text = result.Sources.Single().SourceText.ToString();
        Assert.Contains("public static class TKernel", text);
        Assert.Contains("public static global::System.ReadOnlySpan<byte> Ptx =>", text);
        Assert.Contains("public const string EntryPoint = \"S_T\";", text);
        Assert.Contains("public const int MinimumSm = 52;", text);
        Assert.Contains("public const int PtxVersion = 60;", text);
        Assert.Contains("public static readonly global::Quamba.Kernels.KernelDescriptor Descriptor", text);
        Assert.Contains("public static unsafe void Launch(global::Quamba.Kernels.Cuda.CudaStream stream, global::Quamba.Kernels.LaunchConfig config, global::Quamba.Kernels.DeviceSpan<float> @o, global::Quamba.Kernels.ReadOnlyDeviceSpan<int> @r, global::System.Half @h, bool @flag)", text);
        Assert.Contains("stackalloc void*[6]", text);
        Assert.Contains("KernelEmulator.Run(config, () => global::N.S.T(@o, @r, @h, @flag))", text);
    }

    [Fact]
    public void UnsignedValuesFromSignedOnesZeroExtend()
    {
        // Regression (found on an H100): (uint)int reuses the int's register, but widening must still zero-extend.
        var ptx = Ptx("ulong u = (ulong)(uint)a; long s = a; o[0] = (int)(u >> 32) + (int)(s >> 32);");
        Assert.Contains("cvt.u64.u32", ptx);
        Assert.Contains("cvt.s64.s32", ptx);
    }

    [Fact]
    public void DoubleToIntegerMapsNaNToZero()
    {
        // Regression (found on an H100): cvt.rzi.s64.f64 gives long.MinValue for NaN; .NET gives 0.
        var ptx = Ptx("o[0] = (int)((long)d + (int)d);", "DeviceSpan<int> o, double d");
        Assert.Contains("cvt.rzi.s64.f64", ptx);
        Assert.Contains("setp.nan.f64", ptx);
        Assert.Contains("selp.b64", ptx);
        Assert.Contains("selp.b32", ptx);
    }

    [Fact]
    public void RefLocalsAliasSpanElements()
    {
        var ptx = Ptx("ref int x = ref o[a]; x += 5; x *= 2;");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(ptx, @"st\.global\.s32").Count);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(ptx, @"ld\.global\.s32").Count);
    }

    [Fact]
    public void GotoIsJustAnotherBranch()
    {
        var ptx = Ptx("int i = 0; again: i += a; if (i < 100) goto again; o[0] = i;");
        Assert.Matches(@"@%p\d+ bra", ptx);
    }

    [Fact]
    public void TheElseBranchOfIsDeviceIsNotCompiled()
    {
        // Console.WriteLine would be QK0005 if the CPU-only branch were lowered.
        var result = Run(Usings + "public static partial class S { [Kernel] public static void T(DeviceSpan<int> o) { if (Gpu.IsDevice) o[0] = 1; else { Console.WriteLine(\"cpu\"); o[0] = 2; } } }");
        Assert.Empty(result.Diagnostics);
        var ptx = result.Ptx("TKernel");
        Assert.Contains("st.global.s32", ptx);
        Assert.DoesNotContain(", 2;", ptx);
    }

    [Fact]
    public void ConstAndStaticReadonlyPrimitivesAreConstants()
    {
        var result = Run(Usings + "public static partial class S { const int A = 40; static readonly int B = 2; [Kernel] public static void T(DeviceSpan<int> o) { o[0] = A + B; } }");
        Assert.Empty(result.Diagnostics);
        // Both are folded at compile time: A + B is the immediate 42.
        Assert.Matches(@"mov\.u32\s+%r\d+, 42;", result.Ptx("TKernel"));
    }

    [Fact]
    public void CallsOfPureHelpersOnConstantsAreFoldedAndDeadBranchesDropped()
    {
        // Stages(40) is evaluated at compile time through the helper's expression body, Math.Max and BitOperations:
        // the condition is false, so the branch (and its store of 99) is not in the PTX; Half(n) stays a run-time call.
        var result = Run(Usings + """
            public static partial class S
            {
                static int Log2(int x) => 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)x);
                static int Stages(int m) => m == 40 ? Math.Max(Log2(128), 1) : 0;
                static int Half(int n) => n >> 1;
                [Kernel] public static void T(DeviceSpan<int> o, int n)
                {
                    if (Stages(40) > 7) o[1] = 99;
                    o[0] = Stages(40) + Half(n);
                }
            }
            """);
        Assert.Empty(result.Diagnostics);
        var ptx = result.Ptx("TKernel");
        Assert.DoesNotContain(", 99;", ptx);
        Assert.Contains("shr.s32", ptx);
        Assert.Matches(@"mov\.u32\s+%r\d+, 7;", ptx);
    }

    [Fact]
    public void MaxRegistersBecomesMaxnreg()
    {
        var result = Run(Usings + "public static partial class S { [Kernel(MaxRegisters = 48)] public static void T(DeviceSpan<int> o) { o[0] = 1; } [Kernel] public static void U(DeviceSpan<int> o) { o[0] = 1; } }");
        Assert.Empty(result.Diagnostics);
        Assert.Matches(@"\)\n\.maxnreg 48\n\{", result.Ptx("TKernel"));
        Assert.DoesNotContain(".maxnreg", result.Ptx("UKernel"));
    }

    [Fact]
    public void CastSpansReinterpretTheSameMemory()
    {
        // Floats seen as Float4 (128-bit loads), bytes as uint (32-bit stores); the length scales by the sizes.
        var result = Run(Usings + """
            public struct F4 { public float X, Y, Z, W; }
            public static partial class S
            {
                [Kernel] public static void T(ReadOnlyDeviceSpan<float> x, DeviceSpan<sbyte> o)
                {
                    var v = x.Cast<F4>();
                    var w = o.Cast<uint>();
                    F4 q = v[1];
                    w[0] = (uint)(q.X + q.Y + q.Z + q.W) + (uint)v.Length + (uint)w.Length;
                }
            }
            """);
        Assert.Empty(result.Diagnostics);
        var ptx = result.Ptx("TKernel");
        Assert.Contains("ld.global.nc.v4.f32", ptx);
        Assert.Contains("st.global.u32", ptx);
        Assert.Contains("shr.s32", ptx); // lengths: floats / 4, bytes / 4
    }

    [Fact]
    public void KernelsInNestedPartialClassesGetCompilableLaunchers()
    {
        var result = Run(Usings + """
            namespace Deep.Name.Space;
            public partial class Outer
            {
                internal static partial class Inner
                {
                    [Kernel]
                    public static void Fill(DeviceSpan<int> @event, int value) => @event[Gpu.ThreadIdxX] = value;
                }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilationErrors);
        var text = result.Sources.Single().SourceText.ToString();
        Assert.Contains("partial class Outer", text);
        Assert.Contains("static partial class Inner", text);
        Assert.Contains("global::Deep.Name.Space.Outer.Inner.Fill(@event, @value)", text);
    }

    [Fact]
    public void InlinePtxMayDeclareItsOwnRegisters()
    {
        var result = Run(Usings + "public static partial class S { [Kernel] public static void T(DeviceSpan<uint> o) { if (Gpu.IsDevice) o[0] = InlinePtx.U32(\"{ .reg .b32 %tmp; mul.lo.u32 %tmp, {1}, 3; add.u32 {0}, %tmp, 1; }\", o[1]); } }");
        Assert.Empty(result.Diagnostics);
        var ptx = result.Ptx("TKernel");
        Assert.Contains("\t{\n\t.reg .b32 %tmp;\n\tmul.lo.u32 %tmp, %r", ptx);
    }

    [Fact]
    public void InlinePtxKeepsVectorOperands()
    {
        var result = Run(Usings + "public static partial class S { [Kernel] public static void T(DeviceSpan<uint> o) { if (Gpu.IsDevice) o[0] = InlinePtx.U32(\"{ .reg .b16 %lo, %hi; mov.b32 {%lo, %hi}, {1}; cvt.u32.u16 {0}, %hi; }\", o[1]); } }");
        Assert.Empty(result.Diagnostics);
        Assert.Contains("mov.b32 {%lo, %hi}, %r", result.Ptx("TKernel"));
    }

    /// <summary>
    /// A type parameter constrained to a generic interface over itself (where T : IStored&lt;T&gt;, as the scans' state
    /// storage is): the constraint is checked with the argument substituted, and the static abstract members called
    /// through a helper resolve to the argument's implementation (one instance converts with cvt, the other does not).
    /// </summary>
    [Fact]
    public void StaticAbstractMembersOfASelfReferencingGenericInterface()
    {
        var result = Run(Usings + """
            public interface IStored<TSelf> where TSelf : unmanaged, IStored<TSelf> { static abstract bool Scaled { get; } static abstract float ToFloat(TSelf v); }
            public struct Wide : IStored<Wide> { public float V; public static bool Scaled => false; public static float ToFloat(Wide v) => v.V; }
            public struct Narrow : IStored<Narrow> { public Half V; public static bool Scaled => true; public static float ToFloat(Narrow v) => (float)v.V; }
            public static partial class S
            {
                private static float Read<T>(DeviceSpan<T> s, int i) where T : unmanaged, IStored<T> => T.Scaled ? 2f * T.ToFloat(s[i]) : T.ToFloat(s[i]);

                [Kernel, Specialize(typeof(Wide)), Specialize(typeof(Narrow))]
                public static void T<TState>(DeviceSpan<TState> s, DeviceSpan<float> o) where TState : unmanaged, IStored<TState> => o[0] = Read(s, 0);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilationErrors);
        var wide = result.Ptx("TKernel_Wide");
        var narrow = result.Ptx("TKernel_Narrow");
        Assert.DoesNotContain("cvt.f32.f16", wide);
        Assert.DoesNotContain("mul.rn.f32", wide);
        Assert.Contains("cvt.f32.f16", narrow);
        Assert.Contains("mul.rn.f32", narrow);
    }
}
