using System.Collections.Immutable;
using System.Linq;
using Quamba.Generators.Common;
using Quamba.Generators.Diagnostics;

namespace Quamba.Generators.Config
{
    /// <summary>Reports configs whose names collide (QC0010) and drops the later ones, so no class is generated twice.</summary>
    internal static class ConfigNameCheck
    {
        public static EquatableArray<ConfigReadResult> Check(ImmutableArray<ConfigReadResult> reads)
        {
            var ordered = reads.OrderBy(r => r.Path, System.StringComparer.Ordinal).ToList();
            var result = new System.Collections.Generic.List<ConfigReadResult>();
            var seen = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var read in ordered)
            {
                if (read.Config is { } config)
                {
                    if (seen.TryGetValue(config.Name, out var first))
                    {
                        var diagnostic = DiagnosticInfo.Create(ConfigDiagnosticDescriptors.InvalidName, config.Location,
                            $"the config name '{config.Name}' is already used by '{first}': set a different \"name\" in one of them");
                        result.Add(read with { Config = null, Diagnostics = read.Diagnostics.Append(diagnostic).ToEquatableArray() });
                        continue;
                    }
                    seen[config.Name] = config.Path();
                }
                result.Add(read);
            }
            return result.ToEquatableArray();
        }

        private static string Path(this QuambaConfig config) => config.FilePath;
    }
}
