using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// Which instruction set an integer kernel runs on. <see cref="Auto"/> picks the fastest the CPU has;
/// the others force one path (tests compare every path against a scalar reference).
/// </summary>
internal enum IntegerKernelPath
{
    Auto,

    /// <summary>Plain C# loops: the reference every other path must equal.</summary>
    Scalar,

    /// <summary><see cref="Vector{T}"/>: any CPU .NET vectorises, including Arm.</summary>
    Portable,

    /// <summary>AVX2: int8 sign-extended to int16 and <c>vpmaddwd</c> (exact, no saturation).</summary>
    Avx2,

    /// <summary>AVX-512 BW: the AVX2 scheme on 512-bit registers.</summary>
    Avx512,

    /// <summary>AVX-VNNI <c>vpdpbusd</c> (u8 x s8 -> s32) on 256-bit registers.</summary>
    AvxVnni,
}

internal static class IntegerKernelPaths
{
    public static bool IsSupported(IntegerKernelPath path) => path switch
    {
        IntegerKernelPath.Auto or IntegerKernelPath.Scalar or IntegerKernelPath.Portable => true,
        IntegerKernelPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        IntegerKernelPath.Avx512 => Avx512F.IsSupported && Avx512BW.IsSupported,
        IntegerKernelPath.AvxVnni => AvxVnni.IsSupported && Avx2.IsSupported,
        _ => false,
    };

    /// <summary>
    /// Resolves <paramref name="requested"/>: Auto becomes the first supported entry of
    /// <paramref name="preference"/>; an explicit path must be in the preference list (the kernel has it)
    /// and supported by this CPU.
    /// </summary>
    public static IntegerKernelPath Resolve(IntegerKernelPath requested, ReadOnlySpan<IntegerKernelPath> preference, string kernel)
    {
        if (requested == IntegerKernelPath.Auto)
        {
            foreach (var p in preference)
                if (IsSupported(p)) return p;
            return IntegerKernelPath.Scalar;
        }
        if (requested != IntegerKernelPath.Scalar && !preference.Contains(requested))
            throw new ArgumentException($"{kernel} has no {requested} path; it has {string.Join(", ", preference.ToArray())} and Scalar.", nameof(requested));
        if (!IsSupported(requested))
            throw new PlatformNotSupportedException($"{kernel}: this CPU does not support the {requested} path.");
        return requested;
    }
}
