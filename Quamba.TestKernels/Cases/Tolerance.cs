namespace Quamba.TestKernels.Cases;

/// <summary>
/// How close a floating-point output must be: |actual - expected| &lt;= Absolute + Relative * |expected|.
/// <see cref="Exact"/> demands identical bits (any NaN matches any NaN). Integer outputs are exact unless
/// <see cref="Codes"/> allows them to differ by that many units (quantized codes produced from values that a GPU
/// computes with approximate transcendentals, or from reductions summed in another order, can land one code away
/// where the value sits at a rounding boundary). The same holds for values stored as fp16 (e.g. an fp16 SSM state):
/// with <see cref="Codes"/> they may also differ by that many fp16 units in the last place.
/// </summary>
public readonly record struct Tolerance(double Absolute, double Relative, int Codes = 0)
{
    public static readonly Tolerance Exact = new(0, 0);

    public bool IsExact => Absolute == 0 && Relative == 0;

    public override string ToString() =>
        (IsExact ? "exact" : $"abs {Absolute:G3} + rel {Relative:G3}") + (Codes > 0 ? $", integer codes / fp16 ulps +-{Codes}" : "");
}
