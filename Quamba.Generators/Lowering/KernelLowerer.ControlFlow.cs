using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    internal sealed partial class KernelLowerer
    {
        /// <summary>
        /// Lowers a method body through its control-flow graph: each reachable basic block becomes a label,
        /// its operations, and a branch. Loops, &amp;&amp;, ||, ?: and switch arrive here already as branches.
        /// </summary>
        private void LowerBody(IOperation body, bool isKernel)
        {
            PreValidate(body);

            ControlFlowGraph cfg;
            switch (body)
            {
                case IMethodBodyOperation m: cfg = ControlFlowGraph.Create(m, _cancellationToken); break;
                case IConstructorBodyOperation c: cfg = ControlFlowGraph.Create(c, _cancellationToken); break;
                case IBlockOperation b when b.Parent is null: cfg = ControlFlowGraph.Create(b, _cancellationToken); break;
                default:
                    ReportUnsupported(body, "This method body");
                    return;
            }

            var blocks = cfg.Blocks;
            var definitions = new Dictionary<CaptureId, int>();
            foreach (var block in blocks)
            {
                var roots = block.BranchValue is null ? block.Operations : block.Operations.Add(block.BranchValue);
                foreach (var operation in roots.SelectMany(r => r.DescendantsAndSelf()))
                {
                    if (operation is IFlowCaptureReferenceOperation reference && IsLvalueUse(reference)) _frame.LvalueCaptures.Add(reference.Id);
                    if (operation is IFlowCaptureOperation capture) definitions[capture.Id] = definitions.TryGetValue(capture.Id, out int n) ? n + 1 : 1;
                }
            }
            // A capture written in several blocks merges values (the result of ?:), which is never a location.
            _frame.LvalueCaptures.RemoveWhere(id => definitions.TryGetValue(id, out int n) && n > 1);
            var reachable = FindReachable(cfg);
            var inCycle = FindBlocksInCycles(cfg);
            var labels = blocks.Select(_ => _b.NewLabel()).ToArray();
            bool outerBlockInLoop = _blockInLoop;

            for (int i = 0; i < blocks.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var block = blocks[i];
                if (!reachable[i]) continue;
                _blockInLoop = _frameInLoop || inCycle[i];
                _b.Label(labels[i]);
                if (block.Kind == BasicBlockKind.Exit)
                {
                    if (isKernel) _b.Emit(IrOp.Return, IrType.Pred, 0, IrOperand.None);
                    continue;
                }
                foreach (var operation in block.Operations) LowerStatement(operation);
                LowerTerminator(block, labels);
            }
            _blockInLoop = outerBlockInLoop;
        }

        /// <summary>True while lowering a block that can execute more than once (inside a loop, here or at a call site).</summary>
        private bool _blockInLoop;
        private bool _frameInLoop;

        /// <summary>Blocks that lie on a cycle of the graph: those a loop may execute repeatedly.</summary>
        private static bool[] FindBlocksInCycles(ControlFlowGraph cfg)
        {
            var blocks = cfg.Blocks;
            var result = new bool[blocks.Length];
            foreach (var start in blocks)
            {
                // A block is on a cycle if it can reach itself.
                var seen = new bool[blocks.Length];
                var work = new Stack<BasicBlock>();
                foreach (var next in new[] { start.ConditionalSuccessor?.Destination, start.FallThroughSuccessor?.Destination })
                {
                    if (next is not null) work.Push(next);
                }
                while (work.Count > 0)
                {
                    var block = work.Pop();
                    if (block.Ordinal == start.Ordinal)
                    {
                        result[start.Ordinal] = true;
                        break;
                    }
                    if (seen[block.Ordinal]) continue;
                    seen[block.Ordinal] = true;
                    if (block.ConditionalSuccessor?.Destination is { } c) work.Push(c);
                    if (block.FallThroughSuccessor?.Destination is { } f) work.Push(f);
                }
            }
            return result;
        }

        /// <summary>Reports constructs that the control-flow graph would lower into something unrecognisable.</summary>
        private void PreValidate(IOperation body)
        {
            foreach (var operation in body.Descendants())
            {
                string? what = operation switch
                {
                    IAnonymousFunctionOperation => "A lambda or anonymous method",
                    IDelegateCreationOperation { Target: not IAnonymousFunctionOperation } => "A delegate",
                    ILocalFunctionOperation => "A local function",
                    IForEachLoopOperation => "foreach",
                    ITryOperation => "try/catch/finally",
                    IThrowOperation => "throw",
                    ILockOperation => "lock",
                    IUsingOperation or IUsingDeclarationOperation => "using",
                    IAwaitOperation => "await",
                    _ => null,
                };
                if (what is null) continue;
                string hint = operation switch
                {
                    IForEachLoopOperation => ": use a for loop over the span's indices",
                    IThrowOperation => ": a GPU thread cannot throw; write an error flag to a span instead",
                    ILocalFunctionOperation => ": make it a static method of the class",
                    _ => "",
                };
                ReportUnsupported(operation, what, hint);
                _suppressedSpans.Add(operation.Syntax.Span);
            }
        }

        private bool[] FindReachable(ControlFlowGraph cfg)
        {
            var reachable = new bool[cfg.Blocks.Length];
            var work = new Stack<BasicBlock>();
            work.Push(cfg.Blocks[0]);
            while (work.Count > 0)
            {
                var block = work.Pop();
                if (reachable[block.Ordinal]) continue;
                reachable[block.Ordinal] = true;
                foreach (var next in Successors(block))
                {
                    if (next is not null && !reachable[next.Ordinal]) work.Push(next);
                }
            }
            return reachable;
        }

        private IEnumerable<BasicBlock?> Successors(BasicBlock block)
        {
            if (block.BranchValue is { } condition && block.ConditionKind != ControlFlowConditionKind.None)
            {
                if (TryConstantCondition(condition, out bool value))
                {
                    bool jumps = value == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
                    yield return jumps ? block.ConditionalSuccessor?.Destination : block.FallThroughSuccessor?.Destination;
                    yield break;
                }
                yield return block.ConditionalSuccessor?.Destination;
            }
            yield return block.FallThroughSuccessor?.Destination;
        }

        private bool TryConstantCondition(IOperation condition, out bool value)
        {
            value = false;
            if (condition is IIsPatternOperation { Pattern: IDiscardPatternOperation })
            {
                value = true;
                return true;
            }
            if (TryConstant(condition, out var constant) && constant is bool b)
            {
                value = b;
                return true;
            }
            return false;
        }

        private void LowerTerminator(BasicBlock block, string[] labels)
        {
            var fallThrough = block.FallThroughSuccessor;
            if (block.BranchValue is { } branchValue)
            {
                if (block.ConditionKind != ControlFlowConditionKind.None)
                {
                    _b.CurrentSource = SourceOf(branchValue.Syntax);
                    if (TryConstantCondition(branchValue, out bool constant))
                    {
                        bool jumps = constant == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
                        Jump(jumps ? block.ConditionalSuccessor : fallThrough, labels, branchValue);
                        return;
                    }
                    var predicate = LowerPredicate(branchValue);
                    if (predicate is { } p && block.ConditionalSuccessor?.Destination is { } target)
                    {
                        _b.Branch(labels[target.Ordinal], p, negated: block.ConditionKind == ControlFlowConditionKind.WhenFalse);
                    }
                }
                else if (fallThrough?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
                {
                    // Reported by PreValidate (throw statement) or here (a switch expression without a discard arm).
                    ReportUnsupported(branchValue, "An exception (a switch expression that can fail to match)", ": add a discard arm `_ => ...`");
                    return;
                }
                else
                {
                    _b.CurrentSource = SourceOf(branchValue.Syntax);
                    var value = Lower(branchValue);
                    if (_frame.ReturnSlot is { } slot) Write(slot, value, branchValue);
                }
            }
            Jump(fallThrough, labels, block.BranchValue);
        }

        private void Jump(ControlFlowBranch? branch, string[] labels, IOperation? at)
        {
            if (branch is null) return;
            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Regular:
                case ControlFlowBranchSemantics.Return:
                    if (branch.Destination is { } destination) _b.Branch(labels[destination.Ordinal]);
                    break;
                case ControlFlowBranchSemantics.None:
                    break;
                case ControlFlowBranchSemantics.Throw:
                case ControlFlowBranchSemantics.Rethrow:
                    if (at is not null) ReportUnsupported(at, "throw");
                    break;
                default:
                    if (at is not null) ReportUnsupported(at, "Control flow of kind " + branch.Semantics);
                    break;
            }
        }

        /// <summary>Lowers a statement-level operation of a basic block; its value, if any, is discarded.</summary>
        private void LowerStatement(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _b.CurrentSource = SourceOf(operation.Syntax);
            Lower(operation);
        }

        /// <summary>Lowers a bool-valued operation to a predicate register (null after an error).</summary>
        private IrOperand? LowerPredicate(IOperation operation)
        {
            var value = Lower(operation);
            if (value is ScalarValue { Ir: IrType.Pred } scalar) return scalar.Operand;
            if (value is not PoisonValue) ReportUnsupported(operation, "A non-bool condition");
            return null;
        }
    }
}
