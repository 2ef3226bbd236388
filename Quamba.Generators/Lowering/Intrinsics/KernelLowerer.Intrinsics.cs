using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

using Quamba.Generators.Common;

namespace Quamba.Generators.Lowering
{
    /// <summary>Recognises intrinsic calls by symbol and dispatches them to their family.</summary>
    internal sealed partial class KernelLowerer
    {
        private bool TryLowerIntrinsic(IInvocationOperation invocation, IMethodSymbol method, out Value result)
        {
            result = PoisonValue.Instance;
            var type = method.ContainingType;
            if (KnownSymbols.Is(type, _known.Gpu)) result = LowerGpuCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.Warp)) result = LowerWarpCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.Atomic)) result = LowerAtomicCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.DeviceMath)) result = LowerDeviceMathCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.SharedMemory)) result = LowerSharedMemoryCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.InlinePtx)) result = LowerInlinePtxCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.Math) || KnownSymbols.Is(type, _known.MathF)) result = LowerMathCall(invocation, method);
            else if (KnownSymbols.Is(type, _known.BitConverter) || KnownSymbols.Is(type, _known.BitOperations)) result = LowerBitsCall(invocation, method);
            else if (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double && method.Name == "IsNaN") result = LowerIsNaN(invocation);
            else if (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double && method.Name is "MinNumber" or "MaxNumber")
                result = LowerMinMaxNumber(invocation, method.Name == "MinNumber" ? BinaryKind.Min : BinaryKind.Max);
            else if (IsSpanType(type)) result = LowerSpanMethod(invocation, method);
            else return false;
            return true;
        }

        private bool TryLowerIntrinsicProperty(IPropertyReferenceOperation reference, out Value result)
        {
            result = PoisonValue.Instance;
            var property = reference.Property;
            var type = property.ContainingType;
            if (KnownSymbols.Is(type, _known.Gpu))
            {
                string? register = property.Name switch
                {
                    "ThreadIdxX" => "%tid.x",
                    "ThreadIdxY" => "%tid.y",
                    "ThreadIdxZ" => "%tid.z",
                    "BlockIdxX" => "%ctaid.x",
                    "BlockIdxY" => "%ctaid.y",
                    "BlockIdxZ" => "%ctaid.z",
                    "BlockDimX" => "%ntid.x",
                    "BlockDimY" => "%ntid.y",
                    "BlockDimZ" => "%ntid.z",
                    "GridDimX" => "%nctaid.x",
                    "GridDimY" => "%nctaid.y",
                    "GridDimZ" => "%nctaid.z",
                    "LaneId" => "%laneid",
                    _ => null,
                };
                if (register is null)
                {
                    Report(DiagnosticDescriptors.NoDeviceImplementation, reference.Syntax, property.ToDisplayString());
                    return true;
                }
                result = new ScalarValue(ScalarType(SpecialType.System_Int32), SpecialRegister(register));
                return true;
            }
            if (IsSpanType(type) && property.Name == "Length" && reference.Instance is not null)
            {
                var span = Lower(reference.Instance);
                result = span is SpanValue s ? new ScalarValue(ScalarType(SpecialType.System_Int32), s.Length) : PoisonValue.Instance;
                return true;
            }
            if (KnownSymbols.Is(type, _known.BFloat16) && property.Name == "Bits" && reference.Instance is not null)
            {
                var value = Lower(reference.Instance);
                if (value is ScalarValue v)
                {
                    result = new ScalarValue(ScalarType(SpecialType.System_UInt16), _b.Cvt(IrType.U32, IrType.U16, RoundingKind.None, v.Operand));
                }
                return true;
            }
            if (KnownSymbols.Is(type, _known.Half) || KnownSymbols.Is(type, _known.BFloat16))
            {
                Report(DiagnosticDescriptors.NoDeviceImplementation, reference.Syntax, property.ToDisplayString());
                return true;
            }
            return false;
        }

        private IrOperand SpecialRegister(string name)
        {
            var dest = _b.NewRegister(IrType.S32);
            _b.Emit(IrOp.SpecialRegister, IrType.U32, IrType.U32, 0, new[] { dest }, System.Array.Empty<IrOperand>(), name);
            return dest;
        }

        /// <summary>Lowers the call's arguments as scalars; null if any is not (errors already reported).</summary>
        private ScalarValue[]? ScalarArguments(IInvocationOperation invocation)
        {
            var values = LowerArguments(invocation.Arguments);
            if (values.Any(v => v is not ScalarValue)) return null;
            return values.Cast<ScalarValue>().ToArray();
        }

        private Value LowerGpuCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            switch (method.Name)
            {
                case "SyncThreads":
                    _b.Emit(IrOp.BarrierSync, IrType.Pred, 0, IrOperand.None);
                    return NoValue.Instance;
                case "SyncWarp":
                    _b.Emit(IrOp.WarpSync, IrType.Pred, 0, IrOperand.None);
                    return NoValue.Instance;
            }
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }

        /// <summary>
        /// float.MinNumber / MaxNumber: PTX min / max exactly (a NaN operand gives the other one), one instruction where
        /// Math.Min / Max need a NaN test to propagate NaN as .NET does.
        /// </summary>
        private Value LowerMinMaxNumber(IInvocationOperation invocation, BinaryKind kind)
        {
            var args = ScalarArguments(invocation);
            if (args is null || args.Length != 2) return PoisonValue.Instance;
            return new ScalarValue(args[0].Type, _b.Binary(kind, args[0].Ir, args[0].Operand, args[1].Operand));
        }

        private Value LowerIsNaN(IInvocationOperation invocation)
        {
            var args = ScalarArguments(invocation);
            if (args is null || args.Length != 1) return PoisonValue.Instance;
            return Bool(_b.Setp(CompareKind.Nan, args[0].Ir, args[0].Operand, args[0].Operand));
        }

        private Value LowerSpanMethod(IInvocationOperation invocation, IMethodSymbol method)
        {
            var instance = invocation.Instance is null ? PoisonValue.Instance : Lower(invocation.Instance);
            if (instance is not SpanValue span) return PoisonValue.Instance;
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as SpanKType;
            switch (method.Name)
            {
                case "AsReadOnly" when resultType is not null:
                    return new SpanValue(resultType, span.Pointer, span.Length, span.Space);
                case "Slice" when resultType is not null:
                    {
                        var args = ScalarArguments(invocation);
                        if (args is null) return PoisonValue.Instance;
                        int size = KernelTypeMapper.SizeOf(span.Type.Element);
                        var start = args[0].Operand;
                        IrOperand pointer;
                        if (start.IsImmediate)
                        {
                            pointer = _b.Binary(BinaryKind.Add, IrType.S64, span.Pointer, IrOperand.Imm(start.SignedValue * size, IrType.S64), IrType.U64);
                        }
                        else
                        {
                            var offset = _b.NewRegister(IrType.S64);
                            _b.Emit(IrOp.Binary, IrType.S32, (byte)BinaryKind.MulWide, offset, start, IrOperand.Imm(size, IrType.S32));
                            pointer = _b.Binary(BinaryKind.Add, IrType.S64, span.Pointer, offset, IrType.U64);
                        }
                        var length = args.Length > 1 ? args[1].Operand : _b.Binary(BinaryKind.Sub, IrType.S32, span.Length, start);
                        return new SpanValue(resultType, pointer, length, span.Space);
                    }
                case "Cast" when resultType is not null:
                    return new SpanValue(resultType, span.Pointer, CastLength(span, resultType), span.Space);
            }
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }

        /// <summary>
        /// A cast span's length, <c>length * sizeof(T) / sizeof(TTo)</c> rounded down: shifts when both sizes are powers of
        /// two (an unused length is then dead code), else a multiply and a division.
        /// </summary>
        private IrOperand CastLength(SpanValue span, SpanKType to)
        {
            int from = KernelTypeMapper.SizeOf(span.Type.Element), size = KernelTypeMapper.SizeOf(to.Element);
            if (from == size) return span.Length;
            if (Bits.IsPowerOfTwo(from) && Bits.IsPowerOfTwo(size))
            {
                int shift = Bits.Log2(size) - Bits.Log2(from);
                return shift > 0
                    ? _b.Binary(BinaryKind.Shr, IrType.S32, span.Length, IrOperand.Imm(shift, IrType.S32))
                    : _b.Binary(BinaryKind.Shl, IrType.S32, span.Length, IrOperand.Imm(-shift, IrType.S32));
            }
            var bytes = _b.Binary(BinaryKind.Mul, IrType.S32, span.Length, IrOperand.Imm(from, IrType.S32));
            return _b.Binary(BinaryKind.Div, IrType.S32, bytes, IrOperand.Imm(size, IrType.S32));
        }

        private Value LowerBitsCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            var args = ScalarArguments(invocation);
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as ScalarKType;
            if (args is null || args.Length != 1 || resultType is null) return PoisonValue.Instance;
            var x = args[0];
            switch (method.Name)
            {
                case "SingleToInt32Bits":
                case "SingleToUInt32Bits":
                case "Int32BitsToSingle":
                case "UInt32BitsToSingle":
                case "DoubleToInt64Bits":
                case "DoubleToUInt64Bits":
                case "Int64BitsToDouble":
                case "UInt64BitsToDouble":
                    {
                        // A reinterpretation: mov.b32 / mov.b64 between register classes.
                        var dest = _b.NewRegister(resultType.Ir);
                        _b.Mov(dest, _b.InRegister(x.Operand));
                        return new ScalarValue(resultType, dest);
                    }
                case "PopCount" when x.Ir is IrType.U32 or IrType.U64:
                    {
                        var dest = _b.NewRegister(IrType.S32);
                        _b.Emit(IrOp.Unary, x.Ir, (byte)UnaryKind.Popc, dest, _b.InRegister(x.Operand));
                        return new ScalarValue(resultType, dest);
                    }
                case "LeadingZeroCount" when x.Ir is IrType.U32 or IrType.U64:
                    {
                        var dest = _b.NewRegister(IrType.S32);
                        _b.Emit(IrOp.Unary, x.Ir, (byte)UnaryKind.Clz, dest, _b.InRegister(x.Operand));
                        return new ScalarValue(resultType, dest);
                    }
            }
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }
    }
}
