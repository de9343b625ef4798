using System;
using System.Runtime.InteropServices;
using System.Text;

namespace KeOpsGen.Cuda;

/// <summary>
/// The few CUDA driver API entry points KeOpsGen uses, resolved lazily from libcuda.so.1 (Linux)
/// or nvcuda.dll (Windows) with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>: a machine
/// without a driver is detected once, without exceptions, and the CPU keeps working. Function
/// pointers (not DllImport) keep this trimming- and AOT-safe.
/// </summary>
internal static unsafe class CudaDriver
{
    private static readonly object s_gate = new();
    private static bool s_probed;
    private static string? s_unavailableReason;

    // cuXxx entry points; the _v2 names are the 64-bit ABI the headers map the plain names to.
    public static delegate* unmanaged<uint, int> cuInit;
    public static delegate* unmanaged<int*, int> cuDeviceGetCount;
    public static delegate* unmanaged<int*, int, int> cuDeviceGet;
    public static delegate* unmanaged<byte*, int, int, int> cuDeviceGetName;
    public static delegate* unmanaged<IntPtr*, int, int> cuDevicePrimaryCtxRetain;
    public static delegate* unmanaged<IntPtr, int> cuCtxSetCurrent;
    public static delegate* unmanaged<IntPtr*, void*, uint, int*, void**, int> cuModuleLoadDataEx;
    public static delegate* unmanaged<IntPtr*, IntPtr, byte*, int> cuModuleGetFunction;
    public static delegate* unmanaged<ulong*, nuint, int> cuMemAlloc;
    public static delegate* unmanaged<ulong, int> cuMemFree;
    public static delegate* unmanaged<ulong, void*, nuint, IntPtr, int> cuMemcpyHtoDAsync;
    public static delegate* unmanaged<void*, ulong, nuint, IntPtr, int> cuMemcpyDtoHAsync;
    public static delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int> cuLaunchKernel;
    public static delegate* unmanaged<IntPtr*, uint, int> cuStreamCreate;
    public static delegate* unmanaged<IntPtr, int> cuStreamSynchronize;
    public static delegate* unmanaged<int, byte**, int> cuGetErrorName;

    /// <summary>The library name tried on this OS.</summary>
    public static string LibraryName => OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";

    /// <summary>True when the driver loaded and cuInit found at least one device.</summary>
    public static bool IsAvailable => UnavailableReason is null;

    /// <summary>Why CUDA cannot be used here (no driver, no device, init failure), or null.</summary>
    public static string? UnavailableReason
    {
        get
        {
            lock (s_gate)
            {
                if (!s_probed)
                {
                    s_unavailableReason = Probe();
                    s_probed = true;
                }

                return s_unavailableReason;
            }
        }
    }

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> unless <paramref name="result"/> is CUDA_SUCCESS.</summary>
    public static void Check(int result, string call, string? detail = null)
    {
        if (result != 0)
        {
            throw new CudaException(call, result, ErrorName(result), detail);
        }
    }

    public static string ErrorName(int result)
    {
        if (cuGetErrorName != null)
        {
            byte* name = null;
            if (cuGetErrorName(result, &name) == 0 && name != null)
            {
                return Marshal.PtrToStringUTF8((IntPtr)name) ?? "CUDA_ERROR_UNKNOWN";
            }
        }

        return "CUDA_ERROR_UNKNOWN";
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return "no CUDA driver on this operating system";
        }

        if (!NativeLibrary.TryLoad(LibraryName, out IntPtr library))
        {
            return $"no CUDA driver found: {LibraryName} could not be loaded";
        }

        string? missing = Bind(library);
        if (missing is not null)
        {
            return $"the CUDA driver {LibraryName} lacks {missing} (driver too old?)";
        }

        int result = cuInit(0);
        if (result != 0)
        {
            return $"cuInit failed with {ErrorName(result)} ({result}): no usable CUDA device";
        }

        int count = 0;
        result = cuDeviceGetCount(&count);
        if (result != 0 || count == 0)
        {
            return "the CUDA driver reports no device";
        }

        return null;
    }

    /// <summary>Resolves every entry point; returns the first missing name, or null.</summary>
    private static string? Bind(IntPtr library)
    {
        IntPtr p;
        if (!Resolve(library, "cuInit", out p)) { return "cuInit"; }
        cuInit = (delegate* unmanaged<uint, int>)p;
        if (!Resolve(library, "cuDeviceGetCount", out p)) { return "cuDeviceGetCount"; }
        cuDeviceGetCount = (delegate* unmanaged<int*, int>)p;
        if (!Resolve(library, "cuDeviceGet", out p)) { return "cuDeviceGet"; }
        cuDeviceGet = (delegate* unmanaged<int*, int, int>)p;
        if (!Resolve(library, "cuDeviceGetName", out p)) { return "cuDeviceGetName"; }
        cuDeviceGetName = (delegate* unmanaged<byte*, int, int, int>)p;
        if (!Resolve(library, "cuDevicePrimaryCtxRetain", out p)) { return "cuDevicePrimaryCtxRetain"; }
        cuDevicePrimaryCtxRetain = (delegate* unmanaged<IntPtr*, int, int>)p;
        if (!Resolve(library, "cuCtxSetCurrent", out p)) { return "cuCtxSetCurrent"; }
        cuCtxSetCurrent = (delegate* unmanaged<IntPtr, int>)p;
        if (!Resolve(library, "cuModuleLoadDataEx", out p)) { return "cuModuleLoadDataEx"; }
        cuModuleLoadDataEx = (delegate* unmanaged<IntPtr*, void*, uint, int*, void**, int>)p;
        if (!Resolve(library, "cuModuleGetFunction", out p)) { return "cuModuleGetFunction"; }
        cuModuleGetFunction = (delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)p;
        if (!Resolve(library, "cuMemAlloc_v2", out p)) { return "cuMemAlloc_v2"; }
        cuMemAlloc = (delegate* unmanaged<ulong*, nuint, int>)p;
        if (!Resolve(library, "cuMemFree_v2", out p)) { return "cuMemFree_v2"; }
        cuMemFree = (delegate* unmanaged<ulong, int>)p;
        if (!Resolve(library, "cuMemcpyHtoDAsync_v2", out p)) { return "cuMemcpyHtoDAsync_v2"; }
        cuMemcpyHtoDAsync = (delegate* unmanaged<ulong, void*, nuint, IntPtr, int>)p;
        if (!Resolve(library, "cuMemcpyDtoHAsync_v2", out p)) { return "cuMemcpyDtoHAsync_v2"; }
        cuMemcpyDtoHAsync = (delegate* unmanaged<void*, ulong, nuint, IntPtr, int>)p;
        if (!Resolve(library, "cuLaunchKernel", out p)) { return "cuLaunchKernel"; }
        cuLaunchKernel = (delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int>)p;
        if (!Resolve(library, "cuStreamCreate", out p)) { return "cuStreamCreate"; }
        cuStreamCreate = (delegate* unmanaged<IntPtr*, uint, int>)p;
        if (!Resolve(library, "cuStreamSynchronize", out p)) { return "cuStreamSynchronize"; }
        cuStreamSynchronize = (delegate* unmanaged<IntPtr, int>)p;
        if (!Resolve(library, "cuGetErrorName", out p)) { return "cuGetErrorName"; }
        cuGetErrorName = (delegate* unmanaged<int, byte**, int>)p;
        return null;
    }

    private static bool Resolve(IntPtr library, string name, out IntPtr address)
        => NativeLibrary.TryGetExport(library, name, out address) && address != IntPtr.Zero;

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>.</summary>
    public static byte[] Utf8Z(string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        var bytes = new byte[length + 1];
        Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
        return bytes;
    }
}
