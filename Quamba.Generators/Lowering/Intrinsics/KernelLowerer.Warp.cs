using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>Warp shuffles (shfl.sync) and votes (vote.sync) over the full warp.</summary>
    internal sealed partial class KernelLowerer
    {
        private Value LowerWarpCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            var args = ScalarArguments(invocation);
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as ScalarKType;
            if (args is null || resultType is null) return PoisonValue.Instance;
            ShuffleKind? shuffle = method.Name switch
            {
                "ShuffleXor" => ShuffleKind.Bfly,
                "ShuffleDown" => ShuffleKind.Down,
                "ShuffleUp" => ShuffleKind.Up,
                "Shuffle" => ShuffleKind.Idx,
                _ => null,
            };
            if (shuffle is { } kind && args.Length == 2)
            {
                var dest = _b.NewRegister(resultType.Ir);
                // c: clamp 31 (no segmenting) for bfly/down/idx, 0 for up; member mask: the full warp.
                var clamp = IrOperand.Imm(kind == ShuffleKind.Up ? 0 : 31, IrType.U32);
                _b.Emit(IrOp.Shuffle, resultType.Ir, (byte)kind, dest, _b.InRegister(args[0].Operand), args[1].Operand, clamp);
                return new ScalarValue(resultType, dest);
            }
            if (args.Length == 1 && args[0].Ir == IrType.Pred)
            {
                switch (method.Name)
                {
                    case "All":
                    case "Any":
                        {
                            var dest = _b.NewRegister(IrType.Pred);
                            _b.Emit(IrOp.Vote, IrType.Pred, (byte)(method.Name == "All" ? VoteKind.All : VoteKind.Any), dest, args[0].Operand);
                            return new ScalarValue(resultType, dest);
                        }
                    case "Ballot":
                        {
                            var dest = _b.NewRegister(IrType.U32);
                            _b.Emit(IrOp.Vote, IrType.U32, (byte)VoteKind.Ballot, dest, args[0].Operand);
                            return new ScalarValue(resultType, dest);
                        }
                }
            }
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }
    }
}
