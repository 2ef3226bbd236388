using System.CommandLine;
using System.Globalization;
using Quamba.Model.Quantization.Recipes;
using Spectre.Console;

namespace Quamba.Cli.Commands;

/// <summary>The options `quantize` and `ablate` share, and their translation into <see cref="QuantizationOptions"/>.</summary>
internal sealed class QuantizationCliOptions
{
    public Option<string?> Model { get; } = CliOptions.Model();
    public Option<string> Precision { get; } = new("--precision") { Description = "w8a8, w4a8, w4a16 or w4ax (per layer, from --layers).", Required = true };
    public Option<string> Recipe { get; } = new("--recipe") { Description = "naive (ablation), quamba or quamba2.", DefaultValueFactory = _ => "quamba2" };
    public Option<bool> Gptq { get; } = new("--gptq") { Description = "GPTQ instead of round-to-nearest for the quantized linears." };
    public Option<string?> Calib { get; } = new("--calib") { Description = $"Calibration text. Default: {DefaultPaths.DefaultCalibrationData}" };
    public Option<int> Samples { get; } = new("--calib-samples") { Description = "Calibration samples (capped by the text).", DefaultValueFactory = _ => 512 };
    public Option<int> Length { get; } = new("--calib-length") { Description = "Tokens per calibration sample.", DefaultValueFactory = _ => 512 };
    public Option<string?> Layers { get; } = new("--layers") { Description = "w4ax: a file with one precision (w4a8 or w4a16) per layer, in order." };
    public Option<int> GroupSize { get; } = new("--group-size") { Description = "Columns per scale of 4-bit weights (even).", DefaultValueFactory = _ => 128 };
    public Option<bool> ScaleSearch { get; } = new("--scale-search") { Description = "4-bit group scales from a clip search (false: abs-max).", DefaultValueFactory = _ => true };
    public Option<bool> Sequential { get; } = new("--sequential") { Description = "With --gptq: GPTQ layer by layer, each layer's Hessians taken with the layers below it quantized (one calibration pass per layer)." };
    public Option<bool> ActOrder { get; } = new("--act-order") { Description = "GPTQ in activation order with static groups (false: original column order).", DefaultValueFactory = _ => true };
    public Option<bool> EmbeddingGptq { get; } = new("--embedding-gptq") { Description = "With --gptq: GPTQ the tied embedding for lm_head's input (false: round to nearest).", DefaultValueFactory = _ => true };
    public Option<double> EmbeddingDampening { get; } = new("--embedding-damp") { Description = "GPTQ dampening of the embedding / lm_head, a fraction of the mean Hessian diagonal.", DefaultValueFactory = _ => 1.0 };
    public Option<int?> EmbeddingGroupSize { get; } = new("--embedding-group-size") { Description = "Columns per scale of a 4-bit embedding / lm_head (even). Default: --group-size." };
    public Option<int> EmbeddingBits { get; } = new("--embedding-bits") { Description = "Bits of the embedding / lm_head at 4-bit precisions: 4 (groups) or 8 (per row).", DefaultValueFactory = _ => 4 };

    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[Model, Precision, Recipe, Gptq, Calib, Samples, Length, Layers, GroupSize,
                     ScaleSearch, ActOrder, Sequential, EmbeddingGptq, EmbeddingDampening, EmbeddingGroupSize, EmbeddingBits])
            command.Options.Add(option);
    }

    /// <summary>Validates the options (one clear message per mistake) and reads the --layers file.</summary>
    public QuantizationOptions Parse(ParseResult result, string modelDirectory)
    {
        string text = result.GetValue(Precision)!;
        if (!PrecisionNames.TryParse(text, out QuantizationPrecision precision))
            throw new ArgumentException($"--precision '{text}' is not one of w8a8, w4a8, w4a16, w4ax.");
        string recipeText = result.GetValue(Recipe)!;
        if (!PrecisionNames.TryParse(recipeText, out QuantizationRecipe recipe))
            throw new ArgumentException($"--recipe '{recipeText}' is not one of naive, quamba, quamba2.");
        string? layersPath = result.GetValue(Layers);
        if (precision == QuantizationPrecision.W4AX && layersPath is null)
            throw new ArgumentException("--precision w4ax needs --layers FILE: one line per layer, w4a8 or w4a16.");
        if (precision != QuantizationPrecision.W4AX && layersPath is not null)
            throw new ArgumentException($"--layers applies to --precision w4ax only, not {precision.Name()}.");
        int group = result.GetValue(GroupSize);
        if (group < 2 || group % 2 != 0) throw new ArgumentException($"--group-size must be even and at least 2, got {group}.");
        int? embeddingGroup = result.GetValue(EmbeddingGroupSize);
        if (embeddingGroup is int eg && (eg < 2 || eg % 2 != 0)) throw new ArgumentException($"--embedding-group-size must be even and at least 2, got {eg}.");
        int embeddingBits = result.GetValue(EmbeddingBits);
        if (embeddingBits is not (4 or 8)) throw new ArgumentException($"--embedding-bits must be 4 or 8, got {embeddingBits}.");
        double embeddingDamp = result.GetValue(EmbeddingDampening);
        if (!(embeddingDamp >= 0) || !double.IsFinite(embeddingDamp)) throw new ArgumentException($"--embedding-damp must be a finite fraction >= 0 (0.01 = 1%), got {embeddingDamp}.");
        int layerCount = Quamba.Model.Checkpoints.ModelConfig.Load(modelDirectory).NumLayers;
        return new QuantizationOptions
        {
            Precision = precision,
            Recipe = recipe,
            Gptq = result.GetValue(Gptq),
            CalibrationFile = DefaultPaths.Resolve(result.GetValue(Calib), DefaultPaths.DefaultCalibrationData),
            CalibrationSamples = result.GetValue(Samples),
            CalibrationLength = result.GetValue(Length),
            LayerPrecisions = layersPath is null ? null : LayerPrecisionFile.Read(layersPath, layerCount),
            GroupSize = group,
            ScaleSearch = result.GetValue(ScaleSearch),
            ActOrder = result.GetValue(ActOrder),
            SequentialGptq = result.GetValue(Sequential),
            EmbeddingGptq = result.GetValue(EmbeddingGptq),
            EmbeddingDampening = embeddingDamp,
            EmbeddingGroupSize = embeddingGroup,
            EmbeddingBits = embeddingBits,
        };
    }

    /// <summary>One line naming the options that shape the weights, e.g. "quamba2 w4a16, gptq (act-order, embedding damp 1), clip-searched scales, groups of 128".</summary>
    public static string Describe(QuantizationOptions o)
    {
        var gptq = new List<string>();
        if (o.ActOrder) gptq.Add("act-order");
        if (o.SequentialGptq) gptq.Add("sequential");
        gptq.Add(o.EmbeddingGptq ? $"embedding damp {o.EmbeddingDampening.ToString(CultureInfo.InvariantCulture)}" : "embedding rtn");
        string groups = o.EmbeddingGroupSize is int e && e != o.GroupSize ? $"groups of {o.GroupSize} (embedding {e})" : $"groups of {o.GroupSize}";
        return $"{o.Recipe.Name()} {o.Precision.Name()}"
            + (o.Gptq ? $", gptq ({string.Join(", ", gptq)})" : ", round to nearest")
            + (o.ScaleSearch ? ", clip-searched scales" : ", abs-max scales")
            + $", {groups}" + (o.EmbeddingBits == 8 ? ", 8-bit embedding" : "");
    }

    /// <summary>Runs <paramref name="work"/> with a Spectre.Console progress display on stderr (one bar per stage).</summary>
    public static T WithProgress<T>(Func<IProgress<QuantizationProgress>?, T> work)
    {
        if (Console.IsErrorRedirected) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T outcome = default!;
        console.Progress().Start(context =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            var progress = new StageProgress(update =>
            {
                if (!tasks.TryGetValue(update.Stage, out var task))
                    tasks[update.Stage] = task = context.AddTask(update.Stage, maxValue: Math.Max(1, update.Total));
                task.Value = update.Done;
            });
            outcome = work(progress);
            foreach (var task in tasks.Values) task.Value = task.MaxValue;
        });
        return outcome;
    }

    private sealed class StageProgress(Action<QuantizationProgress> report) : IProgress<QuantizationProgress>
    {
        public void Report(QuantizationProgress value) => report(value);
    }
}
