using System;
using System.Collections.Generic;
using System.Linq;
using Quamba.Generators.Common;
using Quamba.Generators.Config.Emit;

namespace Quamba.Generators.Config.Kernels
{
    /// <summary>
    /// Chooses a config's kernel instances: every generic library kernel whose shape interfaces the config can
    /// provide (IMamba1Shape for mamba1, IMamba2Shape for mamba2, IHadamardShape when a layer quantizes
    /// activations to 8 bits, IRowShape always; ISsmState is the config's state_precision), for the layer precisions
    /// that use it. Activation precision is in the kernels' element types, not a type argument, so which precisions
    /// use a kernel is a table here (kernels not in it serve every layer); the state precision is a type argument, so
    /// a config gets each scan and SSD kernel once, for its state precision.
    /// </summary>
    internal static class KernelCatalog
    {
        private static readonly LayerPrecision[] Int8Activations = { LayerPrecision.W8A8, LayerPrecision.W4A8 };
        private static readonly LayerPrecision[] HalfActivations = { LayerPrecision.Fp16, LayerPrecision.W4A16 };

        /// <summary>"Type.Method" -> the precisions whose layers run it (by its element types: sbyte = int8 activations).</summary>
        public static readonly IReadOnlyDictionary<string, LayerPrecision[]> PrecisionsByKernel = new Dictionary<string, LayerPrecision[]>(StringComparer.Ordinal)
        {
            ["HadamardKernels.HadamardQuantize"] = Int8Activations,
            ["HadamardKernels.HadamardRotate"] = new[] { LayerPrecision.W4A16 },
            // The int8-activation (A8) model kernels: int8 in, int8 or float out.
            ["CausalConv1dKernels.Mamba1ConvPrefill"] = Int8Activations,
            ["CausalConv1dKernels.Mamba1ConvStep"] = Int8Activations,
            ["CausalConv1dKernels.Mamba2ConvPrefill"] = Int8Activations,
            ["CausalConv1dKernels.Mamba2ConvStep"] = Int8Activations,
            ["ClusteredQuantization.QuantizeX"] = Int8Activations,
            ["ClusteredQuantization.QuantizeStateGroups"] = Int8Activations,
            ["Mamba1ScanKernels.Mamba1ScanPrefill"] = Int8Activations,
            ["Mamba1ScanKernels.Mamba1ScanStep"] = Int8Activations,
            ["Mamba2SsdKernels.Mamba2SsdPrefill"] = Int8Activations,
            ["Mamba2SsdKernels.Mamba2SsdStep"] = Int8Activations,
            ["RmsNormKernels.ResidualRmsNormQuantize"] = Int8Activations,
            ["RmsNormKernels.GatedRmsNorm"] = Int8Activations,
            // The fp16-activation (A16) convs: fp16 in and out.
            ["CausalConv1dKernels.Mamba1ConvPrefillA16"] = HalfActivations,
            ["CausalConv1dKernels.Mamba1ConvStepA16"] = HalfActivations,
            ["CausalConv1dKernels.Mamba2ConvPrefillA16"] = HalfActivations,
            ["CausalConv1dKernels.Mamba2ConvStepA16"] = HalfActivations,
            // The fp16-activation (A16) scans: fp16 in, float out.
            ["Mamba1ScanKernels.Mamba1ScanPrefillA16"] = HalfActivations,
            ["Mamba1ScanKernels.Mamba1ScanStepA16"] = HalfActivations,
            ["Mamba2SsdKernels.Mamba2SsdPrefillA16"] = HalfActivations,
            ["Mamba2SsdKernels.Mamba2SsdStepA16"] = HalfActivations,
            // The fp16-z (A16) gated norm: z fp16, y float in, float out.
            ["RmsNormKernels.GatedRmsNormA16"] = HalfActivations,
            // RmsNormKernels.ResidualRmsNorm (float out: A16 layers and the final norm) serves every layer.
        };

        /// <summary>
        /// Kernels that serve another kernel's step for other layer precisions: the plan lists them under that step, so
        /// KernelFor(step, layer) gives the A8 or the A16 scan (or gated norm) by the layer's precision.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> StepOf = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Mamba1ScanKernels.Mamba1ScanPrefillA16"] = "Mamba1ScanKernels.Mamba1ScanPrefill",
            ["Mamba1ScanKernels.Mamba1ScanStepA16"] = "Mamba1ScanKernels.Mamba1ScanStep",
            ["Mamba2SsdKernels.Mamba2SsdPrefillA16"] = "Mamba2SsdKernels.Mamba2SsdPrefill",
            ["Mamba2SsdKernels.Mamba2SsdStepA16"] = "Mamba2SsdKernels.Mamba2SsdStep",
            ["RmsNormKernels.GatedRmsNormA16"] = "RmsNormKernels.GatedRmsNorm",
        };

        public static ConfigKernelSet Build(QuambaConfig config, EquatableArray<LibraryKernel> library, string libraryHash)
        {
            var instances = new List<ConfigKernelInstance>();
            var present = config.DistinctPrecisions;
            foreach (var kernel in library)
            {
                if (!Provides(config, kernel)) continue;
                var key = kernel.ContainingType + "." + kernel.Method;
                var precisions = PrecisionsByKernel.TryGetValue(key, out var listed) ? listed.Where(present.Contains).ToArray() : null;
                if (precisions is { Length: 0 }) continue;
                var typeArguments = kernel.TypeParameters.Select(t => ShapeStructEmitter.QualifiedName(config, t)).ToEquatableArray();
                var step = StepOf.TryGetValue(key, out var served) ? served : key;
                instances.Add(new ConfigKernelInstance(kernel, step, (precisions ?? Array.Empty<LayerPrecision>()).ToEquatableArray(), typeArguments, ""));
            }
            // Launcher class names: Method + "Kernel", qualified by the type when two kernels share a method name.
            var named = instances.Select(i =>
            {
                bool shared = instances.Count(o => o.Kernel.Method == i.Kernel.Method) > 1;
                return i with { ClassName = (shared ? i.Kernel.ContainingType : "") + i.Kernel.Method + "Kernel" };
            }).ToEquatableArray();
            return new ConfigKernelSet(config, named, ShapeStructEmitter.Source(config), libraryHash);
        }

        private static bool Provides(QuambaConfig config, LibraryKernel kernel)
        {
            foreach (var parameter in kernel.TypeParameters)
            {
                switch (parameter)
                {
                    case ShapeInterface.Mamba1 when config.Architecture != ModelArchitecture.Mamba1:
                    case ShapeInterface.Mamba2 when config.Architecture != ModelArchitecture.Mamba2:
                    case ShapeInterface.Hadamard when config.InnerHadamard is null:
                        return false;
                }
            }
            return true;
        }

        internal static LayerPrecision[] Int8 => Int8Activations;

        internal static LayerPrecision[] Half => HalfActivations;
    }
}
