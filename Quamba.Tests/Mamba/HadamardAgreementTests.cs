using Quamba.Kernels.Mamba;
using Quamba.Model.Quantization.Hadamard;

namespace Quamba.Tests.Mamba;

/// <summary>The kernels' Hadamard tables and reference agree with Quamba.Model's HadamardTransform, bit for bit.</summary>
public class HadamardAgreementTests
{
    [Theory]
    [InlineData(12)]
    [InlineData(20)]
    [InlineData(28)]
    [InlineData(40)]
    public void BaseTablesEqualTheModels(int order)
    {
        Assert.Equal(HadamardBaseMatrices.Get(order).ToArray(), HadamardTables.Matrix(order));
        Assert.Equal(HadamardTables.Matrix(order).Select(v => (float)v).ToArray(), HadamardTables.Signs(order));
    }

    [Theory]
    [InlineData(384)]
    [InlineData(512)]
    [InlineData(20)]
    [InlineData(448)]
    [InlineData(640)]
    [InlineData(5120)]
    [InlineData(1536)]
    [InlineData(2560)]
    public void ReferenceEqualsModelTransformBitForBit(int width)
    {
        var transform = HadamardTransform.Create(width);
        var random = new Random(width);
        var input = Enumerable.Range(0, 3 * width).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        input[7] *= 300f;
        var expected = (float[])input.Clone();
        transform.TransformRows(expected, 3);
        var actual = HadamardReference.Rotate(input, width, transform.BaseOrder);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"element {i}: model {expected[i]:R}, reference {actual[i]:R}");
    }

    [Fact]
    public void InstancesDecomposeTheWayTheModelDoes()
    {
        Check<Hadamard384>();
        Check<Hadamard512>();
        Check<Hadamard20>();
        Check<Hadamard448>();
        Check<Hadamard640>();
        Check<Hadamard1536>();
        Check<Hadamard4096>();
        Check<Hadamard8192>();
        Check<Hadamard5120>();

        static void Check<T>() where T : IHadamardShape
        {
            ShapeChecks.ValidateHadamard<T>();
            var transform = HadamardTransform.Create(T.Width);
            Assert.Equal(transform.BaseOrder, T.BaseOrder);
            Assert.Equal(transform.WalshSize, T.WalshSize);
        }
    }
}
