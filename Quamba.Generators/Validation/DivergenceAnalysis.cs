using System.Collections.Generic;
using System.Linq;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Validation
{
    /// <summary>
    /// Finds barriers and warp collectives that only some threads reach: a taint analysis marks values that
    /// vary across threads (thread index, lane id, and what is computed from them or assigned under such a
    /// condition), then every block control-dependent on a branch over such a value is divergent.
    /// Values that vary only between warps (threadIdx.x / 32, threadIdx.x &lt; 64) are "warp-uniform": fine for
    /// warp collectives, not for block barriers. It assumes blockDim.x is a multiple of 32.
    /// </summary>
    internal static class DivergenceAnalysis
    {
        private enum Level : byte { Uniform, WarpUniform, Divergent }

        public static IEnumerable<BackendDiagnostic> Analyze(IrFunction function)
        {
            var body = function.Body;
            if (!body.Any(i => i.Op is IrOp.BarrierSync or IrOp.WarpSync or IrOp.Shuffle or IrOp.Vote)) yield break;

            var cfg = new IrControlFlow(body.AsImmutableArray());
            var registers = new Level[function.Registers.Count];
            var isThreadX = new bool[function.Registers.Count];
            var blockLevel = new Level[cfg.Count];

            bool changed = true;
            int rounds = 0;
            while (changed && rounds++ < 50)
            {
                changed = false;
                for (int index = 0; index < body.Count; index++)
                {
                    var instruction = body[index];
                    if (instruction.Dests.Count == 0) continue;
                    var level = Max(ValueLevel(instruction, registers, isThreadX), blockLevel[cfg.BlockOf[index]]);
                    foreach (var dest in instruction.Dests)
                    {
                        if (instruction.Op == IrOp.SpecialRegister && instruction.Text == "%tid.x") isThreadX[dest.Register] = true;
                        else if (instruction.Op == IrOp.Mov && instruction.Sources[0].IsRegister && isThreadX[instruction.Sources[0].Register]) isThreadX[dest.Register] = true;
                        if (level > registers[dest.Register])
                        {
                            registers[dest.Register] = level;
                            changed = true;
                        }
                    }
                }
                // Control dependence: blocks between a divergent branch and its post-dominator.
                for (int b = 0; b < cfg.Count; b++)
                {
                    var last = body[cfg.Ends[b] - 1];
                    if (last.Op != IrOp.Branch || last.Sources.Count != 1) continue;
                    var level = registers[last.Sources[0].Register];
                    if (level == Level.Uniform) continue;
                    foreach (var dependent in ControlDependents(cfg, b))
                    {
                        if (level > blockLevel[dependent])
                        {
                            blockLevel[dependent] = level;
                            changed = true;
                        }
                    }
                }
            }

            var reported = new HashSet<int>();
            for (int index = 0; index < body.Count; index++)
            {
                var instruction = body[index];
                var level = blockLevel[cfg.BlockOf[index]];
                bool isBarrier = instruction.Op == IrOp.BarrierSync;
                bool isWarpCollective = instruction.Op is IrOp.WarpSync or IrOp.Shuffle or IrOp.Vote;
                if (isBarrier && level != Level.Uniform || isWarpCollective && level == Level.Divergent)
                {
                    if (!reported.Add(instruction.Source)) continue;
                    string what = instruction.Op switch
                    {
                        IrOp.BarrierSync => "Gpu.SyncThreads()",
                        IrOp.WarpSync => "Gpu.SyncWarp()",
                        IrOp.Shuffle => "This warp shuffle",
                        _ => "This warp vote",
                    };
                    yield return BackendDiagnostic.Create(DiagnosticDescriptors.DivergentCollective, instruction.Source,
                        what, isBarrier ? "a barrier" : "a warp collective", isBarrier ? "block" : "warp");
                }
            }
        }

        private static Level Max(Level a, Level b) => a > b ? a : b;

        private static Level ValueLevel(IrInstruction instruction, Level[] registers, bool[] isThreadX)
        {
            switch (instruction.Op)
            {
                case IrOp.SpecialRegister:
                    return instruction.Text is "%tid.x" or "%tid.y" or "%tid.z" or "%laneid" ? Level.Divergent : Level.Uniform;
                case IrOp.Atomic:
                    return Level.Divergent;
                case IrOp.Shuffle:
                    return Level.Divergent;
                case IrOp.Vote:
                    return Level.WarpUniform;
                case IrOp.LoadParam:
                    return Level.Uniform;
            }
            var level = Level.Uniform;
            foreach (var source in instruction.Sources)
            {
                if (source.Kind is OperandKind.Register or OperandKind.Address && source.Register >= 0) level = Max(level, registers[source.Register]);
            }
            if (level != Level.Divergent) return level;

            // threadIdx.x / 32, threadIdx.x >> 5, threadIdx.x < 64: the same for every lane of a warp.
            var sources = instruction.Sources;
            if (instruction.Op == IrOp.Binary && sources.Count == 2 && sources[1].IsImmediate && sources[0].IsRegister && isThreadX[sources[0].Register])
            {
                var kind = (BinaryKind)instruction.Variant;
                long constant = sources[1].Bits;
                if (kind == BinaryKind.Shr && constant >= 5 || kind == BinaryKind.Div && constant > 0 && constant % 32 == 0) return Level.WarpUniform;
            }
            if (instruction.Op == IrOp.Setp && sources.Count == 2 && sources[1].IsImmediate && sources[0].IsRegister && isThreadX[sources[0].Register]
                && sources[1].Bits % 32 == 0 && (CompareKind)instruction.Variant is CompareKind.Lt or CompareKind.Ge)
            {
                return Level.WarpUniform;
            }
            return level;
        }

        /// <summary>Blocks reachable from the branch's successors without passing its immediate post-dominator.</summary>
        private static IEnumerable<int> ControlDependents(IrControlFlow cfg, int branchBlock)
        {
            int stop = cfg.ImmediatePostDominator[branchBlock];
            var seen = new HashSet<int>();
            var work = new Stack<int>(cfg.Successors[branchBlock]);
            while (work.Count > 0)
            {
                int b = work.Pop();
                if (b == stop || !seen.Add(b)) continue;
                foreach (var s in cfg.Successors[b]) work.Push(s);
            }
            return seen;
        }
    }
}
