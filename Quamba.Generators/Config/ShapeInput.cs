using Quamba.Generators.Common;

namespace Quamba.Generators.Config
{
    /// <summary>
    /// Shape values as written, in a quamba.json "shape" object or in a checkpoint's config.json, each with its
    /// location so that a consistency error points at the value that is wrong, in whichever file it is.
    /// </summary>
    internal sealed class ShapeInput
    {
        public ShapeInput(string description, LocationInfo origin)
        {
            Description = description;
            Origin = origin;
        }

        /// <summary>"the shape" or "checkpoint 'config.json'": how messages name the source.</summary>
        public string Description { get; }

        /// <summary>Where a missing value is reported (the object, or the "checkpoint" value).</summary>
        public LocationInfo Origin { get; }

        public Located<ModelArchitecture>? Architecture { get; set; }
        public Located<int>? DModel { get; set; }
        public Located<int>? Expand { get; set; }
        public Located<int>? DInner { get; set; }
        public Located<int>? DState { get; set; }
        public Located<int>? HeadDim { get; set; }
        public Located<int>? NGroups { get; set; }
        public Located<int>? NHeads { get; set; }
        public Located<int>? DConv { get; set; }

        /// <summary>Null or "auto": ceil(d_model / 16).</summary>
        public Located<int>? DtRank { get; set; }
        public Located<int>? ChunkSize { get; set; }
        public Located<int>? NLayer { get; set; }
        public Located<int>? VocabSize { get; set; }

        /// <summary>Where the key names come from: quamba.json's own or a checkpoint's (for messages).</summary>
        public KeyNames Keys { get; set; } = KeyNames.Quamba;
    }

    /// <summary>The names a source uses for each shape value, so messages use the words of the file they point into.</summary>
    internal sealed record KeyNames(string DModel, string Expand, string DInner, string DState, string HeadDim, string NGroups,
        string NHeads, string DConv, string DtRank, string ChunkSize, string NLayer, string VocabSize)
    {
        public static readonly KeyNames Quamba = new("shape.d_model", "shape.expand", "shape.d_inner", "shape.d_state", "shape.headdim",
            "shape.ngroups", "shape.nheads", "shape.d_conv", "shape.dt_rank", "shape.chunk_size", "shape.n_layer", "shape.vocab_size");

        public static readonly KeyNames HuggingFace = new("hidden_size", "expand", "intermediate_size", "state_size", "head_dim",
            "n_groups", "num_heads", "conv_kernel", "time_step_rank", "chunk_size", "num_hidden_layers", "vocab_size");

        public static readonly KeyNames StateSpaces = new("d_model", "ssm_cfg.expand", "d_inner", "ssm_cfg.d_state", "ssm_cfg.headdim",
            "ssm_cfg.ngroups", "nheads", "ssm_cfg.d_conv", "ssm_cfg.dt_rank", "ssm_cfg.chunk_size", "n_layer", "vocab_size");
    }
}
