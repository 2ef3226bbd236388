using System.Text;

namespace Quamba.Model.Tokenization;

/// <summary>
/// Unicode canonical normalization (NFD and NFC, UAX #15) from embedded tables
/// (<see cref="UnicodeNormalizationData"/>). The project runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> returns non-ASCII text unchanged, so the tokenizer cannot rely on it.
/// </summary>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>Below this code point nothing decomposes to something else, has a non-zero combining
    /// class, or composes with what precedes it: text made of such characters is already in NFC and NFD form
    /// except for the precomposed Latin-1 letters, which NFD splits.</summary>
    private const int NfcSafeBelow = 0x300;

    private static readonly Dictionary<int, (int First, int Second)> s_decompositions = BuildDecompositions();
    private static readonly Dictionary<long, int> s_compositions = BuildCompositions();
    private static readonly byte[] s_bmpCombiningClass = BuildBmpCombiningClasses();

    /// <summary>The canonical composition (NFC) of <paramref name="s"/>; the same instance when unchanged.</summary>
    public static string ToNfc(string s)
    {
        if (IsBelow(s, NfcSafeBelow))
            return s;
        var cps = Decompose(s);
        Compose(cps);
        return FromCodePoints(cps, s);
    }

    /// <summary>The canonical decomposition (NFD) of <paramref name="s"/>; the same instance when unchanged.</summary>
    public static string ToNfd(string s)
    {
        if (IsBelow(s, 0xC0))
            return s;
        return FromCodePoints(Decompose(s), s);
    }

    /// <summary>Canonical combining class of a code point.</summary>
    public static int CombiningClass(int cp)
    {
        if (cp < 0x10000)
            return s_bmpCombiningClass[cp];
        ReadOnlySpan<int> ranges = UnicodeNormalizationData.CombiningClasses;
        int lo = 0, hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[mid * 3]) hi = mid - 1;
            else if (cp > ranges[mid * 3 + 1]) lo = mid + 1;
            else return ranges[mid * 3 + 2];
        }
        return 0;
    }

    private static bool IsBelow(string s, int limit)
    {
        foreach (char c in s)
        {
            if (c >= limit)
                return false;
        }
        return true;
    }

    private static List<int> Decompose(string s)
    {
        var cps = new List<int>(s.Length + 8);
        foreach (Rune r in s.EnumerateRunes())
            DecomposeInto(r.Value, cps);
        // Canonical ordering: stable sort of each run of non-starters by combining class.
        for (int i = 1; i < cps.Count; i++)
        {
            int cc = CombiningClass(cps[i]);
            if (cc == 0)
                continue;
            int j = i;
            int cp = cps[i];
            while (j > 0 && CombiningClass(cps[j - 1]) > cc)
            {
                cps[j] = cps[j - 1];
                j--;
            }
            cps[j] = cp;
        }
        return cps;
    }

    private static void DecomposeInto(int cp, List<int> output)
    {
        int sIndex = cp - SBase;
        if (sIndex >= 0 && sIndex < SCount)
        {
            output.Add(LBase + sIndex / NCount);
            output.Add(VBase + sIndex % NCount / TCount);
            int t = sIndex % TCount;
            if (t != 0)
                output.Add(TBase + t);
            return;
        }
        if (cp >= 0xC0 && s_decompositions.TryGetValue(cp, out var d))
        {
            DecomposeInto(d.First, output);
            if (d.Second >= 0)
                DecomposeInto(d.Second, output);
            return;
        }
        output.Add(cp);
    }

    private static void Compose(List<int> cps)
    {
        if (cps.Count == 0)
            return;
        int starterPos = 0;
        int starter = cps[0];
        int lastClass = CombiningClass(starter);
        if (lastClass != 0)
            lastClass = 256; // a leading non-starter blocks everything after it from composing with it
        int write = 1;
        for (int read = 1; read < cps.Count; read++)
        {
            int cp = cps[read];
            int cls = CombiningClass(cp);
            int composite = ComposePair(starter, cp);
            if (composite >= 0 && (lastClass < cls || lastClass == 0))
            {
                cps[starterPos] = composite;
                starter = composite;
                continue;
            }
            if (cls == 0)
            {
                starterPos = write;
                starter = cp;
            }
            lastClass = cls;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private static int ComposePair(int first, int second)
    {
        int lIndex = first - LBase;
        if (lIndex >= 0 && lIndex < LCount)
        {
            int vIndex = second - VBase;
            if (vIndex >= 0 && vIndex < VCount)
                return SBase + (lIndex * VCount + vIndex) * TCount;
            return -1;
        }
        int sIndex = first - SBase;
        if (sIndex >= 0 && sIndex < SCount && sIndex % TCount == 0)
        {
            int tIndex = second - TBase;
            if (tIndex > 0 && tIndex < TCount)
                return first + tIndex;
            return -1;
        }
        return s_compositions.TryGetValue(((long)first << 21) | (uint)second, out int c) ? c : -1;
    }

    private static string FromCodePoints(List<int> cps, string original)
    {
        var sb = new StringBuilder(cps.Count + 4);
        foreach (int cp in cps)
        {
            if (cp < 0x10000)
                sb.Append((char)cp);
            else
                sb.Append(char.ConvertFromUtf32(cp));
        }
        string result = sb.ToString();
        return result == original ? original : result;
    }

    private static Dictionary<int, (int, int)> BuildDecompositions()
    {
        ReadOnlySpan<int> d = UnicodeNormalizationData.CanonicalDecompositions;
        var map = new Dictionary<int, (int, int)>(d.Length / 3);
        for (int i = 0; i < d.Length; i += 3)
            map[d[i]] = (d[i + 1], d[i + 2]);
        return map;
    }

    private static Dictionary<long, int> BuildCompositions()
    {
        var excluded = new HashSet<int>(UnicodeNormalizationData.CompositionExclusions.ToArray());
        ReadOnlySpan<int> d = UnicodeNormalizationData.CanonicalDecompositions;
        var map = new Dictionary<long, int>();
        for (int i = 0; i < d.Length; i += 3)
        {
            if (d[i + 2] >= 0 && !excluded.Contains(d[i]))
                map[((long)d[i + 1] << 21) | (uint)d[i + 2]] = d[i];
        }
        return map;
    }

    private static byte[] BuildBmpCombiningClasses()
    {
        var table = new byte[0x10000];
        ReadOnlySpan<int> ranges = UnicodeNormalizationData.CombiningClasses;
        for (int i = 0; i < ranges.Length; i += 3)
        {
            for (int cp = ranges[i]; cp <= ranges[i + 1] && cp < 0x10000; cp++)
                table[cp] = (byte)ranges[i + 2];
        }
        return table;
    }
}
