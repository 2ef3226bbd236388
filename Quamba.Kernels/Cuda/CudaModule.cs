using System.Text;

namespace Quamba.Kernels.Cuda;

/// <summary>
/// A PTX module JIT-compiled by the driver (cuModuleLoadDataEx) with ptxas's logs captured: the info log
/// (verbose: registers, spills, shared memory per entry) is kept, and the error log goes into the exception
/// when the driver rejects the PTX.
/// </summary>
public sealed unsafe class CudaModule : IDisposable
{
    private const int LogBytes = 64 * 1024;

    private readonly ModuleHandle _module;
    private readonly Dictionary<string, CudaFunction> _functions = new(StringComparer.Ordinal);

    private CudaModule(CudaContext context, ModuleHandle module, string name, string infoLog, float jitMilliseconds)
    {
        Context = context;
        _module = module;
        Name = name;
        InfoLog = infoLog;
        JitMilliseconds = jitMilliseconds;
    }

    public CudaContext Context { get; }

    /// <summary>The name given at load (the kernel's name for generated modules), used in messages.</summary>
    public string Name { get; }

    /// <summary>ptxas's informational output for this module (may be empty).</summary>
    public string InfoLog { get; }

    /// <summary>Wall-clock time the driver spent compiling and linking, as it reports it.</summary>
    public float JitMilliseconds { get; }

    internal static CudaModule Load(CudaContext context, ReadOnlySpan<byte> ptx, string name)
    {
        if (ptx.IsEmpty) throw new ArgumentException("The PTX module is empty.", nameof(ptx));
        // The driver reads the image as a NUL-terminated string.
        bool terminated = ptx[^1] == 0;
        var image = new byte[terminated ? ptx.Length : ptx.Length + 1];
        ptx.CopyTo(image);
        var info = new byte[LogBytes];
        var error = new byte[LogBytes];

        context.MakeCurrent();
        int result;
        IntPtr module;
        float wallMs;
        fixed (byte* imagePtr = image, infoPtr = info, errorPtr = error)
        {
            JitOption* options = stackalloc JitOption[6];
            void** values = stackalloc void*[6];
            options[0] = JitOption.InfoLogBuffer; values[0] = infoPtr;
            options[1] = JitOption.InfoLogBufferSizeBytes; values[1] = (void*)(nint)LogBytes;
            options[2] = JitOption.ErrorLogBuffer; values[2] = errorPtr;
            options[3] = JitOption.ErrorLogBufferSizeBytes; values[3] = (void*)(nint)LogBytes;
            options[4] = JitOption.LogVerbose; values[4] = (void*)1;
            options[5] = JitOption.WallTime; values[5] = null; // the driver writes a float into this slot
            result = CudaNative.cuModuleLoadDataEx(out module, imagePtr, 6, options, values);
            wallMs = *(float*)&values[5];
        }
        string infoLog = ReadLog(info), errorLog = ReadLog(error);
        if (result != CudaNative.Success)
        {
            (string errorName, string text) = CudaCheck.Describe(result);
            string message = $"Loading PTX module {name} (cuModuleLoadDataEx) failed: {errorName} ({text}). " +
                             (errorName == "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"
                                 ? "The module's .version is newer than this driver supports: update the NVIDIA driver. "
                                 : "The driver's JIT compiler rejected the PTX; fix the generator or kernel that produced it. ") +
                             $"JIT error log:{Environment.NewLine}{(errorLog.Length == 0 ? "(empty)" : errorLog)}" +
                             (infoLog.Length == 0 ? "" : $"{Environment.NewLine}JIT info log:{Environment.NewLine}{infoLog}");
            throw new CudaException(message, result, errorName, errorLog, infoLog);
        }
        return new CudaModule(context, new ModuleHandle(context.Handle, module), name, infoLog, wallMs);
    }

    /// <summary>The <c>.entry</c> named <paramref name="entryPoint"/> (looked up once).</summary>
    public CudaFunction GetFunction(string entryPoint)
    {
        ArgumentNullException.ThrowIfNull(entryPoint);
        lock (_functions)
        {
            ObjectDisposedException.ThrowIf(_module.IsClosed, this);
            if (_functions.TryGetValue(entryPoint, out CudaFunction? existing)) return existing;
            Context.MakeCurrent();
            byte[] utf8 = Encoding.UTF8.GetBytes(entryPoint + "\0");
            int result;
            IntPtr function;
            fixed (byte* n = utf8) result = CudaNative.cuModuleGetFunction(out function, _module.DangerousGetHandle(), n);
            if (result != CudaNative.Success)
                throw CudaCheck.Error(result, $"cuModuleGetFunction(\"{entryPoint}\") in module {Name}",
                    "The module has no such .entry: check the entry name (PTX names are case-sensitive and must be .visible .entry).");
            var created = new CudaFunction(this, function, entryPoint);
            _functions.Add(entryPoint, created);
            return created;
        }
    }

    internal void EnsureLoaded() => ObjectDisposedException.ThrowIf(_module.IsClosed, this);

    public void Dispose() => _module.Dispose();

    private static string ReadLog(byte[] buffer)
    {
        int end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end).TrimEnd();
    }
}
