using System.Text;

namespace Quamba.Tests.Snapshots;

/// <summary>A unified-style line diff (longest common subsequence) with a little context, for readable failures.</summary>
public static class LineDiff
{
    public static string Unified(string expected, string actual, int context = 3, int maxLines = 120)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var script = Script(a, b);
        var output = new StringBuilder();
        output.Append("--- snapshot\n+++ received\n");
        int lines = 0;
        for (int i = 0; i < script.Count; i++)
        {
            if (script[i].Kind == ' ')
            {
                bool near = false;
                for (int d = -context; d <= context && !near; d++)
                {
                    int j = i + d;
                    near = j >= 0 && j < script.Count && script[j].Kind != ' ';
                }
                if (!near) continue;
            }
            if (i > 0 && script[i].Kind == ' ' && script[i - 1].Kind == ' ' && !IsNearChange(script, i - 1, context)) output.Append("@@\n");
            output.Append(script[i].Kind).Append(script[i].Line).Append('\n');
            if (++lines >= maxLines)
            {
                output.Append("... (diff truncated)\n");
                break;
            }
        }
        return output.ToString();
    }

    private static bool IsNearChange(List<(char Kind, string Line)> script, int i, int context)
    {
        for (int d = -context; d <= context; d++)
        {
            int j = i + d;
            if (j >= 0 && j < script.Count && script[j].Kind != ' ') return true;
        }
        return false;
    }

    private static List<(char Kind, string Line)> Script(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var script = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { script.Add((' ', a[x])); x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) script.Add(('-', a[x++]));
            else script.Add(('+', b[y++]));
        }
        while (x < a.Length) script.Add(('-', a[x++]));
        while (y < b.Length) script.Add(('+', b[y++]));
        return script;
    }
}
