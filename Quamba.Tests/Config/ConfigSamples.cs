namespace Quamba.Tests.Config;

/// <summary>The configs the tests and snapshots use: the tiny models and published shapes.</summary>
internal static class ConfigSamples
{
    public const string Mamba1TinyW8A8 = """
        {
          "name": "Mamba1TinyW8A8",
          "architecture": "mamba1",
          "shape": { "d_model": 192, "d_inner": 384, "d_state": 16, "dt_rank": 12, "d_conv": 4, "n_layer": 6, "vocab_size": 4096 },
          "precision": "w8a8"
        }
        """;

    public static string Mamba2Tiny(string name, string precision) => $$"""
        {
          "name": "{{name}}",
          "architecture": "mamba2",
          "shape": { "d_model": 256, "expand": 2, "d_state": 32, "headdim": 32, "ngroups": 2, "chunk_size": 64, "n_layer": 6, "vocab_size": 4096 },
          "precision": "{{precision}}"
        }
        """;

    /// <summary>mamba-130m: d 768, E 1536 = 12 x 128.</summary>
    public const string Mamba130mW8A8 = """
        {
          "name": "Mamba130mW8A8",
          "architecture": "mamba1",
          "shape": { "d_model": 768, "n_layer": 24, "vocab_size": 50280 },
          "precision": "w8a8"
        }
        """;

    /// <summary>mamba-2.8b: d 2560, E 5120 = 40 x 128.</summary>
    public const string Mamba2p8bW8A8 = """
        {
          "name": "Mamba2p8bW8A8",
          "architecture": "mamba1",
          "shape": { "d_model": 2560, "n_layer": 64, "vocab_size": 50280 },
          "precision": "w8a8"
        }
        """;

    /// <summary>mamba2-2.7b: N 128, P 64, G 1.</summary>
    public const string Mamba2_2p7bW4A8 = """
        {
          "name": "Mamba2_2p7bW4A8",
          "architecture": "mamba2",
          "shape": { "d_model": 2560, "d_state": 128, "headdim": 64, "ngroups": 1, "n_layer": 64, "vocab_size": 50288 },
          "precision": "w4a8"
        }
        """;

    /// <summary>mamba2-8b: d 4096, G 8, 56 layers, W4AX (42 W4A8 + 14 W4A16: every fourth layer A16).</summary>
    public static string Mamba2_8bW4AX()
    {
        var layers = string.Join(", ", Enumerable.Range(0, 56).Select(i => i % 4 == 3 ? "\"w4a16\"" : "\"w4a8\""));
        return $$"""
            {
              "name": "Mamba2_8bW4AX",
              "architecture": "mamba2",
              "shape": { "d_model": 4096, "d_state": 128, "headdim": 64, "ngroups": 8, "n_layer": 56, "vocab_size": 256000 },
              "precision": [{{layers}}]
            }
            """;
    }
}
