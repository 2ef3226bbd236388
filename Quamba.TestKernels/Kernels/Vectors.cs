namespace Quamba.TestKernels.Kernels;

/// <summary>Four floats (16 bytes): a span of these is read and written with 128-bit ld/st.v4.f32.</summary>
public struct Float4
{
    public float X;
    public float Y;
    public float Z;
    public float W;

    public Float4(float x, float y, float z, float w)
    {
        X = x;
        Y = y;
        Z = z;
        W = w;
    }
}

/// <summary>Four uints (16 bytes): 16 packed int8 values, loaded with one 128-bit ld.v4.u32.</summary>
public struct UInt4
{
    public uint X;
    public uint Y;
    public uint Z;
    public uint W;
}
