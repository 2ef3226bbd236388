using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>SharedMemory.Allocate (a static .shared array per call site) and SharedMemory.Dynamic (extern .shared).</summary>
    internal sealed partial class KernelLowerer
    {
        private Value LowerSharedMemoryCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            var spanType = TypeOf(invocation.Type, invocation.Syntax) as SpanKType;
            if (spanType is null) return PoisonValue.Instance;
            int elementSize = KernelTypeMapper.SizeOf(spanType.Element);
            switch (method.Name)
            {
                case "Allocate" when invocation.Arguments.Length == 1:
                    {
                        var lengthArgument = invocation.Arguments[0].Value;
                        if (!TryConstant(lengthArgument, out var lengthValue) || lengthValue is not int length)
                        {
                            Report(DiagnosticDescriptors.ArgumentMustBeConstant, lengthArgument.Syntax, "The length passed to SharedMemory.Allocate");
                            return PoisonValue.Instance;
                        }
                        if (length <= 0)
                        {
                            ReportUnsupported(lengthArgument, "A shared array of length " + length, ": the length must be positive");
                            return PoisonValue.Instance;
                        }
                        if (_blockInLoop)
                        {
                            Report(DiagnosticDescriptors.SharedAllocationInLoop, invocation.Syntax);
                            return PoisonValue.Instance;
                        }
                        var name = "__shared_" + _sharedArrays.Count;
                        _sharedArrays.Add(new IrArray(name, 16, (int)System.Math.Min(int.MaxValue, (long)length * elementSize), SourceOf(invocation.Syntax)));
                        var pointer = _b.NewRegister(IrType.U64);
                        _b.Mov(pointer, IrOperand.Symbol(name));
                        return new SpanValue(spanType, pointer, IrOperand.Imm(length, IrType.S32), MemorySpace.Shared);
                    }
                case "Dynamic" when invocation.Arguments.Length == 0:
                    {
                        _usesDynamicShared = true;
                        var pointer = _b.NewRegister(IrType.U64);
                        _b.Mov(pointer, IrOperand.Symbol(Ptx.PtxNames.DynamicShared));
                        // The element count follows from the launch's dynamic shared size.
                        var bytes = SpecialRegister("%dynamic_smem_size");
                        var length = _b.Binary(BinaryKind.Div, IrType.U32, bytes, IrOperand.Imm(elementSize, IrType.U32), IrType.S32);
                        return new SpanValue(spanType, pointer, length, MemorySpace.Shared);
                    }
            }
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }

        private Value LowerInlinePtxCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            if (invocation.Arguments.Length == 0) return PoisonValue.Instance;
            var templateArgument = invocation.Arguments[0].Value;
            if (!TryConstant(templateArgument, out var templateValue) || templateValue is not string template)
            {
                Report(DiagnosticDescriptors.ArgumentMustBeConstant, templateArgument.Syntax, "The inline PTX template");
                return PoisonValue.Instance;
            }
            var operands = new IrOperand[invocation.Arguments.Length - 1];
            for (int i = 1; i < invocation.Arguments.Length; i++)
            {
                var value = Lower(invocation.Arguments[i].Value);
                if (value is not ScalarValue scalar) return PoisonValue.Instance;
                operands[i - 1] = _b.InRegister(scalar.Operand);
            }
            if (method.Name == "Emit")
            {
                if (template.IndexOf('{') >= 0)
                {
                    ReportUnsupported(invocation, "A placeholder in InlinePtx.Emit", ": use InlinePtx.U32 or InlinePtx.F32 to bind registers");
                    return PoisonValue.Instance;
                }
                _b.Emit(IrOp.InlinePtx, IrType.Pred, IrType.Pred, 0, System.Array.Empty<IrOperand>(), operands, template);
                return NoValue.Instance;
            }
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as ScalarKType;
            if (resultType is null) return PoisonValue.Instance;
            var dest = _b.NewRegister(resultType.Ir);
            _b.Emit(IrOp.InlinePtx, resultType.Ir, resultType.Ir, 0, new[] { dest }, operands, template);
            return new ScalarValue(resultType, dest);
        }
    }
}
