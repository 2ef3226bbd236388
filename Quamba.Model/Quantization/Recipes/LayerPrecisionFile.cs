namespace Quamba.Model.Quantization.Recipes;

/// <summary>
/// The --layers file of W4AX: one precision per layer, in layer order, one per line (w4a8 or w4a16); blank lines and
/// text after '#' are ignored. Example for six layers: w4a8, w4a8, w4a8, w4a8, w4a16, w4a16 on six lines.
/// </summary>
public static class LayerPrecisionFile
{
    public static LayerPrecision[] Read(string path, int layers)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{full}: layer precision file not found (--layers).", full);
        return Parse(File.ReadAllLines(full), layers, full);
    }

    public static LayerPrecision[] Parse(IReadOnlyList<string> lines, int layers, string sourceName)
    {
        var result = new List<LayerPrecision>();
        for (int i = 0; i < lines.Count; i++)
        {
            string text = lines[i];
            int hash = text.IndexOf('#');
            if (hash >= 0) text = text[..hash];
            text = text.Trim();
            if (text.Length == 0) continue;
            if (!PrecisionNames.TryParse(text, out LayerPrecision p) || p == LayerPrecision.W8A8)
                throw new FormatException($"{sourceName}:{i + 1}: '{text}' is not a W4AX layer precision; write w4a8 or w4a16, one per layer.");
            result.Add(p);
        }
        if (result.Count != layers)
            throw new FormatException($"{sourceName}: lists {result.Count} layer precisions; the model has {layers} layers (one line per layer, in order).");
        return result.ToArray();
    }
}
