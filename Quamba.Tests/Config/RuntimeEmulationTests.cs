using Quamba.Compiler;
using Quamba.Kernels;
using Quamba.Kernels.Emulation;
using Quamba.Kernels.Mamba;
using Quamba.Tests.Mamba;
using Quamba.TestKernels.Mamba;

namespace Quamba.Tests.Config;

/// <summary>
/// The CPU emulator path of run-time kernel sets: configs whose shapes no build named (narrower convs, an E of 40 x 16 and
/// 12 x 16, int8 and A16 layers together, an fp16 and an int8 SSM state) are compiled at run time, and every kernel of
/// each runs on the emulator, through run-time shape types, against its reference with the same cases as the build-time
/// configs.
/// </summary>
public class RuntimeEmulationTests
{
    /// <summary>mamba1: d 96, E 192 = 12 x 16, N 8, dt rank 6, conv width 3; a W8A8 and an fp16 layer; fp16 state (not the default int8).</summary>
    private const string Mamba1Runtime = """
        { "name": "RuntimeMamba1", "architecture": "mamba1",
          "shape": { "d_model": 96, "d_state": 8, "d_conv": 3, "n_layer": 2, "vocab_size": 512 },
          "precision": ["w8a8", "fp16"], "state_precision": "fp16" }
        """;

    /// <summary>mamba2: d 320, E 640 = 40 x 16, N 32, P 32, H 20, G 2, conv width 2, chunk 64; a W4A8 and a W4A16 layer; int8 state (the default).</summary>
    private const string Mamba2Runtime = """
        { "name": "RuntimeMamba2", "architecture": "mamba2",
          "shape": { "d_model": 320, "d_state": 32, "headdim": 32, "ngroups": 2, "d_conv": 2, "chunk_size": 64, "n_layer": 2, "vocab_size": 512 },
          "precision": ["w4a8", "w4a16"], "weight_group_size": 64 }
        """;

    /// <summary>Both configs compiled once (into a temporary PTX cache) for all the tests.</summary>
    private static readonly Lazy<RuntimeKernelSet[]> Sets = new(() =>
    {
        var cache = Directory.CreateTempSubdirectory("quamba-runtime-emulation-").FullName;
        try
        {
            var compiler = new RuntimeKernelCompiler(cache);
            return [compiler.Compile("/runtime/RuntimeMamba1/quamba.json", Mamba1Runtime, []), compiler.Compile("/runtime/RuntimeMamba2/quamba.json", Mamba2Runtime, [])];
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    });

    private static readonly Lazy<IReadOnlyList<ConfigCase>> Cases = new(() =>
    {
        var (cases, problems) = ConfigCaseCatalog.CasesFor(Sets.Value.Select(set => new RuntimeConfigKernels(set)));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return cases;
    });

    public static TheoryData<string> CaseNames => new(Cases.Value.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void RuntimeKernelMatchesReferenceOnTheEmulator(string name) =>
        MambaKernelEmulatorTests.AssertMatchesReferenceOnTheEmulator(Cases.Value.Single(c => c.Name == name));

    /// <summary>
    /// Every kernel of both sets runs in exactly one case: among them the int8 and the A16 conv, the A8 and the A16 scan
    /// or SSD (each for the config's state storage), norms, Hadamard.
    /// </summary>
    [Fact]
    public void EveryKernelOfTheRuntimeSetsIsCovered()
    {
        var launchers = Cases.Value.SelectMany(c => c.Launchers.Select(l => c.Config + "." + l)).ToList();
        var kernels = Sets.Value.SelectMany(set => set.Kernels.Select(k => "Runtime." + set.Plan.Name + "." + k.ClassName));
        Assert.Equal(kernels.Order(StringComparer.Ordinal), launchers.Order(StringComparer.Ordinal));
        foreach (var name in new[]
        {
            "RuntimeMamba1.Mamba1ConvPrefillA16Kernel", "RuntimeMamba1.Mamba1ScanPrefillKernel", "RuntimeMamba1.Mamba1ScanStepKernel",
            "RuntimeMamba1.Mamba1ScanPrefillA16Kernel", "RuntimeMamba1.Mamba1ScanStepA16Kernel", "RuntimeMamba2.Mamba2ConvStepA16Kernel",
            "RuntimeMamba2.Mamba2SsdPrefillKernel", "RuntimeMamba2.Mamba2SsdStepKernel", "RuntimeMamba2.Mamba2SsdPrefillA16Kernel",
            "RuntimeMamba2.Mamba2SsdStepA16Kernel", "RuntimeMamba2.HadamardRotateKernel", "RuntimeMamba2.QuantizeStateGroupsKernel",
        })
        {
            Assert.Contains("Runtime." + name, launchers);
        }
    }

    /// <summary>The scan and SSD kernels are closed over the config's state storage, the library type its state_precision names.</summary>
    [Fact]
    public void ScanKernelsTakeTheConfigsStateStorage()
    {
        var (mamba1, mamba2) = (Sets.Value[0], Sets.Value[1]);
        Assert.Equal(["Shape", "Quamba.Kernels.Mamba.Fp16State"], mamba1.Kernel("Mamba1ScanPrefillA16Kernel").TypeArguments);
        Assert.Equal(["Shape", "Quamba.Kernels.Mamba.Int8State"], mamba2.Kernel("Mamba2SsdStepKernel").TypeArguments);
        Assert.Equal([typeof(Fp16State)], new RuntimeKernelEmulator(mamba1).KernelMethod(mamba1.Kernel("Mamba1ScanStepKernel")).GetGenericArguments().Skip(1));
        Assert.Equal([typeof(Int8State)], new RuntimeKernelEmulator(mamba2).KernelMethod(mamba2.Kernel("Mamba2SsdPrefillA16Kernel")).GetGenericArguments().Skip(1));
        Assert.Throws<KeyNotFoundException>(() => new RuntimeKernelEmulator(mamba2).TypeArgument("Quamba.Kernels.Mamba.NoSuchState"));
    }

    /// <summary>The run-time shape types carry the config's values and satisfy the kernels' constraints.</summary>
    [Fact]
    public void ShapeTypesCarryTheConfigsValues()
    {
        var emulator = new RuntimeKernelEmulator(Sets.Value[1]);
        var shape = emulator.ShapeType("Shape");
        Assert.True(typeof(IMamba2Shape).IsAssignableFrom(shape));
        var values = new Dictionary<string, int> { ["ModelDim"] = 320, ["InnerDim"] = 640, ["StateDim"] = 32, ["HeadDim"] = 32, ["Heads"] = 20,
            ["StateGroups"] = 2, ["ConvWidth"] = 2, ["ChunkSize"] = 64, ["HeadGroups"] = 4, ["DimGroups"] = 4 };
        foreach (var (name, value) in values) Assert.Equal(value, (int)shape.GetProperty(name)!.GetValue(null)!);
        typeof(ShapeChecks).GetMethod(nameof(ShapeChecks.ValidateMamba2))!.MakeGenericMethod(shape).Invoke(null, null);
        var hadamard = emulator.ShapeType("Hadamard");
        Assert.Equal([640, 40, 16], new[] { "Width", "BaseOrder", "WalshSize" }.Select(n => (int)hadamard.GetProperty(n)!.GetValue(null)!));
        Assert.Same(shape, new RuntimeKernelEmulator(Sets.Value[1]).ShapeType("Shape"));
        Assert.Throws<KeyNotFoundException>(() => new RuntimeKernelEmulator(Sets.Value[0]).ShapeType("NoSuchShape"));
    }

    /// <summary>The untyped entry checks its arguments and runs the kernel like the typed one.</summary>
    [Fact]
    public void UntypedEmulateChecksArgumentsAndRuns()
    {
        var set = Sets.Value[1];
        var emulator = new RuntimeKernelEmulator(set);
        var kernel = set.Kernel("HadamardRotateKernel");
        var input = Enumerable.Range(0, 640).Select(i => MathF.Sin(i * 0.37f) + (i % 97 == 5 ? 20f : 0f)).ToArray();
        using var inputBuffer = HostBuffer<float>.From(input);
        using var output = new HostBuffer<float>(640);
        var config = HadamardKernels.Launch<Hadamard640>(1);
        var error = Assert.Throws<ArgumentException>(() => emulator.Emulate(kernel, config, inputBuffer.AsDeviceSpan(), output.AsDeviceSpan()));
        Assert.Contains("argument 0 (input) must be a ReadOnlyDeviceSpan`1", error.Message);
        Assert.Throws<ArgumentException>(() => emulator.Emulate(kernel, config, inputBuffer.AsReadOnlyDeviceSpan()));
        emulator.Emulate(kernel, config, inputBuffer.AsReadOnlyDeviceSpan(), output.AsDeviceSpan());
        Assert.Equal(HadamardReference.Rotate(input, 640, 40), output.ToArray());
        Assert.Throws<KeyNotFoundException>(() => set.Kernel("NoSuchKernel"));
    }
}
