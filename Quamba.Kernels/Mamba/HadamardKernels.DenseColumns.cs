// Rendered by Quamba.Tests (HadamardDenseColumnsSourceTests) from HadamardTables: do not edit. Set
// QUAMBA_ACCEPT_SNAPSHOTS=1 and run that test to rewrite it.
namespace Quamba.Kernels.Mamba;

// The dense step of one column b for each base order, in HadamardGrouping's order with the signs compiled in:
// group g's inputs z[4g .. 4g + 3] give A = z0 +- z1 and B = z2 +- z3 (a{g}p, a{g}m, b{g}p, b{g}m), its signed sums
// s{g}_k = A +- B, and each output y[c] adds one per group. Input a is at row[z + SegmentFloats(2^k, a)], output c
// at o + c 2^k.
public static partial class HadamardKernels
{
    /// <summary>H_12's 12 outputs of one column.</summary>
    private static void DenseColumn12<TShape, TOutput>(DeviceSpan<float> row, int z, RowOutput output, int o, DeviceSpan<sbyte> codes, DeviceSpan<float> floats)
        where TShape : IHadamardShape where TOutput : IOutputKind
    {
        float z0 = row[z], z1 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 1)], z2 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 2)], z3 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 3)];
        float a0p = z0 + z1, a0m = z0 - z1, b0p = z2 + z3, b0m = z2 - z3;
        float s0_0 = a0p + b0p, s0_1 = a0m + b0p, s0_2 = a0p + b0m, s0_3 = a0m + b0m, s0_4 = a0p - b0p, s0_5 = a0m - b0p, s0_6 = a0p - b0m, s0_7 = a0m - b0m;
        float z4 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 4)], z5 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 5)], z6 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 6)], z7 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 7)];
        float a1p = z4 + z5, a1m = z4 - z5, b1p = z6 + z7, b1m = z6 - z7;
        float s1_0 = a1p + b1p, s1_1 = a1m + b1p, s1_2 = a1p + b1m, s1_3 = a1m + b1m, s1_4 = a1p - b1p, s1_5 = a1m - b1p, s1_6 = a1p - b1m, s1_7 = a1m - b1m;
        float z8 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 8)], z9 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 9)], z10 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 10)], z11 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 11)];
        float a2p = z8 + z9, a2m = z8 - z9, b2p = z10 + z11, b2m = z10 - z11;
        float s2_0 = a2p + b2p, s2_1 = a2m + b2p, s2_2 = a2p + b2m, s2_3 = a2m + b2m, s2_4 = a2p - b2p, s2_5 = a2m - b2p, s2_6 = a2p - b2m, s2_7 = a2m - b2m;
        float y0 = s0_5 - s1_0 - s2_0;
        float y1 = s0_6 - s1_2 + s2_6;
        float y2 = s0_2 + s1_5 + s2_2;
        float y3 = s0_1 - s1_1 - s2_5;
        float y4 = s0_6 + s1_3 - s2_4;
        float y5 = s0_2 + s1_6 - s2_2;
        float y6 = s0_0 - s1_7 + s2_5;
        float y7 = s0_1 + s1_1 - s2_1;
        float y8 = s0_7 + s1_6 + s2_3;
        float y9 = s0_5 + s1_2 + s2_6;
        float y10 = s0_4 - s1_5 - s2_7;
        float y11 = s0_3 - s1_4 + s2_1;
        if (TOutput.Quantizes)
        {
            codes[o] = ReciprocalQuantization.QuantizeProduct(y0, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y1, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 2 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y2, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 3 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y3, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 4 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y4, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 5 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y5, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 6 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y6, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 7 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y7, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 8 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y8, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 9 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y9, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 10 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y10, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 11 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y11, output.Normalisation, output.Scale, output.ProductReciprocal);
        }
        else
        {
            floats[o] = y0 * output.Normalisation;
            floats[o + TShape.WalshSize] = y1 * output.Normalisation;
            floats[o + 2 * TShape.WalshSize] = y2 * output.Normalisation;
            floats[o + 3 * TShape.WalshSize] = y3 * output.Normalisation;
            floats[o + 4 * TShape.WalshSize] = y4 * output.Normalisation;
            floats[o + 5 * TShape.WalshSize] = y5 * output.Normalisation;
            floats[o + 6 * TShape.WalshSize] = y6 * output.Normalisation;
            floats[o + 7 * TShape.WalshSize] = y7 * output.Normalisation;
            floats[o + 8 * TShape.WalshSize] = y8 * output.Normalisation;
            floats[o + 9 * TShape.WalshSize] = y9 * output.Normalisation;
            floats[o + 10 * TShape.WalshSize] = y10 * output.Normalisation;
            floats[o + 11 * TShape.WalshSize] = y11 * output.Normalisation;
        }
    }

    /// <summary>H_20's 20 outputs of one column.</summary>
    private static void DenseColumn20<TShape, TOutput>(DeviceSpan<float> row, int z, RowOutput output, int o, DeviceSpan<sbyte> codes, DeviceSpan<float> floats)
        where TShape : IHadamardShape where TOutput : IOutputKind
    {
        float z0 = row[z], z1 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 1)], z2 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 2)], z3 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 3)];
        float a0p = z0 + z1, a0m = z0 - z1, b0p = z2 + z3, b0m = z2 - z3;
        float s0_0 = a0p + b0p, s0_1 = a0m + b0p, s0_2 = a0p + b0m, s0_3 = a0m + b0m, s0_4 = a0p - b0p, s0_5 = a0m - b0p, s0_6 = a0p - b0m, s0_7 = a0m - b0m;
        float z4 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 4)], z5 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 5)], z6 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 6)], z7 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 7)];
        float a1p = z4 + z5, a1m = z4 - z5, b1p = z6 + z7, b1m = z6 - z7;
        float s1_0 = a1p + b1p, s1_1 = a1m + b1p, s1_2 = a1p + b1m, s1_3 = a1m + b1m, s1_4 = a1p - b1p, s1_5 = a1m - b1p, s1_6 = a1p - b1m, s1_7 = a1m - b1m;
        float z8 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 8)], z9 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 9)], z10 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 10)], z11 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 11)];
        float a2p = z8 + z9, a2m = z8 - z9, b2p = z10 + z11, b2m = z10 - z11;
        float s2_0 = a2p + b2p, s2_1 = a2m + b2p, s2_2 = a2p + b2m, s2_3 = a2m + b2m, s2_4 = a2p - b2p, s2_5 = a2m - b2p, s2_6 = a2p - b2m, s2_7 = a2m - b2m;
        float z12 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 12)], z13 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 13)], z14 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 14)], z15 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 15)];
        float a3p = z12 + z13, a3m = z12 - z13, b3p = z14 + z15, b3m = z14 - z15;
        float s3_0 = a3p + b3p, s3_1 = a3m + b3p, s3_2 = a3p + b3m, s3_3 = a3m + b3m, s3_4 = a3p - b3p, s3_5 = a3m - b3p, s3_6 = a3p - b3m, s3_7 = a3m - b3m;
        float z16 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 16)], z17 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 17)], z18 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 18)], z19 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 19)];
        float a4p = z16 + z17, a4m = z16 - z17, b4p = z18 + z19, b4m = z18 - z19;
        float s4_0 = a4p + b4p, s4_1 = a4m + b4p, s4_2 = a4p + b4m, s4_3 = a4m + b4m, s4_4 = a4p - b4p, s4_5 = a4m - b4p, s4_6 = a4p - b4m, s4_7 = a4m - b4m;
        float y0 = s0_5 - s1_0 - s2_0 - s3_0 - s4_0;
        float y1 = s0_6 + s1_5 - s2_3 - s3_5 + s4_7;
        float y2 = s0_2 + s1_4 - s2_6 + s3_1 + s4_4;
        float y3 = s0_1 - s1_7 - s2_2 - s3_3 + s4_2;
        float y4 = s0_7 + s1_1 - s2_0 + s3_3 + s4_0;
        float y5 = s0_4 + s1_6 + s2_5 - s3_3 - s4_5;
        float y6 = s0_2 - s1_7 + s2_4 - s3_6 + s4_1;
        float y7 = s0_0 - s1_4 - s2_7 - s3_2 - s4_3;
        float y8 = s0_0 + s1_7 + s2_1 - s3_0 + s4_3;
        float y9 = s0_1 + s1_4 + s2_6 + s3_5 - s4_3;
        float y10 = s0_6 + s1_2 - s2_7 + s3_4 - s4_6;
        float y11 = s0_3 + s1_0 - s2_4 - s3_7 - s4_2;
        float y12 = s0_6 - s1_5 + s2_7 + s3_1 - s4_0;
        float y13 = s0_3 + s1_1 + s2_4 + s3_6 + s4_5;
        float y14 = s0_7 - s1_3 + s2_2 - s3_7 + s4_4;
        float y15 = s0_5 + s1_3 + s2_0 - s3_4 - s4_7;
        float y16 = s0_5 - s1_3 - s2_5 + s3_7 + s4_1;
        float y17 = s0_4 - s1_6 + s2_1 + s3_4 + s4_6;
        float y18 = s0_2 - s1_2 - s2_3 + s3_2 - s4_7;
        float y19 = s0_1 - s1_0 + s2_3 + s3_0 - s4_4;
        if (TOutput.Quantizes)
        {
            codes[o] = ReciprocalQuantization.QuantizeProduct(y0, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y1, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 2 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y2, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 3 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y3, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 4 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y4, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 5 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y5, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 6 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y6, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 7 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y7, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 8 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y8, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 9 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y9, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 10 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y10, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 11 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y11, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 12 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y12, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 13 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y13, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 14 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y14, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 15 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y15, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 16 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y16, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 17 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y17, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 18 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y18, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 19 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y19, output.Normalisation, output.Scale, output.ProductReciprocal);
        }
        else
        {
            floats[o] = y0 * output.Normalisation;
            floats[o + TShape.WalshSize] = y1 * output.Normalisation;
            floats[o + 2 * TShape.WalshSize] = y2 * output.Normalisation;
            floats[o + 3 * TShape.WalshSize] = y3 * output.Normalisation;
            floats[o + 4 * TShape.WalshSize] = y4 * output.Normalisation;
            floats[o + 5 * TShape.WalshSize] = y5 * output.Normalisation;
            floats[o + 6 * TShape.WalshSize] = y6 * output.Normalisation;
            floats[o + 7 * TShape.WalshSize] = y7 * output.Normalisation;
            floats[o + 8 * TShape.WalshSize] = y8 * output.Normalisation;
            floats[o + 9 * TShape.WalshSize] = y9 * output.Normalisation;
            floats[o + 10 * TShape.WalshSize] = y10 * output.Normalisation;
            floats[o + 11 * TShape.WalshSize] = y11 * output.Normalisation;
            floats[o + 12 * TShape.WalshSize] = y12 * output.Normalisation;
            floats[o + 13 * TShape.WalshSize] = y13 * output.Normalisation;
            floats[o + 14 * TShape.WalshSize] = y14 * output.Normalisation;
            floats[o + 15 * TShape.WalshSize] = y15 * output.Normalisation;
            floats[o + 16 * TShape.WalshSize] = y16 * output.Normalisation;
            floats[o + 17 * TShape.WalshSize] = y17 * output.Normalisation;
            floats[o + 18 * TShape.WalshSize] = y18 * output.Normalisation;
            floats[o + 19 * TShape.WalshSize] = y19 * output.Normalisation;
        }
    }

    /// <summary>H_28's 28 outputs of one column.</summary>
    private static void DenseColumn28<TShape, TOutput>(DeviceSpan<float> row, int z, RowOutput output, int o, DeviceSpan<sbyte> codes, DeviceSpan<float> floats)
        where TShape : IHadamardShape where TOutput : IOutputKind
    {
        float z0 = row[z], z1 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 1)], z2 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 2)], z3 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 3)];
        float a0p = z0 + z1, a0m = z0 - z1, b0p = z2 + z3, b0m = z2 - z3;
        float s0_0 = a0p + b0p, s0_1 = a0m + b0p, s0_2 = a0p + b0m, s0_3 = a0m + b0m, s0_4 = a0p - b0p, s0_5 = a0m - b0p, s0_6 = a0p - b0m, s0_7 = a0m - b0m;
        float z4 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 4)], z5 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 5)], z6 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 6)], z7 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 7)];
        float a1p = z4 + z5, a1m = z4 - z5, b1p = z6 + z7, b1m = z6 - z7;
        float s1_0 = a1p + b1p, s1_1 = a1m + b1p, s1_2 = a1p + b1m, s1_3 = a1m + b1m, s1_4 = a1p - b1p, s1_5 = a1m - b1p, s1_6 = a1p - b1m, s1_7 = a1m - b1m;
        float z8 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 8)], z9 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 9)], z10 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 10)], z11 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 11)];
        float a2p = z8 + z9, a2m = z8 - z9, b2p = z10 + z11, b2m = z10 - z11;
        float s2_0 = a2p + b2p, s2_1 = a2m + b2p, s2_2 = a2p + b2m, s2_3 = a2m + b2m, s2_4 = a2p - b2p, s2_5 = a2m - b2p, s2_6 = a2p - b2m, s2_7 = a2m - b2m;
        float z12 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 12)], z13 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 13)], z14 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 14)], z15 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 15)];
        float a3p = z12 + z13, a3m = z12 - z13, b3p = z14 + z15, b3m = z14 - z15;
        float s3_0 = a3p + b3p, s3_1 = a3m + b3p, s3_2 = a3p + b3m, s3_3 = a3m + b3m, s3_4 = a3p - b3p, s3_5 = a3m - b3p, s3_6 = a3p - b3m, s3_7 = a3m - b3m;
        float z16 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 16)], z17 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 17)], z18 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 18)], z19 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 19)];
        float a4p = z16 + z17, a4m = z16 - z17, b4p = z18 + z19, b4m = z18 - z19;
        float s4_0 = a4p + b4p, s4_1 = a4m + b4p, s4_2 = a4p + b4m, s4_3 = a4m + b4m, s4_4 = a4p - b4p, s4_5 = a4m - b4p, s4_6 = a4p - b4m, s4_7 = a4m - b4m;
        float z20 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 20)], z21 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 21)], z22 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 22)], z23 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 23)];
        float a5p = z20 + z21, a5m = z20 - z21, b5p = z22 + z23, b5m = z22 - z23;
        float s5_0 = a5p + b5p, s5_1 = a5m + b5p, s5_2 = a5p + b5m, s5_3 = a5m + b5m, s5_4 = a5p - b5p, s5_5 = a5m - b5p, s5_6 = a5p - b5m, s5_7 = a5m - b5m;
        float z24 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 24)], z25 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 25)], z26 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 26)], z27 = row[z + HadamardLayout.SegmentFloats(TShape.WalshSize, 27)];
        float a6p = z24 + z25, a6m = z24 - z25, b6p = z26 + z27, b6m = z26 - z27;
        float s6_0 = a6p + b6p, s6_1 = a6m + b6p, s6_2 = a6p + b6m, s6_3 = a6m + b6m, s6_4 = a6p - b6p, s6_5 = a6m - b6p, s6_6 = a6p - b6m, s6_7 = a6m - b6m;
        float y0 = s0_1 + s1_0 + s2_0 + s3_0 + s4_0 + s5_0 + s6_0;
        float y1 = -s0_6 + s1_3 + s2_3 + s3_3 + s4_3 + s5_3 + s6_3;
        float y2 = s0_2 + s1_4 + s2_0 - s3_0 - s4_0 + s5_0 - s6_4;
        float y3 = s0_5 + s1_7 + s2_3 - s3_3 - s4_3 + s5_3 - s6_7;
        float y4 = s0_0 + s1_1 - s2_4 + s3_4 - s4_0 - s5_4 + s6_4;
        float y5 = s0_3 - s1_6 - s2_7 + s3_7 - s4_3 - s5_7 + s6_7;
        float y6 = s0_4 + s1_2 + s2_4 + s3_0 - s4_0 - s5_0 + s6_0;
        float y7 = s0_7 + s1_5 + s2_7 + s3_3 - s4_3 - s5_3 + s6_3;
        float y8 = s0_0 - s1_4 + s2_1 - s3_4 + s4_4 - s5_0 - s6_4;
        float y9 = s0_3 - s1_7 - s2_6 - s3_7 + s4_7 - s5_3 - s6_7;
        float y10 = s0_0 + s1_4 + s2_2 + s3_4 + s4_0 - s5_0 - s6_0;
        float y11 = s0_3 + s1_7 + s2_5 + s3_7 + s4_3 - s5_3 - s6_3;
        float y12 = s0_4 + s1_0 - s2_4 + s3_1 - s4_4 + s5_4 - s6_0;
        float y13 = s0_7 + s1_3 - s2_7 - s3_6 - s4_7 + s5_7 - s6_3;
        float y14 = s0_4 - s1_4 + s2_4 + s3_2 + s4_4 + s5_0 - s6_0;
        float y15 = s0_7 - s1_7 + s2_7 + s3_5 + s4_7 + s5_3 - s6_3;
        float y16 = s0_4 - s1_0 + s2_0 - s3_4 + s4_1 - s5_4 + s6_4;
        float y17 = s0_7 - s1_3 + s2_3 - s3_7 - s4_6 - s5_7 + s6_7;
        float y18 = s0_4 - s1_0 - s2_4 + s3_4 + s4_2 + s5_4 + s6_0;
        float y19 = s0_7 - s1_3 - s2_7 + s3_7 + s4_5 + s5_7 + s6_3;
        float y20 = s0_0 - s1_0 - s2_0 + s3_0 - s4_4 + s5_1 - s6_4;
        float y21 = s0_3 - s1_3 - s2_3 + s3_3 - s4_7 - s5_6 - s6_7;
        float y22 = s0_0 + s1_4 - s2_0 - s3_4 + s4_4 + s5_2 + s6_4;
        float y23 = s0_3 + s1_7 - s2_3 - s3_7 + s4_7 + s5_5 + s6_7;
        float y24 = s0_4 + s1_0 - s2_0 - s3_0 + s4_0 - s5_4 + s6_1;
        float y25 = s0_7 + s1_3 - s2_3 - s3_3 + s4_3 - s5_7 - s6_6;
        float y26 = s0_0 - s1_4 + s2_4 - s3_0 - s4_4 + s5_4 + s6_2;
        float y27 = s0_3 - s1_7 + s2_7 - s3_3 - s4_7 + s5_7 + s6_5;
        if (TOutput.Quantizes)
        {
            codes[o] = ReciprocalQuantization.QuantizeProduct(y0, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y1, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 2 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y2, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 3 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y3, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 4 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y4, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 5 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y5, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 6 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y6, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 7 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y7, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 8 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y8, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 9 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y9, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 10 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y10, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 11 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y11, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 12 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y12, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 13 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y13, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 14 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y14, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 15 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y15, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 16 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y16, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 17 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y17, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 18 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y18, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 19 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y19, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 20 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y20, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 21 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y21, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 22 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y22, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 23 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y23, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 24 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y24, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 25 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y25, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 26 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y26, output.Normalisation, output.Scale, output.ProductReciprocal);
            codes[o + 27 * TShape.WalshSize] = ReciprocalQuantization.QuantizeProduct(y27, output.Normalisation, output.Scale, output.ProductReciprocal);
        }
        else
        {
            floats[o] = y0 * output.Normalisation;
            floats[o + TShape.WalshSize] = y1 * output.Normalisation;
            floats[o + 2 * TShape.WalshSize] = y2 * output.Normalisation;
            floats[o + 3 * TShape.WalshSize] = y3 * output.Normalisation;
            floats[o + 4 * TShape.WalshSize] = y4 * output.Normalisation;
            floats[o + 5 * TShape.WalshSize] = y5 * output.Normalisation;
            floats[o + 6 * TShape.WalshSize] = y6 * output.Normalisation;
            floats[o + 7 * TShape.WalshSize] = y7 * output.Normalisation;
            floats[o + 8 * TShape.WalshSize] = y8 * output.Normalisation;
            floats[o + 9 * TShape.WalshSize] = y9 * output.Normalisation;
            floats[o + 10 * TShape.WalshSize] = y10 * output.Normalisation;
            floats[o + 11 * TShape.WalshSize] = y11 * output.Normalisation;
            floats[o + 12 * TShape.WalshSize] = y12 * output.Normalisation;
            floats[o + 13 * TShape.WalshSize] = y13 * output.Normalisation;
            floats[o + 14 * TShape.WalshSize] = y14 * output.Normalisation;
            floats[o + 15 * TShape.WalshSize] = y15 * output.Normalisation;
            floats[o + 16 * TShape.WalshSize] = y16 * output.Normalisation;
            floats[o + 17 * TShape.WalshSize] = y17 * output.Normalisation;
            floats[o + 18 * TShape.WalshSize] = y18 * output.Normalisation;
            floats[o + 19 * TShape.WalshSize] = y19 * output.Normalisation;
            floats[o + 20 * TShape.WalshSize] = y20 * output.Normalisation;
            floats[o + 21 * TShape.WalshSize] = y21 * output.Normalisation;
            floats[o + 22 * TShape.WalshSize] = y22 * output.Normalisation;
            floats[o + 23 * TShape.WalshSize] = y23 * output.Normalisation;
            floats[o + 24 * TShape.WalshSize] = y24 * output.Normalisation;
            floats[o + 25 * TShape.WalshSize] = y25 * output.Normalisation;
            floats[o + 26 * TShape.WalshSize] = y26 * output.Normalisation;
            floats[o + 27 * TShape.WalshSize] = y27 * output.Normalisation;
        }
    }
}
