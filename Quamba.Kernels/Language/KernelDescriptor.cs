namespace Quamba.Kernels;

/// <summary>
/// What the generator emits for each compiled kernel instance: its PTX module (UTF-8, no trailing NUL), the
/// entry name, and the minimum architecture and PTX ISA version its instructions need (e.g. 80 = sm_80,
/// 78 = PTX 7.8). The runtime checks the last two against the device and driver before loading.
/// </summary>
public sealed class KernelDescriptor
{
    public KernelDescriptor(string name, string entryPoint, byte[] ptx, int minimumSm, int ptxVersion)
    {
        Name = name;
        EntryPoint = entryPoint;
        Ptx = ptx;
        MinimumSm = minimumSm;
        PtxVersion = ptxVersion;
    }

    /// <summary>Fully qualified kernel name, with type arguments for a specialisation.</summary>
    public string Name { get; }

    public string EntryPoint { get; }

    public byte[] Ptx { get; }

    public int MinimumSm { get; }

    public int PtxVersion { get; }

    public override string ToString() => $"{Name} (sm_{MinimumSm}, PTX {PtxVersion / 10}.{PtxVersion % 10})";
}
