namespace Quamba.Generators.Common
{
    /// <summary>Integer bit arithmetic the generator needs (netstandard2.0 has no System.Numerics.BitOperations).</summary>
    internal static class Bits
    {
        public static bool IsPowerOfTwo(int x) => x > 0 && (x & (x - 1)) == 0;

        /// <summary>The exponent of a power of two (the smallest k with 2^k &gt;= x otherwise).</summary>
        public static int Log2(int powerOfTwo)
        {
            int log = 0;
            while ((1 << log) < powerOfTwo) log++;
            return log;
        }

        public static int LeadingZeroCount(uint u)
        {
            int n = 0;
            for (uint bit = 0x80000000u; bit != 0 && (u & bit) == 0; bit >>= 1) n++;
            return n;
        }

        public static int PopCount(uint u)
        {
            int n = 0;
            for (; u != 0; u &= u - 1) n++;
            return n;
        }
    }
}
