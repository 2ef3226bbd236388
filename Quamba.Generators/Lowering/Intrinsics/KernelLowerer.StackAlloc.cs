using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>stackalloc T[constant]: a .local array.</summary>
    internal sealed partial class KernelLowerer
    {
        private Value LowerStackAlloc(IOperation operation)
        {
            var syntax = (StackAllocArrayCreationExpressionSyntax)operation.Syntax;
            var spanType = TypeOf(operation.Type, operation.Syntax) as SpanKType;
            if (syntax.Initializer is not null)
            {
                ReportUnsupported(operation, "A stackalloc initializer", ": assign the elements after allocating");
                return PoisonValue.Instance;
            }
            var size = operation.ChildOperations.FirstOrDefault();
            if (size is null || !TryConstant(size, out var count) || count is not int and not long)
            {
                Report(DiagnosticDescriptors.ArgumentMustBeConstant, size?.Syntax ?? operation.Syntax, "The stackalloc length");
                return PoisonValue.Instance;
            }
            if (spanType is null) return PoisonValue.Instance;
            int elementSize = KernelTypeMapper.SizeOf(spanType.Element);
            long bytes = ConstantFolder.ToLong(count) * elementSize;
            if (bytes <= 0 || bytes > 64 * 1024)
            {
                ReportUnsupported(operation, "A stackalloc of " + bytes + " bytes", ": a local array must hold between 1 byte and 64 KB");
                return PoisonValue.Instance;
            }
            var name = "__local_" + _localArrays.Count;
            _localArrays.Add(new IrArray(name, 16, (int)bytes, SourceOf(operation.Syntax)));
            var pointer = _b.NewRegister(IrType.U64);
            _b.Mov(pointer, IrOperand.Symbol(name));
            return new SpanValue(spanType, pointer, IrOperand.Imm(ConstantFolder.ToLong(count), IrType.S32), MemorySpace.Local);
        }
    }
}
