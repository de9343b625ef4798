using System;
using System.Collections.Generic;
using System.Text;

namespace KeOpsGen.Cuda;

/// <summary>
/// PTX text → loaded module and entry function, once per process: the driver JIT-compiles the
/// PTX for the device on first load (and caches the result on disk itself). Callers hold
/// <see cref="CudaContext.Gate"/>.
/// </summary>
internal static unsafe class CudaModuleCache
{
    private static readonly Dictionary<string, IntPtr> s_functions = new(StringComparer.Ordinal);

    public static int Count => s_functions.Count;

    public static IntPtr Function(CudaKernelInfo kernel)
    {
        if (s_functions.TryGetValue(kernel.Ptx, out IntPtr function))
        {
            return function;
        }

        IntPtr module = Load(kernel.Ptx, kernel.EntryName);
        byte[] name = CudaDriver.Utf8Z(kernel.EntryName);
        fixed (byte* n = name)
        {
            CudaDriver.Check(CudaDriver.cuModuleGetFunction(&function, module, n), "cuModuleGetFunction", kernel.EntryName);
        }

        s_functions[kernel.Ptx] = function;
        return function;
    }

    /// <summary>Loads PTX with the JIT's error log attached, so a rejected kernel says why.</summary>
    private static IntPtr Load(string ptx, string entry)
    {
        const int logSize = 8192;
        byte[] image = CudaDriver.Utf8Z(ptx);
        byte* log = stackalloc byte[logSize];
        log[0] = 0;
        // CU_JIT_ERROR_LOG_BUFFER (5) and CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES (6): values are passed in the pointer slots.
        int* options = stackalloc int[] { 5, 6 };
        void** values = stackalloc void*[] { log, (void*)logSize };
        IntPtr module;
        int result;
        fixed (byte* p = image)
        {
            result = CudaDriver.cuModuleLoadDataEx(&module, p, 2, options, values);
        }

        if (result != 0)
        {
            int length = 0;
            while (length < logSize && log[length] != 0)
            {
                length++;
            }

            string jitLog = Encoding.UTF8.GetString(log, length);
            CudaDriver.Check(result, "cuModuleLoadDataEx", $"kernel {entry}: {jitLog}");
        }

        return module;
    }
}
