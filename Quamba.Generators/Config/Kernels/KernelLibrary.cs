using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Quamba.Generators.Common;

namespace Quamba.Generators.Config.Kernels
{
    /// <summary>One source file of the model kernel library (Quamba.Kernels/Mamba), as embedded in the generator.</summary>
    internal sealed record LibrarySource(string Path, string Text);

    /// <summary>
    /// The source of the generic model kernels, embedded in this assembly when it is built (EmbeddedResource
    /// items "QuambaKernelSource/..." from Quamba.Kernels/Mamba). A config's kernel instances are compiled from it
    /// in a private compilation: a referenced Quamba.Kernels.dll has the kernels only as IL, and the PTX compiler
    /// works on C# syntax and semantics. The generator and Quamba.Kernels ship together, so the source is the one
    /// the referenced assembly was compiled from (<see cref="Hash"/> checks it).
    /// </summary>
    internal static class KernelLibrary
    {
        public const string ResourcePrefix = "QuambaKernelSource/";

        private static readonly Lazy<EquatableArray<LibrarySource>> LazySources = new(Load);
        private static readonly Lazy<string> LazyHash = new(() => ComputeHash(Sources));

        /// <summary>Test hook: replaces the embedded library (null restores it). Not used by builds.</summary>
        internal static EquatableArray<LibrarySource>? Override { get; set; }

        public static EquatableArray<LibrarySource> Sources => Override ?? LazySources.Value;

        /// <summary>SHA-256 over the sources (path and text, in path order), hex: identifies this library version.</summary>
        public static string Hash => Override is { } o ? ComputeHash(o) : LazyHash.Value;

        private static EquatableArray<LibrarySource> Load()
        {
            var assembly = typeof(KernelLibrary).Assembly;
            var sources = new List<LibrarySource>();
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(name);
                if (stream is null) continue;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var path = name.Substring(ResourcePrefix.Length).Replace('\\', '/');
                sources.Add(new LibrarySource("Quamba.Kernels/Mamba/" + path, reader.ReadToEnd().Replace("\r\n", "\n")));
            }
            return sources.ToEquatableArray();
        }

        public static string ComputeHash(IEnumerable<LibrarySource> sources)
        {
            using var sha = SHA256.Create();
            var builder = new StringBuilder();
            foreach (var source in sources.OrderBy(s => s.Path, StringComparer.Ordinal))
            {
                builder.Append(source.Path).Append('\n').Append(source.Text).Append('\0');
            }
            var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(builder.ToString()));
            return string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
