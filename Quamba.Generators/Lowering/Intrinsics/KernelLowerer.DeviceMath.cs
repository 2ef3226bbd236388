using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>DeviceMath: fma, the hardware approximations (ex2/lg2/rcp/rsqrt/tanh.approx) and dp4a.</summary>
    internal sealed partial class KernelLowerer
    {
        private Value LowerDeviceMathCall(IInvocationOperation invocation, IMethodSymbol method)
        {
            var args = ScalarArguments(invocation);
            var resultType = TypeOf(invocation.Type, invocation.Syntax) as ScalarKType;
            if (args is null || resultType is null) return PoisonValue.Instance;
            UnaryKind? approximation = method.Name switch
            {
                "FastExp2" => UnaryKind.Ex2Approx,
                "FastLog2" => UnaryKind.Lg2Approx,
                "FastRcp" => UnaryKind.RcpApprox,
                "FastRsqrt" => UnaryKind.RsqrtApprox,
                "FastTanh" => UnaryKind.TanhApprox,
                _ => null,
            };
            if (approximation is { } kind && args.Length == 1)
            {
                return new ScalarValue(resultType, _b.Unary(kind, IrType.F32, args[0].Operand));
            }
            if (method.Name == "Fma" && args.Length == 3)
            {
                return new ScalarValue(resultType, _b.Fma(resultType.Ir, args[0].Operand, args[1].Operand, args[2].Operand));
            }
            if (method.Name == "Dp4a" && args.Length == 3)
            {
                var dest = _b.NewRegister(resultType.Ir);
                _b.Emit(IrOp.Dp4a, resultType.Ir, 0, dest, _b.InRegister(args[0].Operand), args[1].Operand, args[2].Operand);
                return new ScalarValue(resultType, dest);
            }
            Report(DiagnosticDescriptors.NoDeviceImplementation, invocation.Syntax, method.ToDisplayString());
            return PoisonValue.Instance;
        }
    }
}
