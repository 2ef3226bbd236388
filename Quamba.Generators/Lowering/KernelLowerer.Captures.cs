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
    /// <summary>Flow captures: the graph's temporaries (values of ?:, switch inputs) and captured locations.</summary>
    internal sealed partial class KernelLowerer
    {
        private void LowerFlowCapture(IFlowCaptureOperation capture)
        {
            if (_frame.LvalueCaptures.Contains(capture.Id) && IsPlaceOperation(capture.Value) && !IsSpanType(capture.Value.Type))
            {
                // The graph captured a location (e.g. the target of `a[i] += c ? x : y`): evaluate its address now,
                // read and write it later.
                _frame.Captures[capture.Id] = LowerPlace(capture.Value);
                return;
            }
            var value = Lower(capture.Value);
            if (_frame.Captures.TryGetValue(capture.Id, out var existing))
            {
                Write(existing, value, capture);
                return;
            }
            var type = value.Type ?? TypeOf(capture.Value.Type, capture.Syntax);
            if (type is null || value is PoisonValue)
            {
                _frame.Captures[capture.Id] = new PoisonPlace(type ?? ScalarType(SpecialType.System_Int32));
                return;
            }
            _frame.Captures[capture.Id] = new VariablePlace(type, Copy(value));
        }

        private bool IsPlaceOperation(IOperation operation) => operation switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or IFlowCaptureReferenceOperation => true,
            IFieldReferenceOperation field => !field.Field.IsStatic && field.Instance is not null && IsPlaceOperation(field.Instance),
            IPropertyReferenceOperation property => property.Property.IsIndexer && property.Instance is not null && IsSpanType(property.Instance.Type),
            _ => false,
        };

        /// <summary>Whether a flow-capture reference is used as a location (assigned, incremented, passed by ref).</summary>
        private static bool IsLvalueUse(IOperation operation)
        {
            var parent = operation.Parent;
            switch (parent)
            {
                case IAssignmentOperation assignment when assignment.Target == operation:
                case IIncrementOrDecrementOperation:
                    return true;
                case IArgumentOperation argument:
                    return argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out;
                case IFieldReferenceOperation field when field.Instance == operation:
                    return IsLvalueUse(field);
                case IPropertyReferenceOperation property when property.Instance == operation:
                    return true;
                case IInvocationOperation invocation when invocation.Instance == operation:
                    return true;
                default:
                    return false;
            }
        }
    }
}
