using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>Atomics on span elements in global or shared memory, through generic addresses (atom.*).</summary>
    internal sealed partial class KernelLowerer
    {
        private Value LowerAtomicCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            var arguments = LowerArguments(invocation.Arguments);
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as ScalarKType;
            if (arguments.Length < 2 || resultType is null) return PoisonValue.Instance;
            if (arguments[0] is not MemoryPlace place || place.Space is MemorySpace.Local or MemorySpace.GlobalReadOnly)
            {
                if (arguments[0] is not PoisonPlace)
                {
                    ReportUnsupported(invocation.Arguments[0], "An atomic on this location", ": the target must be an element of a DeviceSpan or of shared memory, e.g. ref output[i]");
                }
                return PoisonValue.Instance;
            }
            var operands = new IrOperand[arguments.Length];
            for (int i = 1; i < arguments.Length; i++)
            {
                if (arguments[i] is not ScalarValue scalar) return PoisonValue.Instance;
                operands[i] = scalar.Operand;
            }
            AtomicKind? kind = method.Name switch
            {
                "Add" => AtomicKind.Add,
                "Max" => AtomicKind.Max,
                "Min" => AtomicKind.Min,
                "Exchange" => AtomicKind.Exch,
                "CompareExchange" => AtomicKind.Cas,
                "And" => AtomicKind.And,
                "Or" => AtomicKind.Or,
                _ => null,
            };
            if (kind is null)
            {
                Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
                return PoisonValue.Instance;
            }
            operands[0] = IrOperand.AddressOf(GenericAddress(place).Register, 0);
            var dest = _b.NewRegister(resultType.Ir);
            _b.Emit(IrOp.Atomic, resultType.Ir, resultType.Ir, (byte)kind.Value, new[] { dest }, operands);
            return new ScalarValue(resultType, dest);
        }

        /// <summary>The generic address of a global or shared location (cvta), as atom without a state space expects.</summary>
        private IrOperand GenericAddress(MemoryPlace place)
        {
            var address = place.Offset == 0
                ? place.Address
                : _b.Binary(BinaryKind.Add, IrType.S64, place.Address, IrOperand.Imm(place.Offset, IrType.S64), IrType.U64);
            var generic = _b.NewRegister(IrType.U64);
            var kind = place.Space == MemorySpace.Shared ? CvtaKind.SharedToGeneric : CvtaKind.GlobalToGeneric;
            _b.Emit(IrOp.Cvta, IrType.U64, (byte)kind, generic, _b.InRegister(address));
            return generic;
        }
    }
}
