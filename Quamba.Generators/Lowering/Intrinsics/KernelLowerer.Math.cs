using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// System.Math / MathF. Exact operations map to exact PTX (sqrt.rn, cvt.rni...). Transcendentals have only
    /// approximations in PTX: float versions are built on ex2/lg2/sin/cos.approx with the accuracy documented
    /// in docs/kernels.md; double transcendentals are rejected rather than silently computed in float.
    /// </summary>
    internal sealed partial class KernelLowerer
    {
        private const float Log2E = 1.44269504088896340736f;
        private const float Ln2 = 0.693147180559945309417f;

        private Value LowerMathCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            var args = ScalarArguments(invocation);
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as ScalarKType;
            if (args is null || resultType is null) return PoisonValue.Instance;
            var t = resultType.Ir;
            bool isFloat = t is IrType.F32 or IrType.F64;
            IrOperand? result = (method.Name, args.Length) switch
            {
                ("Abs", 1) => Abs(args[0], resultType),
                ("Min", 2) => isFloat ? FloatMinMax(BinaryKind.Min, t, args[0].Operand, args[1].Operand) : IntMinMax(BinaryKind.Min, args[0], args[1]),
                ("Max", 2) => isFloat ? FloatMinMax(BinaryKind.Max, t, args[0].Operand, args[1].Operand) : IntMinMax(BinaryKind.Max, args[0], args[1]),
                ("Clamp", 3) => isFloat
                    ? FloatMinMax(BinaryKind.Min, t, FloatMinMax(BinaryKind.Max, t, args[0].Operand, args[1].Operand), args[2].Operand)
                    : IntMinMax(BinaryKind.Min, new ScalarValue(args[0].Type, IntMinMax(BinaryKind.Max, args[0], args[1])), args[2]),
                ("Sqrt", 1) when isFloat => _b.Unary(UnaryKind.Sqrt, t, args[0].Operand),
                ("Floor", 1) when isFloat => _b.Cvt(t, t, RoundingKind.Rmi, args[0].Operand),
                ("Ceiling", 1) when isFloat => _b.Cvt(t, t, RoundingKind.Rpi, args[0].Operand),
                ("Truncate", 1) when isFloat => _b.Cvt(t, t, RoundingKind.Rzi, args[0].Operand),
                // Math.Round(x) rounds half to even, as cvt.rni does.
                ("Round", 1) when isFloat => _b.Cvt(t, t, RoundingKind.Rni, args[0].Operand),
                ("FusedMultiplyAdd", 3) when isFloat => _b.Fma(t, args[0].Operand, args[1].Operand, args[2].Operand),
                // PTX copysign takes the sign source first: copysign d, a, b gives |b| with a's sign.
                ("CopySign", 2) when isFloat => CopySign(t, args[0].Operand, args[1].Operand),
                ("Exp", 1) when t == IrType.F32 => _b.Unary(UnaryKind.Ex2Approx, t, _b.Binary(BinaryKind.Mul, t, args[0].Operand, IrOperand.Float(Log2E))),
                ("Log", 1) when t == IrType.F32 => _b.Binary(BinaryKind.Mul, t, _b.Unary(UnaryKind.Lg2Approx, t, args[0].Operand), IrOperand.Float(Ln2)),
                ("Log2", 1) when t == IrType.F32 => _b.Unary(UnaryKind.Lg2Approx, t, args[0].Operand),
                ("Sin", 1) when t == IrType.F32 => _b.Unary(UnaryKind.SinApprox, t, args[0].Operand),
                ("Cos", 1) when t == IrType.F32 => _b.Unary(UnaryKind.CosApprox, t, args[0].Operand),
                ("Tanh", 1) when t == IrType.F32 => Tanh(args[0].Operand),
                _ => null,
            };
            if (result is { } r) return new ScalarValue(resultType, r);
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }

        private IrOperand Abs(ScalarValue x, ScalarKType resultType)
        {
            // Math.Abs(sbyte/short) computes in 32 bits; the result fits back (except MinValue, which C# throws on).
            var type = x.Ir switch
            {
                IrType.S8 or IrType.S16 => IrType.S32,
                _ => x.Ir,
            };
            var result = _b.Unary(UnaryKind.Abs, type, x.Operand);
            return Narrow(result, resultType.Ir);
        }

        private IrOperand IntMinMax(BinaryKind kind, ScalarValue a, ScalarValue b)
        {
            // Sub-word values are extended in their registers, so the 32-bit min/max of the right signedness is exact.
            var type = a.Ir switch
            {
                IrType.S8 or IrType.S16 => IrType.S32,
                IrType.U8 or IrType.U16 => IrType.U32,
                _ => a.Ir,
            };
            return _b.Binary(kind, type, a.Operand, b.Operand);
        }

        /// <summary>
        /// MathF.Max/Min propagate NaN (IEEE 754-2019 maximum), PTX max/min return the other operand: add the
        /// NaN case explicitly (a + b is NaN when either is).
        /// </summary>
        private IrOperand FloatMinMax(BinaryKind kind, IrType t, IrOperand a, IrOperand b)
        {
            var plain = _b.Binary(kind, t, a, b);
            var anyNaN = _b.Setp(CompareKind.Nan, t, a, b);
            var nan = _b.Binary(BinaryKind.Add, t, a, b);
            return _b.Selp(t, nan, plain, anyNaN);
        }

        private IrOperand CopySign(IrType t, IrOperand magnitude, IrOperand sign)
        {
            var dest = _b.NewRegister(t);
            _b.Emit(IrOp.Binary, t, (byte)BinaryKind.CopySign, dest, _b.InRegister(sign), _b.InRegister(magnitude));
            return dest;
        }

        /// <summary>
        /// tanh(x) = sign(x) (1 - 2 / (2^(2|x| log2 e) + 1)) on ex2.approx, with the odd series x - x^3/3 + 2x^5/15
        /// for |x| &lt; 0.0625 where the subtraction would cancel. Portable to every sm (tanh.approx needs sm_75:
        /// use DeviceMath.FastTanh for that).
        /// </summary>
        private IrOperand Tanh(IrOperand x)
        {
            const IrType f = IrType.F32;
            var ax = _b.Unary(UnaryKind.Abs, f, x);
            var e = _b.Unary(UnaryKind.Ex2Approx, f, _b.Binary(BinaryKind.Mul, f, ax, IrOperand.Float(2f * Log2E)));
            var denominator = _b.Binary(BinaryKind.Add, f, e, IrOperand.Float(1f));
            var quotient = _b.Binary(BinaryKind.Div, f, IrOperand.Float(2f), denominator);
            var large = _b.Binary(BinaryKind.Sub, f, IrOperand.Float(1f), quotient);
            var signed = CopySign(f, large, x);
            var x2 = _b.Binary(BinaryKind.Mul, f, x, x);
            var poly = _b.Fma(f, x2, IrOperand.Float(2f / 15f), IrOperand.Float(-1f / 3f));
            var small = _b.Fma(f, _b.Binary(BinaryKind.Mul, f, x2, x), poly, x);
            var isSmall = _b.Setp(CompareKind.Lt, f, ax, IrOperand.Float(0.0625f));
            return _b.Selp(f, small, signed, isSmall);
        }
    }
}
