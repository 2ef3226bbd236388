namespace Quamba.Kernels;

/// <summary>
/// Atomic read-modify-write on global or shared memory (generic addressing, <c>atom.*</c>). Each returns
/// the value held before the operation.
/// </summary>
public static class Atomic
{
    public static int Add(ref int target, int value) => Interlocked.Add(ref target, value) - value;
    public static uint Add(ref uint target, uint value) => Interlocked.Add(ref target, value) - value;
    public static ulong Add(ref ulong target, ulong value) => Interlocked.Add(ref target, value) - value;

    public static float Add(ref float target, float value)
    {
        float seen = Volatile.Read(ref target);
        while (true)
        {
            float old = Interlocked.CompareExchange(ref target, seen + value, seen);
            if (BitConverter.SingleToInt32Bits(old) == BitConverter.SingleToInt32Bits(seen)) return old;
            seen = old;
        }
    }

    public static int Max(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (true)
        {
            int old = Interlocked.CompareExchange(ref target, Math.Max(seen, value), seen);
            if (old == seen) return old;
            seen = old;
        }
    }

    public static uint Max(ref uint target, uint value)
    {
        uint seen = Volatile.Read(ref target);
        while (true)
        {
            uint old = Interlocked.CompareExchange(ref target, Math.Max(seen, value), seen);
            if (old == seen) return old;
            seen = old;
        }
    }

    public static int Min(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (true)
        {
            int old = Interlocked.CompareExchange(ref target, Math.Min(seen, value), seen);
            if (old == seen) return old;
            seen = old;
        }
    }

    public static uint Min(ref uint target, uint value)
    {
        uint seen = Volatile.Read(ref target);
        while (true)
        {
            uint old = Interlocked.CompareExchange(ref target, Math.Min(seen, value), seen);
            if (old == seen) return old;
            seen = old;
        }
    }

    public static int Exchange(ref int target, int value) => Interlocked.Exchange(ref target, value);
    public static uint Exchange(ref uint target, uint value) => Interlocked.Exchange(ref target, value);
    public static float Exchange(ref float target, float value) => Interlocked.Exchange(ref target, value);

    public static int CompareExchange(ref int target, int comparand, int value) => Interlocked.CompareExchange(ref target, value, comparand);
    public static uint CompareExchange(ref uint target, uint comparand, uint value) => Interlocked.CompareExchange(ref target, value, comparand);

    public static int And(ref int target, int value) => Interlocked.And(ref target, value);
    public static int Or(ref int target, int value) => Interlocked.Or(ref target, value);
}
