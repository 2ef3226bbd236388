using Microsoft.CodeAnalysis;

namespace Quamba.Generators.Lowering
{
    /// <summary>The types of the kernel language, resolved once per compilation so intrinsics are recognised by symbol.</summary>
    internal sealed class KnownSymbols
    {
        public KnownSymbols(Compilation compilation)
        {
            Gpu = compilation.GetTypeByMetadataName("Quamba.Kernels.Gpu");
            Warp = compilation.GetTypeByMetadataName("Quamba.Kernels.Warp");
            Atomic = compilation.GetTypeByMetadataName("Quamba.Kernels.Atomic");
            DeviceMath = compilation.GetTypeByMetadataName("Quamba.Kernels.DeviceMath");
            SharedMemory = compilation.GetTypeByMetadataName("Quamba.Kernels.SharedMemory");
            InlinePtx = compilation.GetTypeByMetadataName("Quamba.Kernels.InlinePtx");
            DeviceSpan = compilation.GetTypeByMetadataName("Quamba.Kernels.DeviceSpan`1");
            ReadOnlyDeviceSpan = compilation.GetTypeByMetadataName("Quamba.Kernels.ReadOnlyDeviceSpan`1");
            BFloat16 = compilation.GetTypeByMetadataName("Quamba.Kernels.BFloat16");
            Half = compilation.GetTypeByMetadataName("System.Half");
            Span = compilation.GetTypeByMetadataName("System.Span`1");
            ReadOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
            Math = compilation.GetTypeByMetadataName("System.Math");
            MathF = compilation.GetTypeByMetadataName("System.MathF");
            BitConverter = compilation.GetTypeByMetadataName("System.BitConverter");
            BitOperations = compilation.GetTypeByMetadataName("System.Numerics.BitOperations");
        }

        public INamedTypeSymbol? Gpu { get; }
        public INamedTypeSymbol? Warp { get; }
        public INamedTypeSymbol? Atomic { get; }
        public INamedTypeSymbol? DeviceMath { get; }
        public INamedTypeSymbol? SharedMemory { get; }
        public INamedTypeSymbol? InlinePtx { get; }
        public INamedTypeSymbol? DeviceSpan { get; }
        public INamedTypeSymbol? ReadOnlyDeviceSpan { get; }
        public INamedTypeSymbol? BFloat16 { get; }
        public INamedTypeSymbol? Half { get; }
        public INamedTypeSymbol? Span { get; }
        public INamedTypeSymbol? ReadOnlySpan { get; }
        public INamedTypeSymbol? Math { get; }
        public INamedTypeSymbol? MathF { get; }
        public INamedTypeSymbol? BitConverter { get; }
        public INamedTypeSymbol? BitOperations { get; }

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
            type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known);
    }
}
