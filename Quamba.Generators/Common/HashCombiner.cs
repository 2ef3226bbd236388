namespace Quamba.Generators.Common
{
    /// <summary>Deterministic hash combining (netstandard2.0 has no System.HashCode).</summary>
    internal static class HashCombiner
    {
        public static int Combine(int seed, int value) => unchecked((seed * -1521134295) + value);

        public static int Combine(int a, int b, int c) => Combine(Combine(a, b), c);

        public static int Combine(int a, int b, int c, int d) => Combine(Combine(Combine(a, b), c), d);
    }
}
