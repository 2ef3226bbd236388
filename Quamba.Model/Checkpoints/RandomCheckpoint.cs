namespace Quamba.Model.Checkpoints;

/// <summary>
/// Writes random-weight checkpoints (config.json + model.safetensors) of published shapes, for speed and memory
/// measurements at real sizes. Deterministic: each tensor draws from its own generator seeded by the seed and the
/// tensor name, so output bytes depend only on (shape, seed, dtype). Tensors are generated and written in pieces:
/// memory use stays small even for multi-GB checkpoints. The initialisation follows mamba_ssm's so activations stay
/// in range through all layers (no NaN/inf): A_log = log(1..N) (Mamba1) or log(U(1, 16)) per head (Mamba2);
/// dt bias = softplus^-1(dt), dt log-uniform in [0.001, 0.1]; D = 1; norms = 1; linear layers uniform(+-1/sqrt(fan_in)),
/// out_proj further scaled by 1/sqrt(layers); embedding (and untied lm_head) normal(0, 0.02).
/// </summary>
public static class RandomCheckpoint
{
    private const int Piece = 1 << 20;

    /// <summary>Writes <paramref name="shapeName"/> ("mamba-130m", or "130m" with arch "mamba1") as float32.</summary>
    public static void Write(string arch, string shapeName, string outDir, int seed = 0) =>
        Write(arch, shapeName, outDir, seed, SafetensorsDType.F32);

    /// <summary>As <see cref="Write(string, string, string, int)"/> with a storage dtype (F32, F16 or BF16).</summary>
    public static void Write(string arch, string shapeName, string outDir, int seed, SafetensorsDType dtype,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Write(PublishedShapes.Get(arch, shapeName).ToConfig(), outDir, seed, dtype, progress, cancellationToken);

    /// <summary>Any config (tests use tiny ones).</summary>
    internal static void Write(ModelConfig config, string outDir, int seed, SafetensorsDType dtype = SafetensorsDType.F32,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
            throw new ArgumentException($"random checkpoints are written as F32, F16 or BF16, not {dtype}", nameof(dtype));
        config.Validate();
        Directory.CreateDirectory(outDir);
        var tensors = MambaTensorLayout.For(config).ToDictionary(t => t.Name);
        long total = tensors.Values.Sum(t => t.ElementCount), done = 0;

        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["quamba.random_seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        string weights = Path.Combine(outDir, "model.safetensors");
        using (var writer = new SafetensorsWriter(weights, tensors.Values.Select(t => new SafetensorsTensorSpec(t.Name, dtype, t.Shape)), metadata))
        {
            var buffer = new float[Piece];
            foreach (var spec in writer.WriteOrder)
            {
                var tensor = tensors[spec.Name];
                var init = new TensorInitializer(config, tensor, seed);
                for (long offset = 0; offset < tensor.ElementCount; offset += Piece)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = (int)Math.Min(Piece, tensor.ElementCount - offset);
                    init.Fill(offset, buffer.AsSpan(0, n));
                    writer.WriteFloat32(buffer.AsSpan(0, n));
                    done += n;
                    progress?.Report((double)done / total);
                }
            }
            writer.Complete();
        }
        File.WriteAllText(Path.Combine(outDir, "config.json"), ModelConfigWriter.ToHuggingFaceJson(config));
    }

    /// <summary>Draws the values of one tensor, in order, piece by piece.</summary>
    private sealed class TensorInitializer(ModelConfig config, MambaTensor tensor, int seed)
    {
        private SplitMix64 _random = new(Seed(seed, tensor.Name));

        public void Fill(long offset, Span<float> values)
        {
            int d = config.HiddenSize, e = config.IntermediateSize, k = config.ConvKernel;
            switch (tensor.Kind)
            {
                case MambaTensorKind.Embedding or MambaTensorKind.LmHead:
                    for (int i = 0; i < values.Length; i++) values[i] = 0.02f * _random.NextNormal();
                    break;
                case MambaTensorKind.NormWeight or MambaTensorKind.GatedNormWeight or MambaTensorKind.D:
                    values.Fill(1f);
                    break;
                case MambaTensorKind.InProjBias or MambaTensorKind.OutProjBias:
                    values.Clear();
                    break;
                case MambaTensorKind.InProj:
                    Uniform(values, 1f / MathF.Sqrt(d));
                    break;
                case MambaTensorKind.OutProj:
                    Uniform(values, 1f / MathF.Sqrt(e) / MathF.Sqrt(config.NumLayers));
                    break;
                case MambaTensorKind.XProj:
                    Uniform(values, 1f / MathF.Sqrt(e));
                    break;
                case MambaTensorKind.DtProj:
                    Uniform(values, 1f / MathF.Sqrt(config.TimeStepRank));
                    break;
                case MambaTensorKind.ConvWeight or MambaTensorKind.ConvBias:
                    Uniform(values, 1f / MathF.Sqrt(k));
                    break;
                case MambaTensorKind.DtBias:
                    for (int i = 0; i < values.Length; i++)
                    {
                        double dt = Math.Max(Math.Exp(Math.Log(0.001) + _random.NextDouble() * (Math.Log(0.1) - Math.Log(0.001))), 1e-4);
                        values[i] = (float)(dt + Math.Log(-double.ExpM1(-dt))); // softplus^-1(dt)
                    }
                    break;
                case MambaTensorKind.ALog when config.Architecture == MambaArchitecture.Mamba1:
                    for (int i = 0; i < values.Length; i++) values[i] = MathF.Log((offset + i) % config.StateSize + 1);
                    break;
                case MambaTensorKind.ALog:
                    for (int i = 0; i < values.Length; i++) values[i] = (float)Math.Log(1 + 15 * _random.NextDouble());
                    break;
                default:
                    throw new InvalidOperationException($"no initialisation for {tensor.Kind} ({tensor.Name})");
            }
        }

        private void Uniform(Span<float> values, float bound)
        {
            for (int i = 0; i < values.Length; i++) values[i] = (float)((2 * _random.NextDouble() - 1) * bound);
        }

        private static ulong Seed(int seed, string name)
        {
            ulong h = 14695981039346656037UL; // FNV-1a over the name, mixed with the seed
            foreach (char c in name) h = (h ^ c) * 1099511628211UL;
            return h ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
        }
    }

    /// <summary>SplitMix64: tiny, fast, and the same sequence on every platform and .NET version.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;
        private double? _spare;

        public ulong NextUInt64()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1).</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Standard normal (Box-Muller, both values used).</summary>
        public float NextNormal()
        {
            if (_spare is double spare)
            {
                _spare = null;
                return (float)spare;
            }
            double u1 = 1.0 - NextDouble(), u2 = NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            _spare = radius * Math.Sin(2 * Math.PI * u2);
            return (float)(radius * Math.Cos(2 * Math.PI * u2));
        }
    }
}
