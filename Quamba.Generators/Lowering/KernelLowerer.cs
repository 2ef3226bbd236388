using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;
using Quamba.Generators.Discovery;
using Quamba.Generators.Lowering.Ir;

namespace Quamba.Generators.Lowering
{
    /// <summary>What lowering one kernel instance produced.</summary>
    internal sealed class LoweringResult
    {
        public LoweringResult(IrFunction? function, IReadOnlyList<DiagnosticInfo> diagnostics, IReadOnlyList<LocationInfo> sourceLocations)
        {
            Function = function;
            Diagnostics = diagnostics;
            SourceLocations = sourceLocations;
        }

        /// <summary>Null when an error was reported: no PTX may be produced from a partial translation.</summary>
        public IrFunction? Function { get; }
        public IReadOnlyList<DiagnosticInfo> Diagnostics { get; }
        public IReadOnlyList<LocationInfo> SourceLocations { get; }
    }

    /// <summary>
    /// Lowers one kernel instance (a [Kernel] method with its type arguments) from Roslyn's control-flow graph
    /// into the typed three-address IR. Unsupported operations are reported and lowering goes on, so every
    /// error in the kernel is reported in one build.
    /// </summary>
    internal sealed partial class KernelLowerer
    {
        private readonly Compilation _compilation;
        private readonly KnownSymbols _known;
        private readonly KernelTypeMapper _types;
        private readonly CancellationToken _cancellationToken;
        private readonly FunctionBuilder _b = new();
        private readonly List<DiagnosticInfo> _diagnostics = new();
        private readonly HashSet<DiagnosticInfo> _reported = new();
        private readonly List<Microsoft.CodeAnalysis.Text.TextSpan> _suppressedSpans = new();
        private readonly List<SourceLine> _sourceLines = new();
        private readonly List<LocationInfo> _sourceLocations = new();
        private readonly Dictionary<LocationInfo, int> _sourceIndex = new();
        private readonly List<IrParameter> _parameters = new();
        private readonly List<IrArray> _sharedArrays = new();
        private readonly List<IrArray> _localArrays = new();
        private bool _usesDynamicShared;
        private bool _hasErrors;
        private Frame _frame = null!;

        public KernelLowerer(Compilation compilation, KnownSymbols known, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _known = known;
            _types = new KernelTypeMapper(known);
            _cancellationToken = cancellationToken;
        }

        public LoweringResult Lower(IMethodSymbol kernel, MethodDeclarationSyntax syntax, IReadOnlyList<ITypeSymbol> typeArguments, string entryPoint)
        {
            // Source index 0 is always the kernel itself: back-end diagnostics without a finer place point there.
            SourceOf(syntax.Identifier.GetLocation());

            var typeMap = new Dictionary<ITypeParameterSymbol, ITypeSymbol>(SymbolEqualityComparer.Default);
            for (int i = 0; i < kernel.TypeParameters.Length && i < typeArguments.Count; i++) typeMap[kernel.TypeParameters[i]] = typeArguments[i];
            _frame = new Frame(kernel, typeMap, parent: null);

            _b.CurrentSource = 0;
            BindKernelParameters(kernel, entryPoint);

            var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
            var body = model.GetOperation(syntax, _cancellationToken);
            if (body is null)
            {
                Report(DiagnosticDescriptors.InvalidKernelSignature, syntax.Identifier.GetLocation(), kernel.Name, "has no body");
            }
            else
            {
                LowerBody(body, isKernel: true);
            }

            var function = _hasErrors
                ? null
                : _b.Build(entryPoint, _parameters, _sharedArrays, _localArrays, _usesDynamicShared, _sourceLines) with { MaxRegisters = KernelAttributes.MaxRegisters(kernel) };
            return new LoweringResult(function, _diagnostics, _sourceLocations);
        }

        // ---- diagnostics and source table ----

        private void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments)
        {
            if (location is not null && _suppressedSpans.Any(s => s.Contains(location.SourceSpan)) && descriptor.Id != DiagnosticDescriptors.InternalError.Id)
            {
                // Inside a construct already reported as unsupported: further errors there are noise.
                return;
            }
            var info = DiagnosticInfo.Create(descriptor, LocationInfo.From(location), arguments);
            if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) _hasErrors = true;
            if (_reported.Add(info)) _diagnostics.Add(info);
        }

        private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object?[] arguments) =>
            Report(descriptor, node.GetLocation(), arguments);

        private void ReportUnsupported(IOperation operation, string what, string hint = "")
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax, what, "OperationKind." + operation.Kind, hint);
        }

        /// <summary>Index of a source node in the kernel's source table (deduplicated).</summary>
        private int SourceOf(Location location)
        {
            var info = LocationInfo.From(location);
            if (info is null) return 0;
            if (_sourceIndex.TryGetValue(info, out int index)) return index;
            index = _sourceLocations.Count;
            _sourceLocations.Add(info);
            _sourceLines.Add(new SourceLine(FileName(info.FilePath), info.LineSpan.Start.Line + 1));
            _sourceIndex[info] = index;
            return index;
        }

        private int SourceOf(SyntaxNode node) => SourceOf(node.GetLocation());

        private static string FileName(string path)
        {
            int slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
            var name = slash >= 0 ? path.Substring(slash + 1) : path;
            var chars = name.Select(c => c < 32 || c > 126 ? '_' : c).ToArray();
            return new string(chars);
        }

        // ---- types ----

        private ITypeSymbol Substitute(ITypeSymbol type)
        {
            switch (type)
            {
                case ITypeParameterSymbol parameter:
                    for (var frame = _frame; frame is not null; frame = frame.Parent)
                    {
                        if (frame.TypeMap.TryGetValue(parameter, out var mapped)) return mapped;
                    }
                    return type;
                case INamedTypeSymbol { IsGenericType: true } named when named.TypeArguments.Any(ContainsTypeParameter):
                    return named.OriginalDefinition.Construct(named.TypeArguments.Select(Substitute).ToArray());
                default:
                    return type;
            }
        }

        private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => true,
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter),
            _ => false,
        };

        /// <summary>The kernel type of a C# type, reporting QK0004 at <paramref name="where"/> if it has none.</summary>
        private KType? TypeOf(ITypeSymbol? type, SyntaxNode where)
        {
            if (type is null) return null;
            var substituted = Substitute(type);
            var mapped = _types.Map(substituted);
            if (mapped is null) Report(DiagnosticDescriptors.ManagedType, where, substituted.ToDisplayString());
            return mapped;
        }

        private ScalarKType? ScalarTypeOf(ITypeSymbol? type, SyntaxNode where)
        {
            var mapped = TypeOf(type, where);
            if (mapped is ScalarKType scalar) return scalar;
            return null;
        }

        private ScalarKType ScalarType(SpecialType special) => (ScalarKType)_types.Map(_compilation.GetSpecialType(special))!;

        // ---- kernel parameters ----

        private void BindKernelParameters(IMethodSymbol kernel, string entryPoint)
        {
            int index = 0;
            foreach (var parameter in kernel.Parameters)
            {
                var type = _types.Map(Substitute(parameter.Type));
                if (type is SpanKType span)
                {
                    var pointerParam = ParamName(entryPoint, index++);
                    var lengthParam = ParamName(entryPoint, index++);
                    _parameters.Add(new IrParameter(pointerParam, IrType.U64));
                    _parameters.Add(new IrParameter(lengthParam, IrType.U32));
                    var raw = _b.NewRegister(IrType.U64);
                    _b.Emit(IrOp.LoadParam, IrType.U64, 0, raw, IrOperand.AddressOf(pointerParam));
                    var pointer = _b.NewRegister(IrType.U64);
                    _b.Emit(IrOp.Cvta, IrType.U64, (byte)CvtaKind.ToGlobal, pointer, raw);
                    var length = _b.NewRegister(IrType.S32);
                    _b.Emit(IrOp.LoadParam, IrType.U32, 0, length, IrOperand.AddressOf(lengthParam));
                    var space = span.Kind == SpanKind.DeviceReadOnly ? MemorySpace.GlobalReadOnly : MemorySpace.Global;
                    _frame.Variables[parameter] = new VariablePlace(span, new SpanValue(span, pointer, length, space));
                }
                else if (type is ScalarKType scalar)
                {
                    var name = ParamName(entryPoint, index++);
                    if (scalar.Ir == IrType.Pred)
                    {
                        _parameters.Add(new IrParameter(name, IrType.U8));
                        var raw = _b.NewRegister(IrType.U32);
                        _b.Emit(IrOp.LoadParam, IrType.U8, 0, raw, IrOperand.AddressOf(name));
                        var predicate = _b.Setp(CompareKind.Ne, IrType.U32, raw, IrOperand.Imm(0, IrType.U32));
                        _frame.Variables[parameter] = new VariablePlace(scalar, new ScalarValue(scalar, predicate));
                    }
                    else
                    {
                        _parameters.Add(new IrParameter(name, scalar.Ir));
                        var register = _b.NewRegister(scalar.Ir);
                        _b.Emit(IrOp.LoadParam, scalar.Ir, 0, register, IrOperand.AddressOf(name));
                        _frame.Variables[parameter] = new VariablePlace(scalar, new ScalarValue(scalar, register));
                    }
                }
                // Unsupported parameter types were reported by discovery (QK0002); lowering never starts then.
            }
        }

        private static string ParamName(string entryPoint, int index) => entryPoint + "_param_" + index;
    }
}
