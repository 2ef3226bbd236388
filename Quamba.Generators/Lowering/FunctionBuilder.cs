using System.Collections.Generic;
using System.Linq;
using Quamba.Generators.Common;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>Accumulates the IR of one kernel: registers, instructions (each tagged with its source), labels.</summary>
    internal sealed class FunctionBuilder
    {
        private readonly List<IrType> _registers = new();
        private readonly List<IrInstruction> _body = new();
        private int _labels;

        /// <summary>Index into the kernel's source table for the instructions emitted next.</summary>
        public int CurrentSource { get; set; } = -1;

        public int InstructionCount => _body.Count;

        public IReadOnlyList<IrInstruction> Body => _body;

        public IrOperand NewRegister(IrType type)
        {
            if (type is IrType.S8 or IrType.S16) type = IrType.S32;
            if (type is IrType.U8 or IrType.U16) type = IrType.U32;
            _registers.Add(type);
            return IrOperand.Reg(_registers.Count - 1, type);
        }

        public string NewLabel() => "$L__BB" + (_labels++);

        public void Emit(IrOp op, IrType type, IrType type2, byte variant, IrOperand[] dests, IrOperand[] sources, string? text = null) =>
            _body.Add(new IrInstruction(op, type, type2, variant, dests.ToEquatableArray(), sources.ToEquatableArray(), text, CurrentSource));

        public void Emit(IrOp op, IrType type, byte variant, IrOperand dest, params IrOperand[] sources) =>
            Emit(op, type, type, variant, dest.Kind == OperandKind.None ? System.Array.Empty<IrOperand>() : new[] { dest }, sources);

        public void Mov(IrOperand dest, IrOperand source)
        {
            if (dest.IsRegister && source.IsRegister && dest.Register == source.Register) return;
            Emit(IrOp.Mov, dest.Type, 0, dest, source);
        }

        /// <summary>Immediates are fine in most source positions, but not all (cvt, setp's first operand...).</summary>
        public IrOperand InRegister(IrOperand operand)
        {
            if (operand.IsRegister) return operand;
            var register = NewRegister(operand.Type);
            Mov(register, operand);
            return register;
        }

        public IrOperand Binary(BinaryKind kind, IrType type, IrOperand a, IrOperand b, IrType? resultType = null)
        {
            var dest = NewRegister(resultType ?? type);
            Emit(IrOp.Binary, type, (byte)kind, dest, InRegister(a), b);
            return dest;
        }

        public IrOperand Unary(UnaryKind kind, IrType type, IrOperand a)
        {
            var dest = NewRegister(type);
            Emit(IrOp.Unary, type, (byte)kind, dest, InRegister(a));
            return dest;
        }

        public IrOperand Setp(CompareKind kind, IrType type, IrOperand a, IrOperand b)
        {
            var dest = NewRegister(IrType.Pred);
            Emit(IrOp.Setp, type, (byte)kind, dest, InRegister(a), b);
            return dest;
        }

        public IrOperand Selp(IrType type, IrOperand ifTrue, IrOperand ifFalse, IrOperand predicate)
        {
            var dest = NewRegister(type);
            Emit(IrOp.Selp, type, 0, dest, ifTrue, ifFalse, predicate);
            return dest;
        }

        public IrOperand Cvt(IrType to, IrType from, RoundingKind rounding, IrOperand source)
        {
            var dest = NewRegister(to);
            Emit(IrOp.Cvt, to, from, (byte)rounding, new[] { dest }, new[] { InRegister(source) });
            return dest;
        }

        public IrOperand Fma(IrType type, IrOperand a, IrOperand b, IrOperand c)
        {
            var dest = NewRegister(type);
            Emit(IrOp.Fma, type, 0, dest, InRegister(a), b, c);
            return dest;
        }

        public void Label(string label) =>
            Emit(IrOp.Label, IrType.Pred, IrType.Pred, 0, System.Array.Empty<IrOperand>(), System.Array.Empty<IrOperand>(), label);

        public void Branch(string label, IrOperand? predicate = null, bool negated = false) =>
            Emit(IrOp.Branch, IrType.Pred, IrType.Pred, negated ? (byte)1 : (byte)0, System.Array.Empty<IrOperand>(),
                predicate is { } p ? new[] { p } : System.Array.Empty<IrOperand>(), label);

        public IrFunction Build(string entryPoint, IReadOnlyList<IrParameter> parameters, IReadOnlyList<IrArray> shared,
            IReadOnlyList<IrArray> locals, bool usesDynamicShared, IReadOnlyList<SourceLine> sources)
        {
            // Drop labels nobody branches to, and branches to the label that immediately follows them.
            var body = new List<IrInstruction>(_body.Count);
            for (int i = 0; i < _body.Count; i++)
            {
                var instruction = _body[i];
                // "@p bra L1; bra L2; L1:" becomes "@!p bra L2; L1:".
                if (instruction.Op == IrOp.Branch && instruction.Sources.Count == 1 && i + 2 < _body.Count
                    && _body[i + 1].Op == IrOp.Branch && _body[i + 1].Sources.Count == 0 && NextLabelIs(i + 2, instruction.Text!))
                {
                    body.Add(instruction with { Text = _body[i + 1].Text, Variant = (byte)(instruction.Variant ^ 1) });
                    i++;
                    continue;
                }
                if (instruction.Op == IrOp.Branch && instruction.Sources.Count == 0 && NextLabelIs(i + 1, instruction.Text!)) continue;
                body.Add(instruction);
            }
            var targets = new HashSet<string>(body.Where(x => x.Op == IrOp.Branch).Select(x => x.Text!));
            body.RemoveAll(x => x.Op == IrOp.Label && !targets.Contains(x.Text!));

            return new IrFunction(entryPoint, parameters.ToEquatableArray(), _registers.ToEquatableArray(), body.ToEquatableArray(),
                shared.ToEquatableArray(), locals.ToEquatableArray(), usesDynamicShared, sources.ToEquatableArray());
        }

        private bool NextLabelIs(int index, string label)
        {
            for (int j = index; j < _body.Count && _body[j].Op == IrOp.Label; j++)
            {
                if (_body[j].Text == label) return true;
            }
            return false;
        }
    }
}
