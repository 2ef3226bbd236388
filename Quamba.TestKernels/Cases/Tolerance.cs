namespace Quamba.TestKernels.Cases;

/// <summary>
/// How close a floating-point output must be: |actual - expected| &lt;= Absolute + Relative * |expected|.
/// <see cref="Exact"/> demands identical bits (any NaN matches any NaN). Integer outputs are always exact.
/// </summary>
public readonly record struct Tolerance(double Absolute, double Relative)
{
    public static readonly Tolerance Exact = new(0, 0);

    public bool IsExact => Absolute == 0 && Relative == 0;

    public override string ToString() => IsExact ? "exact" : $"abs {Absolute:G3} + rel {Relative:G3}";
}
