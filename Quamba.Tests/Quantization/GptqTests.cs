using Quamba.Model.Quantization.Weights;

namespace Quamba.Tests.Quantization;

public class GptqTests
{
    private const int Tokens = 512, Columns = 256, Rows = 48;

    /// <summary>Correlated inputs: X = Z A with A = 0.2 I + a rank-8 mixing, so columns are strongly correlated.</summary>
    private static float[] CorrelatedInputs(int seed)
    {
        var z = QuantTestData.Gaussian(Tokens * Columns, seed);
        var u = QuantTestData.Gaussian(Columns * 8, seed + 1);
        var x = new float[Tokens * Columns];
        for (int t = 0; t < Tokens; t++)
        {
            var latent = new double[8];
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < Columns; c++) latent[r] += z[t * Columns + c] * u[c * 8 + r] / Math.Sqrt(Columns);
            for (int c = 0; c < Columns; c++)
            {
                double v = 0.2 * z[t * Columns + c];
                for (int r = 0; r < 8; r++) v += latent[r] * u[c * 8 + r];
                x[t * Columns + c] = (float)v;
            }
        }
        return x;
    }

    private static double OutputError(float[] x, float[] w, float[] wq)
    {
        var y = QuantTestData.MatMulTransposed(x, Tokens, w, Rows, Columns);
        var yq = QuantTestData.MatMulTransposed(x, Tokens, wq, Rows, Columns);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (y[i] - yq[i]) * (y[i] - yq[i]);
        return Math.Sqrt(s);
    }

    private static double[] Hessian(float[] x)
    {
        var acc = new HessianAccumulator(Columns);
        for (int chunk = 0; chunk < 4; chunk++) // one call per calibration sample
            acc.Add(x.AsSpan(chunk * (Tokens / 4) * Columns, Tokens / 4 * Columns), Tokens / 4);
        return acc.GetHessian();
    }

    [Fact]
    public void HessianAccumulatorEqualsTwoOverNXtX()
    {
        var x = CorrelatedInputs(1);
        var h = Hessian(x);
        for (int i = 0; i < Columns; i += 7)
            for (int j = 0; j < Columns; j += 5)
            {
                double expected = 0, magnitude = 0;
                for (int t = 0; t < Tokens; t++)
                {
                    expected += (double)x[t * Columns + i] * x[t * Columns + j];
                    magnitude += Math.Abs((double)x[t * Columns + i] * x[t * Columns + j]);
                }
                expected *= 2.0 / Tokens;
                // Float dot products over 128 rows per call: error <= 128 u sum |x_i x_j| (u = 2^-24).
                double tol = 128 * Math.Pow(2, -24) * 2.0 / Tokens * magnitude;
                Assert.True(Math.Abs(h[i * Columns + j] - expected) <= tol, $"H[{i},{j}] = {h[i * Columns + j]}, expected {expected}");
                Assert.Equal(h[i * Columns + j], h[j * Columns + i]);
            }
    }

    [Fact]
    public void Int4GptqHasLowerOutputErrorThanRoundToNearest()
    {
        var x = CorrelatedInputs(2);
        var w = QuantTestData.Gaussian(Rows * Columns, 3);
        var rtn = Int4WeightQuantizer.RoundToNearest(w, Rows, Columns).Dequantize();
        var gptq = GptqQuantizer.QuantizeInt4(w, Rows, Columns, Hessian(x)).Dequantize();
        double eRtn = OutputError(x, w, rtn), eGptq = OutputError(x, w, gptq);
        Assert.True(eGptq < eRtn, $"GPTQ output error {eGptq} is not below RTN's {eRtn}");
    }

    [Fact]
    public void Int8GptqHasLowerOutputErrorThanRoundToNearest()
    {
        var x = CorrelatedInputs(4);
        var w = QuantTestData.Gaussian(Rows * Columns, 5);
        var rtn = Int8WeightQuantizer.QuantizePerOutputChannel(w, Rows, Columns);
        var gptq = GptqQuantizer.QuantizeInt8(w, Rows, Columns, Hessian(x), Int8WeightGranularity.PerOutputChannel);
        Assert.Equal(rtn.Scales, gptq.Scales); // same abs-max scales of the original weight
        double eRtn = OutputError(x, w, rtn.Dequantize()), eGptq = OutputError(x, w, gptq.Dequantize());
        Assert.True(eGptq < eRtn, $"GPTQ output error {eGptq} is not below RTN's {eRtn}");
    }

    /// <summary>Correlated inputs whose columns have very different magnitudes (outlier features), as real activations do.</summary>
    private static float[] OutlierInputs(int seed)
    {
        var x = CorrelatedInputs(seed);
        var gain = QuantTestData.Gaussian(Columns, seed + 10);
        for (int t = 0; t < Tokens; t++)
            for (int c = 0; c < Columns; c++) x[t * Columns + c] *= MathF.Exp(1.5f * gain[c]);
        return x;
    }

    private static double HessianWeightedError(double[] h, float[] w, float[] q) => QuantTestData.HessianWeightedError(h, w, q, Rows, Columns);

    private static readonly GptqOptions Plain = new() { ActOrder = false, ScaleSearch = null };
    private static readonly GptqOptions ActOrderOnly = new() { ActOrder = true, ScaleSearch = null };

    [Fact]
    public void ActOrderHasLowerHessianWeightedErrorThanPlainGptqAndRoundToNearest()
    {
        var x = OutlierInputs(11);
        var h = Hessian(x);
        var w = QuantTestData.Gaussian(Rows * Columns, 12);
        double rtn = HessianWeightedError(h, w, Int4WeightQuantizer.RoundToNearest(w, Rows, Columns).Dequantize());
        double plain = HessianWeightedError(h, w, GptqQuantizer.QuantizeInt4(w, Rows, Columns, h, options: Plain).Dequantize());
        double actOrder = HessianWeightedError(h, w, GptqQuantizer.QuantizeInt4(w, Rows, Columns, h, options: ActOrderOnly).Dequantize());
        Assert.True(plain < rtn, $"plain GPTQ {plain} is not below RTN {rtn}");
        Assert.True(actOrder < plain, $"act-order GPTQ {actOrder} is not below plain GPTQ {plain}");
    }

    [Fact]
    public void ActOrderKeepsStaticGroupScalesAndTheOriginalLayout()
    {
        var x = OutlierInputs(13);
        var w = QuantTestData.Gaussian(Rows * Columns, 14);
        const int groupSize = 64;
        var q = GptqQuantizer.QuantizeInt4(w, Rows, Columns, Hessian(x), groupSize, ActOrderOnly);
        var rtn = Int4WeightQuantizer.RoundToNearest(w, Rows, Columns, groupSize);
        // Static groups: each scale is the abs-max scale of a contiguous group of the ORIGINAL weight, as RTN's.
        Assert.Equal((Rows, Columns, groupSize, rtn.Packed.Length), (q.Rows, q.Columns, q.GroupSize, q.Packed.Length));
        Assert.Equal(rtn.Scales, q.Scales);
        // Every dequantized weight is its stored code times the scale of its column's group in the original order.
        var deq = q.Dequantize();
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                Assert.Equal((q.GetCode(r, c) - 8) * rtn.Scales[r * q.GroupsPerRow + c / groupSize], deq[r * Columns + c]);
    }

    [Fact]
    public void ActOrderWithADiagonalHessianIsRoundToNearestInTheOriginalColumns()
    {
        // Uncorrelated inputs of different magnitudes: no error feedback, so the permuted solve must put every
        // column's code back where it came from and equal RTN exactly.
        var h = new double[Columns * Columns];
        var gain = QuantTestData.Gaussian(Columns, 15);
        for (int c = 0; c < Columns; c++) h[c * Columns + c] = Math.Exp(2 * gain[c]);
        var w = QuantTestData.Gaussian(Rows * Columns, 16);
        var q = GptqQuantizer.QuantizeInt4(w, Rows, Columns, h, options: ActOrderOnly);
        Assert.Equal(Int4WeightQuantizer.RoundToNearest(w, Rows, Columns).Packed, q.Packed);
        var search = new GptqOptions { ScaleSearch = Int4ScaleSearch.Default, HessianWeightedScaleSearch = false };
        Assert.Equal(Int4WeightQuantizer.RoundToNearest(w, Rows, Columns, scaleSearch: Int4ScaleSearch.Default).Packed,
            GptqQuantizer.QuantizeInt4(w, Rows, Columns, h, options: search).Packed);
    }

    [Fact]
    public void Int8ActOrderHasLowerHessianWeightedErrorThanPlainGptq()
    {
        var x = OutlierInputs(17);
        var h = Hessian(x);
        var w = QuantTestData.Gaussian(Rows * Columns, 18);
        var plain = GptqQuantizer.QuantizeInt8(w, Rows, Columns, h, Int8WeightGranularity.PerOutputChannel, options: Plain);
        var actOrder = GptqQuantizer.QuantizeInt8(w, Rows, Columns, h, Int8WeightGranularity.PerOutputChannel, options: ActOrderOnly);
        Assert.Equal(plain.Scales, actOrder.Scales);
        double ePlain = HessianWeightedError(h, w, plain.Dequantize()), eActOrder = HessianWeightedError(h, w, actOrder.Dequantize());
        Assert.True(eActOrder < ePlain, $"act-order {eActOrder} is not below plain {ePlain}");
    }

    [Fact]
    public void ScaleSearchLowersGptqHessianWeightedError()
    {
        var x = OutlierInputs(19);
        var h = Hessian(x);
        var w = QuantTestData.Gaussian(Rows * Columns, 20);
        double absMax = HessianWeightedError(h, w, GptqQuantizer.QuantizeInt4(w, Rows, Columns, h, options: ActOrderOnly).Dequantize());
        double searched = HessianWeightedError(h, w, GptqQuantizer.QuantizeInt4(w, Rows, Columns, h).Dequantize()); // the defaults: act-order + search
        Assert.True(searched < absMax, $"with the scale search {searched}, without {absMax}");
    }

    [Fact]
    public void DampeningHandlesASingularHessian()
    {
        // 16 tokens for 64 inputs (rank <= 16), and inputs 3 and 40 always zero (dead).
        const int tokens = 16, columns = 64, rows = 6;
        var x = QuantTestData.Gaussian(tokens * columns, 6);
        for (int t = 0; t < tokens; t++) x[t * columns + 3] = x[t * columns + 40] = 0;
        var acc = new HessianAccumulator(columns);
        acc.Add(x, tokens);
        var w = QuantTestData.Gaussian(rows * columns, 7);
        var q = GptqQuantizer.QuantizeInt4(w, rows, columns, acc.GetHessian(), groupSize: 32);
        var deq = q.Dequantize();
        Assert.All(deq, v => Assert.True(float.IsFinite(v)));
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(0f, deq[r * columns + 3]); // dead inputs get weight 0
            Assert.Equal(0f, deq[r * columns + 40]);
        }
        var q8 = GptqQuantizer.QuantizeInt8(w, rows, columns, acc.GetHessian(), Int8WeightGranularity.PerTensor);
        Assert.All(q8.Dequantize(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void IndefiniteHessianIsAClearError()
    {
        double[] h = [1, 2, 2, 1]; // eigenvalues 3 and -1: not a Gram matrix
        var e = Assert.Throws<InvalidOperationException>(() =>
            GptqQuantizer.QuantizeInt4(new float[] { 1, 2, 3, 4 }, 2, 2, h, groupSize: 2, new GptqOptions { DampeningFraction = 0 }));
        Assert.Contains("DampeningFraction", e.Message);
        Assert.Throws<ArgumentException>(() => GptqQuantizer.QuantizeInt4(new float[4], 2, 2, new double[9], groupSize: 2));
    }
}
