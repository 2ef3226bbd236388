using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// Conversions with C# semantics: sign/zero extension, wrap-around narrowing, truncating and saturating
    /// float-to-int (cvt.rzi, NaN -> 0, as .NET 9+ does), Half and BFloat16.
    /// </summary>
    internal sealed partial class KernelLowerer
    {
        private Value LowerConversion(IConversionOperation conversion)
        {
            var operand = Lower(conversion.Operand);
            // Conversions that may need a newer architecture (float -> bf16) are located precisely for QK0008.
            int previousSource = _b.CurrentSource;
            if (conversion.Conversion.IsUserDefined) _b.CurrentSource = SourceOf(conversion.Syntax);
            try
            {
                return LowerConversionOf(conversion, operand);
            }
            finally
            {
                _b.CurrentSource = previousSource;
            }
        }

        private Value LowerConversionOf(IConversionOperation conversion, Value operand)
        {
            if (operand is PoisonValue) return operand;
            if (conversion.IsChecked && conversion.Conversion.IsNumeric)
            {
                ReportUnsupported(conversion, "A checked conversion", ": kernels convert unchecked like the GPU");
                return PoisonValue.Instance;
            }
            var target = TypeOf(conversion.Type, conversion.Syntax);
            if (target is null) return PoisonValue.Instance;
            if (conversion.IsImplicit && target is ScalarKType { Ir: IrType.F64 } && operand is ScalarValue { Ir: not IrType.F64 })
            {
                Report(DiagnosticDescriptors.ImplicitDoublePromotion, conversion.Operand.Syntax, Shorten(conversion.Operand.Syntax.ToString()));
            }
            return Convert(operand, conversion.Conversion, target, conversion);
        }

        private Value ApplyConversion(Value value, CommonConversion conversion, IOperation at, KType? target)
        {
            if (value is PoisonValue || !conversion.Exists || conversion.IsIdentity || target is null) return value;
            return Convert(value, conversion, target, at);
        }

        private Value Convert(Value value, CommonConversion conversion, KType target, IOperation at)
        {
            if (conversion.IsUserDefined && conversion.MethodSymbol is { } method) return UserConversion(method, value, target, at);
            switch (value, target)
            {
                case (ScalarValue scalar, ScalarKType to):
                    return ConvertScalar(scalar, to, at);
                case (SpanValue span, SpanKType to):
                    return new SpanValue(to, span.Pointer, span.Length, span.Space);
                case (StructValue structValue, StructKType to) when SymbolEqualityComparer.Default.Equals(structValue.Type.Symbol, to.Symbol):
                    return structValue;
            }
            ReportUnsupported(at, "This conversion to " + target.Symbol.ToDisplayString());
            return PoisonValue.Instance;
        }

        private Value UserConversion(IMethodSymbol method, Value value, KType target, IOperation at)
        {
            var containing = method.ContainingType;
            if ((KnownSymbols.Is(containing, _known.DeviceSpan) || KnownSymbols.Is(containing, _known.Span)) && value is SpanValue span && target is SpanKType spanTarget)
            {
                // DeviceSpan -> ReadOnlyDeviceSpan keeps coherent loads: the kernel may still write through the original.
                return new SpanValue(spanTarget, span.Pointer, span.Length, span.Space);
            }
            if (value is ScalarValue scalar && target is ScalarKType to
                && (KnownSymbols.Is(containing, _known.Half) || KnownSymbols.Is(containing, _known.BFloat16)))
            {
                return ConvertScalar(scalar, to, at, allowHalf: true);
            }
            return InlineCall(method, null, new[] { value }, at);
        }

        private Value ConvertScalar(ScalarValue value, ScalarKType to, IOperation at, bool allowHalf = false)
        {
            var from = value.Ir;
            var t = to.Ir;
            if (from == t) return new ScalarValue(to, value.Operand);
            if (from == IrType.Pred || t == IrType.Pred)
            {
                ReportUnsupported(at, "A conversion between bool and a number");
                return PoisonValue.Instance;
            }
            var operand = value.Operand;

            // Half and BFloat16 convert through float (as System.Half's operators do), except float/double <-> Half directly.
            if (from is IrType.F16 or IrType.BF16 || t is IrType.F16 or IrType.BF16)
            {
                if (!allowHalf)
                {
                    ReportUnsupported(at, "This conversion");
                    return PoisonValue.Instance;
                }
                if (from == IrType.F16 && t is IrType.F32 or IrType.F64) return new ScalarValue(to, _b.Cvt(t, IrType.F16, RoundingKind.None, operand));
                if (t == IrType.F16 && from is IrType.F32 or IrType.F64) return new ScalarValue(to, _b.Cvt(IrType.F16, from, RoundingKind.Rn, operand));
                if (from == IrType.BF16 && t == IrType.F32) return new ScalarValue(to, BFloat16ToFloat(operand));
                if (t == IrType.BF16 && from == IrType.F32) return new ScalarValue(to, _b.Cvt(IrType.BF16, IrType.F32, RoundingKind.Rn, operand));
                var single = ScalarType(SpecialType.System_Single);
                if (from == IrType.F16 && t.IsInteger())
                {
                    var wide = new ScalarValue(single, _b.Cvt(IrType.F32, IrType.F16, RoundingKind.None, operand));
                    return ConvertScalar(wide, to, at);
                }
                if (t == IrType.F16 && from.IsInteger())
                {
                    var asFloat = (ScalarValue)ConvertScalar(value, single, at);
                    return new ScalarValue(to, _b.Cvt(IrType.F16, IrType.F32, RoundingKind.Rn, asFloat.Operand));
                }
                ReportUnsupported(at, "A conversion from " + value.Type?.Symbol.ToDisplayString() + " to " + to.Symbol.ToDisplayString());
                return PoisonValue.Instance;
            }

            if (from.IsInteger() && t.IsInteger()) return new ScalarValue(to, IntegerToInteger(operand, from, t));
            if (from.IsInteger() && t.IsFloat()) return new ScalarValue(to, _b.Cvt(t, from.Promoted() == IrType.S32 && from is IrType.U8 or IrType.U16 ? IrType.U32 : from.Promoted(), RoundingKind.Rn, operand));
            if (from.IsFloat() && t.IsInteger())
            {
                // cvt.rzi truncates toward zero and saturates (NaN -> 0), like .NET 9+. Sub-word targets go
                // through int and then wrap, which is what .NET does for (byte)floatValue.
                if (t is IrType.S8 or IrType.U8 or IrType.S16 or IrType.U16)
                {
                    var wide = NaNToZero(_b.Cvt(IrType.S32, from, RoundingKind.Rzi, operand), IrType.S32, from, operand);
                    return new ScalarValue(to, Narrow(wide, t));
                }
                return new ScalarValue(to, NaNToZero(_b.Cvt(t, from, RoundingKind.Rzi, operand), t, from, operand));
            }
            if (from == IrType.F32 && t == IrType.F64) return new ScalarValue(to, _b.Cvt(IrType.F64, IrType.F32, RoundingKind.None, operand));
            if (from == IrType.F64 && t == IrType.F32) return new ScalarValue(to, _b.Cvt(IrType.F32, IrType.F64, RoundingKind.Rn, operand));
            ReportUnsupported(at, "A conversion from " + value.Type?.Symbol.ToDisplayString() + " to " + to.Symbol.ToDisplayString());
            return PoisonValue.Instance;
        }

        /// <summary>
        /// .NET converts NaN to 0. cvt.rzi does too for f32 -> 32-bit integers, but an H100 returns the minimum
        /// value for f64 sources (measured), so conversions other than f32 -> s32/u32 select 0 explicitly.
        /// </summary>
        private IrOperand NaNToZero(IrOperand converted, IrType to, IrType from, IrOperand source)
        {
            if (from == IrType.F32 && to is IrType.S32 or IrType.U32) return converted;
            var isNaN = _b.Setp(CompareKind.Nan, from, source, source);
            return _b.Selp(to, IrOperand.Imm(0, to), converted, isNaN);
        }

        /// <summary>Integer to integer with C# semantics; registers hold sub-word values extended to 32 bits.</summary>
        private IrOperand IntegerToInteger(IrOperand operand, IrType from, IrType to)
        {
            bool from64 = from is IrType.S64 or IrType.U64;
            switch (to)
            {
                case IrType.S8:
                case IrType.U8:
                case IrType.S16:
                case IrType.U16:
                    {
                        var low = from64 ? _b.Cvt(IrType.U32, IrType.U64, RoundingKind.None, operand) : operand;
                        return Narrow(low, to);
                    }
                case IrType.S32:
                case IrType.U32:
                    if (from64) return _b.Cvt(IrType.U32, IrType.U64, RoundingKind.None, operand);
                    return operand.IsImmediate ? IrOperand.Imm(operand.Bits, to) : operand;
                default:
                    if (from64) return operand;
                    return from is IrType.S8 or IrType.S16 or IrType.S32
                        ? _b.Cvt(IrType.S64, IrType.S32, RoundingKind.None, operand)
                        : _b.Cvt(IrType.U64, IrType.U32, RoundingKind.None, operand);
            }
        }

        /// <summary>Wraps a 32-bit value to a sub-word type: keep the low bits, then sign- or zero-extend.</summary>
        private IrOperand Narrow(IrOperand value, IrType to)
        {
            switch (to)
            {
                case IrType.S8:
                case IrType.S16:
                    return _b.Cvt(IrType.S32, to, RoundingKind.None, value);
                case IrType.U8:
                case IrType.U16:
                    return _b.Cvt(IrType.U32, to, RoundingKind.None, value);
                default:
                    return value;
            }
        }

        /// <summary>bf16 -> f32 is exact: the bf16 bits are the top half of the float (no sm_90 cvt needed).</summary>
        private IrOperand BFloat16ToFloat(IrOperand bits16)
        {
            var wide = _b.Cvt(IrType.U32, IrType.U16, RoundingKind.None, _b.InRegister(bits16));
            var shifted = _b.Binary(BinaryKind.Shl, IrType.U32, wide, IrOperand.Imm(16, IrType.U32));
            var result = _b.NewRegister(IrType.F32);
            _b.Mov(result, shifted);
            return result;
        }
    }
}
