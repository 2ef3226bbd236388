namespace Quamba.Model.Quantization.Weights;

/// <summary>Validation and row-to-scale mapping for the int8 weight granularities.</summary>
internal static class Int8WeightLayout
{
    /// <summary>Checks the segments of a granularity and returns the row ranges of each scale.</summary>
    public static IReadOnlyList<RowRange> Validate(int rows, Int8WeightGranularity granularity, IReadOnlyList<RowRange>? segments)
    {
        switch (granularity)
        {
            case Int8WeightGranularity.PerTensor:
                RequireNoSegments(granularity, segments);
                return [new RowRange(0, rows)];
            case Int8WeightGranularity.PerOutputChannel:
                RequireNoSegments(granularity, segments);
                var perRow = new RowRange[rows];
                for (int r = 0; r < rows; r++) perRow[r] = new RowRange(r, 1);
                return perRow;
            case Int8WeightGranularity.PerOutputSegment:
                if (segments is null || segments.Count == 0)
                    throw new ArgumentException("PerOutputSegment needs a non-empty list of row ranges (e.g. z, x, B, C, dt of in_proj).", nameof(segments));
                int next = 0;
                foreach (var s in segments)
                {
                    if (s.Start != next || s.Count < 1)
                        throw new ArgumentException($"Segments must be non-empty and partition [0, {rows}) in order; segment {s} does not start at row {next} or is empty.", nameof(segments));
                    next = s.End;
                }
                if (next != rows)
                    throw new ArgumentException($"Segments end at row {next}, but the matrix has {rows} rows; they must cover every row.", nameof(segments));
                return segments.ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Unknown int8 weight granularity.");
        }
    }

    public static int[] ScaleIndexOfRows(int rows, Int8WeightGranularity granularity, IReadOnlyList<RowRange> segments)
    {
        var map = new int[rows];
        for (int s = 0; s < segments.Count; s++)
            for (int r = segments[s].Start; r < segments[s].End; r++)
                map[r] = granularity == Int8WeightGranularity.PerTensor ? 0 : s;
        return map;
    }

    private static void RequireNoSegments(Int8WeightGranularity granularity, IReadOnlyList<RowRange>? segments)
    {
        if (segments is not null)
            throw new ArgumentException($"{granularity} takes no segments; pass null, or use PerOutputSegment.", nameof(segments));
    }
}
