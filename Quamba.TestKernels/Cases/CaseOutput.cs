using Quamba.Kernels;

namespace Quamba.TestKernels.Cases;

/// <summary>One named output array of a case.</summary>
public sealed record CaseOutput(string Name, Array Values)
{
    public static CaseOutput Of<T>(string name, T[] values) where T : unmanaged => new(name, values);
}

/// <summary>Compares a run's outputs with the expected ones under a tolerance; returns readable mismatches.</summary>
public static class CaseComparison
{
    public static IReadOnlyList<string> Compare(IReadOnlyList<CaseOutput> expected, IReadOnlyList<CaseOutput> actual, Tolerance tolerance, int maxReports = 8)
    {
        var problems = new List<string>();
        if (expected.Count != actual.Count)
        {
            problems.Add($"expected {expected.Count} outputs, got {actual.Count}");
            return problems;
        }
        for (int o = 0; o < expected.Count; o++)
        {
            var e = expected[o];
            var a = actual[o];
            if (e.Name != a.Name || e.Values.GetType() != a.Values.GetType() || e.Values.Length != a.Values.Length)
            {
                problems.Add($"output {o}: expected {e.Name} {e.Values.GetType().Name}[{e.Values.Length}], got {a.Name} {a.Values.GetType().Name}[{a.Values.Length}]");
                continue;
            }
            int reported = 0, mismatches = 0;
            for (int i = 0; i < e.Values.Length; i++)
            {
                object ev = e.Values.GetValue(i)!, av = a.Values.GetValue(i)!;
                if (Matches(ev, av, tolerance)) continue;
                mismatches++;
                if (reported++ < maxReports) problems.Add($"{e.Name}[{i}]: expected {Show(ev)}, got {Show(av)}");
            }
            if (mismatches > maxReports) problems.Add($"{e.Name}: {mismatches} mismatches in all");
        }
        return problems;
    }

    private static bool Matches(object expected, object actual, Tolerance tolerance)
    {
        switch (expected)
        {
            case float f: return Close(f, (float)actual, tolerance, BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)actual));
            case double d: return Close(d, (double)actual, tolerance, BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)actual));
            case Half h:
                return Close((float)h, (float)(Half)actual, tolerance, BitConverter.HalfToInt16Bits(h) == BitConverter.HalfToInt16Bits((Half)actual))
                    || tolerance.Codes > 0 && HalfUnitsApart(h, (Half)actual) <= tolerance.Codes;
            case BFloat16 b: return Close((float)b, (float)(BFloat16)actual, tolerance, b.Bits == ((BFloat16)actual).Bits);
            case sbyte or byte or short or ushort or int when tolerance.Codes > 0:
                return Math.Abs(Convert.ToInt64(expected) - Convert.ToInt64(actual)) <= tolerance.Codes;
            default: return expected.Equals(actual);
        }
    }

    /// <summary>How many fp16 values lie between two finite halves (1 for neighbours, across zero too).</summary>
    private static int HalfUnitsApart(Half a, Half b)
    {
        if (!Half.IsFinite(a) || !Half.IsFinite(b)) return int.MaxValue;
        static int Ordered(Half h)
        {
            int bits = BitConverter.HalfToUInt16Bits(h);
            return (bits & 0x8000) != 0 ? -(bits & 0x7FFF) : bits;
        }
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    private static bool Close(double expected, double actual, Tolerance tolerance, bool sameBits)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual)) return double.IsNaN(expected) && double.IsNaN(actual);
        if (tolerance.IsExact) return sameBits;
        if (double.IsInfinity(expected) || double.IsInfinity(actual)) return expected == actual;
        return Math.Abs(actual - expected) <= tolerance.Absolute + tolerance.Relative * Math.Abs(expected);
    }

    private static string Show(object value) => value switch
    {
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + $" (0x{BitConverter.SingleToUInt32Bits(f):X8})",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Half h => ((float)h).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + $" (0x{BitConverter.HalfToUInt16Bits(h):X4})",
        BFloat16 b => ((float)b).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + $" (0x{b.Bits:X4})",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
