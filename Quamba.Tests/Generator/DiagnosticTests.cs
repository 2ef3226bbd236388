using Microsoft.CodeAnalysis;
using static Quamba.Tests.Generator.GeneratorHarness;

namespace Quamba.Tests.Generator;

/// <summary>One test per diagnostic: its ID, its exact location (line and column), and that errors block the PTX.</summary>
public class DiagnosticTests
{
    /// <summary>Runs the generator on marked source and returns the diagnostic with <paramref name="id"/> at marker <paramref name="marker"/>.</summary>
    private static Diagnostic Expect(string markedSource, string id, int marker = 0, string? quambaTargetSm = null)
    {
        var markup = new Markup(Usings + markedSource);
        var result = Run(markup.Source, quambaTargetSm: quambaTargetSm);
        var (line, column) = markup.LineColumn(marker);
        var matching = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count > 0, $"no {id}; got: " + string.Join("\n", result.Diagnostics));
        var at = matching.FirstOrDefault(d => d.Location.GetLineSpan().StartLinePosition.Line == line && d.Location.GetLineSpan().StartLinePosition.Character == column);
        Assert.True(at is not null, $"{id} expected at {line + 1}:{column + 1}, reported at " +
            string.Join(", ", matching.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1 + ":" + (d.Location.GetLineSpan().StartLinePosition.Character + 1))));
        Assert.Equal("/src/Kernels.cs", at!.Location.GetLineSpan().Path);
        if (at.Severity == DiagnosticSeverity.Error) Assert.Empty(result.Sources);
        else Assert.NotEmpty(result.Sources);
        return at;
    }

    private const string Open = "public static partial class K {\n";
    private const string Close = "\n}";

    [Fact]
    public void QK0001_KernelNotStatic() => Expect(Open + "[Kernel] public void $$Bad(DeviceSpan<int> o) { }" + Close, "QK0001");

    [Fact]
    public void QK0001_KernelNotVoid()
    {
        var d = Expect(Open + "[Kernel] public static int $$Bad(DeviceSpan<int> o) => 0;" + Close, "QK0001");
        Assert.Contains("does not return void", d.GetMessage());
    }

    [Fact]
    public void QK0001_ClassNotPartial()
    {
        var d = Expect("public static class K { [Kernel] public static void $$Bad(DeviceSpan<int> o) { } }", "QK0001");
        Assert.Contains("not partial", d.GetMessage());
    }

    [Fact]
    public void QK0001_ClassNotStatic() => Expect("public partial class K { [Kernel] public static void $$Bad(DeviceSpan<int> o) { } }", "QK0001");

    [Fact]
    public void QK0001_ParameterNameTakenByTheLauncher()
    {
        var d = Expect(Open + "[Kernel] public static void $$Bad(DeviceSpan<int> o, int config) { }" + Close, "QK0001");
        Assert.Contains("'config'", d.GetMessage());
    }

    [Fact]
    public void QK0002_UnsupportedParameterType()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o, int[] $$values) { }" + Close, "QK0002");
        Assert.Contains("'values'", d.GetMessage());
        Assert.Contains("int[]", d.GetMessage());
    }

    [Fact]
    public void QK0002_RefParameter() => Expect(Open + "[Kernel] public static void Bad(ref int $$x) { }" + Close, "QK0002");

    [Fact]
    public void QK0003_UnsupportedConstructNamesTheOperationKind()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { $$foreach (var x in stackalloc int[4]) o[0] += x; }" + Close, "QK0003");
        Assert.Contains("OperationKind.Loop", d.GetMessage());
        Assert.Contains("for loop", d.GetMessage());
    }

    [Fact]
    public void QK0003_Lambda()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { Func<int, int> f = $$x => x + 1; o[0] = 1; }" + Close, "QK0003");
        Assert.Contains("OperationKind.AnonymousFunction", d.GetMessage());
    }

    [Fact]
    public void QK0003_FloatRemainder()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<float> o) { o[0] = $$o[1] % o[2]; }" + Close, "QK0003");
        Assert.Contains("OperationKind.Binary", d.GetMessage());
    }

    [Fact]
    public void QK0003_CheckedArithmetic() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { o[0] = checked($$o[1] + o[2]); }" + Close, "QK0003");

    [Fact]
    public void QK0004_ManagedType()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { var $$list = new System.Collections.Generic.List<int>(); o[0] = list.Count; }" + Close, "QK0004", quambaTargetSm: null);
        Assert.Contains("List<int>", d.GetMessage());
    }

    [Fact]
    public void QK0005_CallWithoutDeviceImplementation()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<float> o) { o[0] = $$MathF.Pow(o[1], 3f); }" + Close, "QK0005");
        Assert.Contains("MathF.Pow", d.GetMessage());
    }

    [Fact]
    public void QK0006_Recursion()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { o[0] = Fact(o[1]); }\n" +
            "static int Fact(int n) => n <= 1 ? 1 : n * $$Fact(n - 1);" + Close, "QK0006");
        Assert.Contains("K.Fact(int)", d.GetMessage());
    }

    [Fact]
    public void QK0007_SharedMemoryLengthMustBeConstant() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o, int n) { var s = SharedMemory.Allocate<int>($$n); s[0] = 1; o[0] = s[0]; }" + Close, "QK0007");

    [Fact]
    public void QK0007_StackallocLengthMustBeConstant() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o, int n) { Span<int> s = stackalloc int[$$n]; s[0] = 1; o[0] = s[0]; }" + Close, "QK0007");

    [Fact]
    public void QK0007_InlinePtxTemplateMustBeConstant() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<uint> o) { string t = \"brev.b32 {0}, {1};\"; o[0] = InlinePtx.U32($$t, o[1]); }" + Close, "QK0007");

    [Fact]
    public void QK0008_IntrinsicAboveDeclaredTargetSm()
    {
        var d = Expect(Open + "[Kernel(TargetSm = 70)] public static void Bad(ReadOnlyDeviceSpan<float> x, DeviceSpan<BFloat16> o) { o[0] = $$(BFloat16)x[0]; }" + Close, "QK0008");
        Assert.Contains("sm_80", d.GetMessage());
        Assert.Contains("sm_70", d.GetMessage());
    }

    [Fact]
    public void QK0008_ProjectTargetSmFromMsBuildProperty()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<float> o) { o[0] = $$DeviceMath.FastTanh(o[1]); }" + Close, "QK0008", quambaTargetSm: "70");
        Assert.Contains("tanh.approx.f32", d.GetMessage());
        Assert.Contains("sm_75", d.GetMessage());
    }

    [Fact]
    public void QK0009_SharedMemoryOverBudget()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<float> o) { var a = SharedMemory.Allocate<float>(8192); var b = $$SharedMemory.Allocate<float>(8192); a[0] = 1; b[0] = 2; o[0] = a[0] + b[0]; }" + Close, "QK0009");
        Assert.Contains("65536", d.GetMessage());
    }

    [Fact]
    public void QK0010_MutableStaticField()
    {
        var d = Expect(Open + "static int counter;\n[Kernel] public static void Bad(DeviceSpan<int> o) { o[0] = $$counter; }" + Close, "QK0010");
        Assert.Contains("K.counter", d.GetMessage());
    }

    [Fact]
    public void QK0011_ImplicitDoublePromotionIsAWarning()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<double> o, float f) { o[0] = $$f * 2.0; }" + Close, "QK0011");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void QK0012_BarrierUnderThreadDependentBranch()
    {
        var d = Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { if (Gpu.ThreadIdxX < 10) { o[0] = 1; $$Gpu.SyncThreads(); } }" + Close, "QK0012");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("Gpu.SyncThreads()", d.GetMessage());
    }

    [Fact]
    public void QK0012_ShuffleUnderLaneDependentBranch() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { int v = o[Gpu.ThreadIdxX]; if (Gpu.LaneId < 5) v = $$Warp.ShuffleXor(v, 1); o[Gpu.ThreadIdxX] = v; }" + Close, "QK0012");

    [Fact]
    public void QK0012_BarrierAfterEarlyReturnOfSomeThreads() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { int i = Gpu.ThreadIdxX; if (i >= o.Length) return; o[i] = 1; $$Gpu.SyncThreads(); }" + Close, "QK0012");

    [Fact]
    public void QK0013_ExceptionInTheCompilerBecomesAnInternalError()
    {
        Quamba.Generators.Common.TestHooks.BeforeStage.Value = stage => { if (stage == "Backend") throw new InvalidOperationException("injected"); };
        try
        {
            var d = Expect(Open + "[Kernel] public static void $$Fine(DeviceSpan<int> o) { o[0] = 1; }" + Close, "QK0013");
            Assert.Contains("injected", d.GetMessage());
        }
        finally
        {
            Quamba.Generators.Common.TestHooks.BeforeStage.Value = null;
        }
    }

    [Fact]
    public void QK0013_PtxThatFailsTheSelfCheckIsNotEmitted()
    {
        var d = Expect(Open + "[Kernel] public static void $$Bad(DeviceSpan<int> o) { InlinePtx.Emit(\"add.s32 %r900, %r901, 1;\"); o[0] = 1; }" + Close, "QK0013");
        Assert.Contains("self-check", d.GetMessage());
        Assert.Contains("%r900", d.GetMessage());
    }

    [Fact]
    public void QK0014_SpecializeOnNonGenericKernel() =>
        Expect(Open + "[Kernel, $$Specialize(typeof(int))] public static void Bad(DeviceSpan<int> o) { }" + Close, "QK0014");

    [Fact]
    public void QK0014_SpecializeViolatesConstraint()
    {
        var d = Expect("public interface IShape { static abstract int N { get; } }\n" + Open +
            "[Kernel, $$Specialize(typeof(int))] public static void Bad<T>(DeviceSpan<int> o) where T : IShape { o[0] = T.N; }" + Close, "QK0014");
        Assert.Contains("constraint", d.GetMessage());
    }

    [Fact]
    public void QK0015_GenericKernelWithoutSpecialize()
    {
        var markup = new Markup(Usings + Open + "[Kernel] public static void $$Unused<T>(DeviceSpan<int> o) where T : struct { }" + Close);
        var result = Run(markup.Source);
        var d = Assert.Single(result.Diagnostics, x => x.Id == "QK0015");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(markup.LineColumn(0), (d.Location.GetLineSpan().StartLinePosition.Line, d.Location.GetLineSpan().StartLinePosition.Character));
    }

    [Fact]
    public void QK0016_SharedAllocationInsideALoop() =>
        Expect(Open + "[Kernel] public static void Bad(DeviceSpan<int> o) { for (int k = 0; k < 2; k++) { var s = $$SharedMemory.Allocate<int>(4); s[0] = k; o[k] = s[0]; } }" + Close, "QK0016");

    [Fact]
    public void QK0017_UnknownTargetSm() =>
        Expect(Open + "[$$Kernel(TargetSm = 12)] public static void Bad(DeviceSpan<int> o) { }" + Close, "QK0017");

    [Fact]
    public void QK0019_RegisterLimitOutOfRange() =>
        Expect(Open + "[$$Kernel(MaxRegisters = 300)] public static void Bad(DeviceSpan<int> o) { }" + Close, "QK0019");

    [Fact]
    public void QK0018_ParametersOverBudget()
    {
        var parameters = string.Join(", ", Enumerable.Range(0, 1100).Select(i => "int p" + i));
        Expect(Open + "[Kernel] public static void $$Bad(" + parameters + ") { }" + Close, "QK0018");
    }

    [Fact]
    public void AllErrorsOfAKernelAreReportedAndNoPtxIsEmitted()
    {
        var markup = new Markup(Usings + Open +
            "[Kernel] public static void Bad(DeviceSpan<float> o, int n) {\n" +
            "  o[0] = $$MathF.Pow(o[1], 2f);\n" +
            "  var s = SharedMemory.Allocate<float>($$n);\n" +
            "  o[2] = $$o[3] % o[4];\n" +
            "}" + Close);
        var result = Run(markup.Source);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(["QK0005", "QK0007", "QK0003"], errors.Select(e => e.Id));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(markup.LineColumn(i), (errors[i].Location.GetLineSpan().StartLinePosition.Line, errors[i].Location.GetLineSpan().StartLinePosition.Character));
        }
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void ValidKernelsProduceNoDiagnosticsAndCompile()
    {
        var result = Run(Usings + Open + "[Kernel] public static void Fine(DeviceSpan<int> o) { o[Gpu.ThreadIdxX] = Gpu.ThreadIdxX; }" + Close);
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(result.CompilationErrors);
    }

    [Fact]
    public void NoWarningForWarpCollectivesUnderWarpUniformBranches()
    {
        var result = Run(Usings + Open +
            "[Kernel] public static void Fine(DeviceSpan<int> o) {\n" +
            "  int v = o[Gpu.ThreadIdxX]; int warp = Gpu.ThreadIdxX / 32;\n" +
            "  if (warp == 0) v += Warp.ShuffleXor(v, 1);\n" +
            "  if (Gpu.ThreadIdxX < 64) v += Warp.ShuffleDown(v, 1);\n" +
            "  if (Gpu.LaneId == 0) o[warp] = v;\n" +
            "  Gpu.SyncThreads();\n" +
            "  o[Gpu.ThreadIdxX] = v; }" + Close);
        Assert.Empty(result.Diagnostics);
    }
}
