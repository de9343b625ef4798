using System;
using System.Runtime.InteropServices;

namespace KeOpsGen.Cuda;

/// <summary>
/// The process's CUDA state: the primary context of device 0 (shared with any other library in
/// the process that uses the runtime API) and one stream that every KeOpsGen call is queued on.
/// Created on first use; calls are serialized on <see cref="Gate"/>.
/// </summary>
internal static unsafe class CudaContext
{
    private static IntPtr s_context;
    private static IntPtr s_stream;
    private static string? s_deviceName;

    /// <summary>Held for the whole of a GPU call: one stream, shared device buffers.</summary>
    public static object Gate { get; } = new();

    public static IntPtr Stream => s_stream;

    /// <summary>The device's name (e.g. "NVIDIA H100 80GB HBM3"), after <see cref="EnsureCurrent"/>.</summary>
    public static string DeviceName => s_deviceName ?? string.Empty;

    /// <summary>Makes the primary context current on this thread, creating it the first time.</summary>
    /// <exception cref="InvalidOperationException">No CUDA driver or device.</exception>
    public static void EnsureCurrent()
    {
        string? reason = CudaDriver.UnavailableReason;
        if (reason is not null)
        {
            throw new InvalidOperationException($"Backend.Cuda was requested but {reason}.");
        }

        if (s_context == IntPtr.Zero)
        {
            int device;
            CudaDriver.Check(CudaDriver.cuDeviceGet(&device, 0), "cuDeviceGet");
            IntPtr context;
            CudaDriver.Check(CudaDriver.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
            CudaDriver.Check(CudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            IntPtr stream;
            // CU_STREAM_NON_BLOCKING (1): no implicit synchronization with the legacy default stream.
            CudaDriver.Check(CudaDriver.cuStreamCreate(&stream, 1), "cuStreamCreate");
            byte* name = stackalloc byte[256];
            s_deviceName = CudaDriver.cuDeviceGetName(name, 256, device) == 0 ? Marshal.PtrToStringUTF8((IntPtr)name) : null;
            s_stream = stream;
            s_context = context;
        }
        else
        {
            // The context is per thread in the driver API: callers may arrive on any pool thread.
            CudaDriver.Check(CudaDriver.cuCtxSetCurrent(s_context), "cuCtxSetCurrent");
        }
    }

    public static void Synchronize() => CudaDriver.Check(CudaDriver.cuStreamSynchronize(s_stream), "cuStreamSynchronize");
}
