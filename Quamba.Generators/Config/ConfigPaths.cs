using System.Collections.Generic;

namespace Quamba.Generators.Config
{
    /// <summary>Path arithmetic without touching the file system (analyzers must not do I/O).</summary>
    internal static class ConfigPaths
    {
        /// <summary>
        /// <paramref name="relative"/> resolved against the directory of <paramref name="baseFile"/>, with "." and ".."
        /// removed and '/' separators; an absolute <paramref name="relative"/> is only normalised.
        /// </summary>
        public static string Resolve(string baseFile, string relative)
        {
            var rel = relative.Replace('\\', '/');
            bool absolute = rel.StartsWith("/", System.StringComparison.Ordinal) || rel.Length > 1 && rel[1] == ':';
            string combined;
            if (absolute)
            {
                combined = rel;
            }
            else
            {
                var basePath = baseFile.Replace('\\', '/');
                int slash = basePath.LastIndexOf('/');
                combined = (slash >= 0 ? basePath.Substring(0, slash + 1) : "") + rel;
            }
            return Normalize(combined);
        }

        public static string Normalize(string path)
        {
            var p = path.Replace('\\', '/');
            bool rooted = p.StartsWith("/", System.StringComparison.Ordinal);
            var parts = new List<string>();
            foreach (var part in p.Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                    continue;
                }
                parts.Add(part);
            }
            return (rooted ? "/" : "") + string.Join("/", parts);
        }

        public static bool Same(string a, string b) => string.Equals(Normalize(a), Normalize(b), System.StringComparison.Ordinal);

        public static bool SameIgnoringCase(string a, string b) => string.Equals(Normalize(a), Normalize(b), System.StringComparison.OrdinalIgnoreCase);
    }
}
