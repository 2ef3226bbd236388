using System.Collections.Generic;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Validation
{
    /// <summary>Basic blocks of the linear IR (split at labels and after branches), with successors and post-dominators.</summary>
    internal sealed class IrControlFlow
    {
        public IrControlFlow(IReadOnlyList<IrInstruction> body)
        {
            var starts = new List<int> { 0 };
            for (int i = 0; i < body.Count; i++)
            {
                if (body[i].Op == IrOp.Label && i > 0) starts.Add(i);
                else if (body[i].Op is IrOp.Branch or IrOp.Return && i + 1 < body.Count) starts.Add(i + 1);
            }
            starts.Sort();
            var unique = new List<int>();
            foreach (var s in starts) if (unique.Count == 0 || unique[unique.Count - 1] != s) unique.Add(s);

            BlockOf = new int[body.Count];
            Starts = unique.ToArray();
            Ends = new int[Starts.Length];
            var labelBlock = new Dictionary<string, int>();
            for (int b = 0; b < Starts.Length; b++)
            {
                Ends[b] = b + 1 < Starts.Length ? Starts[b + 1] : body.Count;
                for (int i = Starts[b]; i < Ends[b]; i++)
                {
                    BlockOf[i] = b;
                    if (body[i].Op == IrOp.Label) labelBlock[body[i].Text!] = b;
                }
            }

            Successors = new List<int>[Starts.Length];
            for (int b = 0; b < Starts.Length; b++)
            {
                var successors = new List<int>();
                var lastIndex = Ends[b] - 1;
                var last = lastIndex >= Starts[b] ? body[lastIndex] : null;
                if (last?.Op == IrOp.Return)
                {
                    // no successors: the virtual exit
                }
                else if (last?.Op == IrOp.Branch)
                {
                    if (labelBlock.TryGetValue(last.Text!, out int target)) successors.Add(target);
                    if (last.Sources.Count == 1 && b + 1 < Starts.Length) successors.Add(b + 1);
                }
                else if (b + 1 < Starts.Length)
                {
                    successors.Add(b + 1);
                }
                Successors[b] = successors;
            }
            ImmediatePostDominator = ComputePostDominators();
        }

        public int[] Starts { get; }
        public int[] Ends { get; }
        public int[] BlockOf { get; }
        public List<int>[] Successors { get; }

        /// <summary>Immediate post-dominator of each block; -1 is the virtual exit.</summary>
        public int[] ImmediatePostDominator { get; }

        public int Count => Starts.Length;

        private int[] ComputePostDominators()
        {
            int n = Starts.Length;
            int exit = n; // virtual exit node
            // Iterative data flow over sets (kernels are small).
            var sets = new HashSet<int>[n + 1];
            sets[exit] = new HashSet<int> { exit };
            var all = new HashSet<int>();
            for (int i = 0; i <= n; i++) all.Add(i);
            for (int i = 0; i < n; i++) sets[i] = new HashSet<int>(all);
            bool changed = true;
            while (changed)
            {
                changed = false;
                for (int b = n - 1; b >= 0; b--)
                {
                    var successors = Successors[b].Count == 0 ? new List<int> { exit } : Successors[b];
                    HashSet<int>? meet = null;
                    foreach (var s in successors)
                    {
                        if (meet is null) meet = new HashSet<int>(sets[s]);
                        else meet.IntersectWith(sets[s]);
                    }
                    meet ??= new HashSet<int>();
                    meet.Add(b);
                    if (!meet.SetEquals(sets[b]))
                    {
                        sets[b] = meet;
                        changed = true;
                    }
                }
            }
            var result = new int[n];
            for (int b = 0; b < n; b++)
            {
                // The immediate post-dominator is the strict post-dominator that all others post-dominate.
                int best = -1;
                foreach (var candidate in sets[b])
                {
                    if (candidate == b) continue;
                    bool isImmediate = true;
                    foreach (var other in sets[b])
                    {
                        if (other == b || other == candidate) continue;
                        if (!sets[candidate].Contains(other)) { isImmediate = false; break; }
                    }
                    if (isImmediate) { best = candidate; break; }
                }
                result[b] = best == exit ? -1 : best;
            }
            return result;
        }
    }
}
