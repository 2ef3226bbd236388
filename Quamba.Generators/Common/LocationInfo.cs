using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Quamba.Generators.Common
{
    /// <summary>
    /// A source location without a reference to the syntax tree, so models that carry it stay equatable and
    /// do not keep old compilations alive.
    /// </summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        public static LocationInfo? From(Location? location)
        {
            if (location is null || location.SourceTree is null) return null;
            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());
    }
}
