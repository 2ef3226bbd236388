using Quamba.Model.Backends.Cpu.Integer;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// Decode-sized products run on the calling thread. The integer kernels go parallel above 2^18 multiply-adds, but a
/// decode GEMV of the tiny models (0.1-1 M multiply-adds, a few microseconds) then waits for a second thread to be
/// scheduled, which on a shared 2-core machine cost 5-20x the product itself (measured; docs/results.md).
/// </summary>
internal static class SmallProducts
{
    /// <summary>Below this many multiply-adds a quantized linear runs single-threaded.</summary>
    public const long SerialLimit = 1L << 21;

    /// <summary>A scope that keeps the integer kernels on this thread when the product is small, else null.</summary>
    public static IDisposable? Scope(long multiplyAdds) => multiplyAdds < SerialLimit ? RowBlockScheduler.SerialScope() : null;
}
