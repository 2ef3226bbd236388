using System;
using System.Linq;
using System.Text;

using Quamba.Generators.Common;

namespace Quamba.Generators.Config
{
    /// <summary>Text forms of the config's enumerations, and the rules for names.</summary>
    internal static class ConfigNames
    {
        public static readonly string[] Architectures = { "mamba1", "mamba2" };
        public static readonly string[] Precisions = { "fp16", "w8a8", "w4a8", "w4a16" };
        public static readonly string[] StatePrecisions = { "fp32", "fp16", "int8" };

        /// <summary>Architectures a config may target (compute capabilities the kernels are validated for).</summary>
        public static readonly int[] KnownSms = { 70, 72, 75, 80, 86, 87, 89, 90, 100, 101, 103, 120, 121 };

        public static readonly int[] DefaultSms = { 80, 86, 89, 90 };

        /// <summary>Hadamard sizes that are not powers of two: m x 2^k with a fixed m x m base matrix.</summary>
        /// <summary>In the order of preference Quamba.Model uses (40 before 20 where both fit).</summary>
        public static readonly int[] HadamardBases = { 28, 40, 20, 12 };

        public static string Text(ModelArchitecture a) => Architectures[(int)a];

        public static string Text(LayerPrecision p) => Precisions[(int)p];

        public static string Text(StatePrecision p) => StatePrecisions[(int)p];

        public static string PascalCase(LayerPrecision p) => p switch
        {
            LayerPrecision.Fp16 => "Fp16",
            LayerPrecision.W8A8 => "W8A8",
            LayerPrecision.W4A8 => "W4A8",
            _ => "W4A16",
        };

        /// <summary>The listed values as a message fragment: "fp16, w8a8, w4a8 or w4a16".</summary>
        public static string List(string[] values) =>
            values.Length == 1 ? values[0] : string.Join(", ", values.Take(values.Length - 1)) + " or " + values[values.Length - 1];

        /// <summary>
        /// A C# identifier from a file or config name: "mamba2-tiny.w4a8" -> "Mamba2TinyW4a8". Empty when nothing
        /// usable is left; a leading digit gets the prefix "Config".
        /// </summary>
        public static string ToIdentifier(string name)
        {
            var builder = new StringBuilder();
            bool upper = true;
            foreach (char c in name ?? "")
            {
                if (c == '_' && builder.Length > 0)
                {
                    builder.Append(c);
                    upper = false;
                }
                else if (c < 128 && char.IsLetterOrDigit(c))
                {
                    builder.Append(upper ? char.ToUpperInvariant(c) : c);
                    upper = false;
                }
                else
                {
                    upper = true;
                }
            }
            if (builder.Length > 0 && char.IsDigit(builder[0])) builder.Insert(0, "Config");
            return builder.ToString();
        }

        /// <summary>The config name a file gives when it has no "name": its file name without ".json" (and ".quamba").</summary>
        public static string FromPath(string path)
        {
            var file = path.Replace('\\', '/');
            int slash = file.LastIndexOf('/');
            if (slash >= 0) file = file.Substring(slash + 1);
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) file = file.Substring(0, file.Length - 5);
            if (file.EndsWith(".quamba", StringComparison.OrdinalIgnoreCase) && file.Length > 7) file = file.Substring(0, file.Length - 7);
            return file;
        }

        /// <summary>Factors a width as m x 2^k (m = 1 or one of <see cref="HadamardBases"/>), or null when none exists.</summary>
        public static HadamardSize? Hadamard(int size)
        {
            if (size <= 0) return null;
            if ((size & (size - 1)) == 0) return new HadamardSize(size, 1, Bits.Log2(size));
            foreach (int m in HadamardBases)
            {
                if (size % m != 0) continue;
                int rest = size / m;
                if ((rest & (rest - 1)) == 0) return new HadamardSize(size, m, Bits.Log2(rest));
            }
            return null;
        }

        /// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
        public static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.Length];
        }

        /// <summary>The candidate nearest to <paramref name="word"/> by edit distance (ties: first listed).</summary>
        public static string Nearest(string word, string[] candidates)
        {
            string best = candidates[0];
            int bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                int distance = EditDistance(word, candidate);
                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            return best;
        }
    }
}
