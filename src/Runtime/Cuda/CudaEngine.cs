using System;
using System.Collections.Generic;
using System.Diagnostics;
using KeOpsGen.Cpu;

namespace KeOpsGen.Cuda;

/// <summary>Where the time of the last GPU call on this thread went (filled when <see cref="CudaEngine.MeasureTimings"/> is set).</summary>
public readonly record struct CudaTimings(double UploadMilliseconds, double KernelMilliseconds, double DownloadMilliseconds);

/// <summary>
/// The GPU driver for generated kernels: chooses the backend, copies the inputs to device
/// buffers that persist between calls, launches the kernel's PTX entry (one thread per output
/// row, grid = ⌈rows / block⌉) and copies the rows back. Calls are serialized on one stream.
/// </summary>
public static unsafe class CudaEngine
{
    /// <summary>Below this many (row, j) pairs, Backend.Auto stays on the CPU: transfers and launch latency dominate.</summary>
    public const long AutoThreshold = 1L << 22;

    private static readonly List<object> s_buffers = new();

    [ThreadStatic]
    private static CudaTimings t_lastTimings;

    /// <summary>Synchronize between phases and record <see cref="LastTimings"/> (costs a little; for benchmarks).</summary>
    public static bool MeasureTimings { get; set; }

    /// <summary>Phase times of this thread's last GPU call, when <see cref="MeasureTimings"/> was set.</summary>
    public static CudaTimings LastTimings => t_lastTimings;

    /// <summary>The CUDA device's name, or null before the first GPU call.</summary>
    public static string? DeviceName => CudaContext.DeviceName.Length == 0 ? null : CudaContext.DeviceName;

    /// <summary>
    /// Decides where a call runs: the scope's <see cref="ComputeBackend.Override"/>, else the
    /// declared backend. Cuda throws <see cref="InvalidOperationException"/> without a driver;
    /// Auto picks the GPU only when one is present and the call has enough pairs.
    /// </summary>
    public static bool ShouldRun(Backend declared, long outerCount, long innerCount)
    {
        Backend backend = ComputeBackend.Override ?? declared;
        if (global::KeOpsGen.Distributed.ReductionExchange.Current is not null)
        {
            // Only the CPU engine hands its partial states to a distributed merge so far.
            return backend == Backend.Cuda
                ? throw new NotSupportedException("Backend.Cuda inside a distributed call: only the CPU engine exposes partial states for the merge so far. Use Backend.Auto or Backend.Cpu.")
                : false;
        }

        switch (backend)
        {
            case Backend.Cpu:
                return false;
            case Backend.Cuda:
                string? reason = CudaDriver.UnavailableReason;
                if (reason is not null)
                {
                    throw new InvalidOperationException($"Backend.Cuda was requested but {reason}. Use Backend.Auto to fall back to the CPU.");
                }

                return true;
            default:
                return outerCount * innerCount >= AutoThreshold && outerCount > 0 && CudaDriver.IsAvailable;
        }
    }

    /// <summary>out[r, k] = Σ_j F_k(outer r, inner j) on the GPU.</summary>
    /// <param name="kernel">The generated kernel's description.</param>
    /// <param name="inputs">Host pointers to the inputs, in the kernel's launch order.</param>
    /// <param name="outerCount">Output rows.</param>
    /// <param name="innerCount">Rows on the reduced axis.</param>
    /// <param name="output">outerCount × FormulaDim values.</param>
    /// <param name="settings">Cancellation is checked before the launch and after it.</param>
    public static void Sum<T>(CudaKernelInfo kernel, ReadOnlySpan<nint> inputs, int outerCount, int innerCount, T* output, ReductionSettings settings)
        where T : unmanaged
    {
        settings.CancellationToken.ThrowIfCancellationRequested();
        if (outerCount <= 0)
        {
            return;
        }

        if (inputs.Length != kernel.InputCount)
        {
            throw new ArgumentException($"kernel {kernel.EntryName} takes {kernel.InputCount} inputs, got {inputs.Length}", nameof(inputs));
        }

        lock (CudaContext.Gate)
        {
            CudaContext.EnsureCurrent();
            IntPtr function = CudaModuleCache.Function(kernel);
            long start = Stopwatch.GetTimestamp();
            var devicePointers = new ulong[kernel.InputCount + 1];
            for (int k = 0; k < kernel.InputCount; k++)
            {
                DeviceBuffer<T> buffer = Buffer<T>(k);
                buffer.Upload((T*)inputs[k], kernel.InputLength(k, outerCount, innerCount));
                devicePointers[k] = buffer.Pointer;
            }

            long outputLength = (long)outerCount * kernel.FormulaDim;
            DeviceBuffer<T> result = Buffer<T>(kernel.InputCount);
            result.EnsureCapacity(outputLength);
            devicePointers[kernel.InputCount] = result.Pointer;
            long uploaded = Phase();

            Launch(kernel, function, devicePointers, outerCount, innerCount);
            long launched = Phase();
            settings.CancellationToken.ThrowIfCancellationRequested();

            result.Download(output, outputLength);
            CudaContext.Synchronize();
            long downloaded = Stopwatch.GetTimestamp();
            if (MeasureTimings)
            {
                t_lastTimings = new CudaTimings(
                    Stopwatch.GetElapsedTime(start, uploaded).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(uploaded, launched).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(launched, downloaded).TotalMilliseconds);
            }
        }
    }

    /// <summary>Σ over all (outer, inner) pairs: rows on the GPU, then added in double on the host (as the CPU engine does).</summary>
    public static void SumOverRows<T>(CudaKernelInfo kernel, ReadOnlySpan<nint> inputs, int outerCount, int innerCount, T* output, ReductionSettings settings)
        where T : unmanaged
    {
        int dim = kernel.FormulaDim;
        var rows = new T[Math.Max(1, (long)outerCount * dim)];
        fixed (T* buffer = rows)
        {
            Sum(kernel, inputs, outerCount, innerCount, buffer, settings);
        }

        for (int k = 0; k < dim; k++)
        {
            double total = 0;
            for (long r = 0; r < outerCount; r++)
            {
                total += ToDouble(rows[(r * dim) + k]);
            }

            output[k] = FromDouble<T>(total);
        }
    }

    private static void Launch(CudaKernelInfo kernel, IntPtr function, ulong[] devicePointers, int outerCount, int innerCount)
    {
        int count = devicePointers.Length + 2;
        void** arguments = stackalloc void*[count];
        uint outer = (uint)outerCount;
        uint inner = (uint)innerCount;
        fixed (ulong* pointers = devicePointers)
        {
            for (int k = 0; k < devicePointers.Length; k++)
            {
                arguments[k] = pointers + k;
            }

            arguments[devicePointers.Length] = &outer;
            arguments[devicePointers.Length + 1] = &inner;
            uint blocks = (uint)((outerCount + (long)kernel.BlockSize - 1) / kernel.BlockSize);
            // Shared memory is declared statically in the PTX, so the dynamic amount is 0.
            CudaDriver.Check(
                CudaDriver.cuLaunchKernel(function, blocks, 1, 1, (uint)kernel.BlockSize, 1, 1, 0, CudaContext.Stream, arguments, null),
                "cuLaunchKernel",
                kernel.EntryName);
        }
    }

    private static long Phase()
    {
        if (MeasureTimings)
        {
            CudaContext.Synchronize();
        }

        return Stopwatch.GetTimestamp();
    }

    private static DeviceBuffer<T> Buffer<T>(int slot) where T : unmanaged
    {
        while (s_buffers.Count <= slot)
        {
            s_buffers.Add(new object());
        }

        if (s_buffers[slot] is not DeviceBuffer<T> buffer)
        {
            (s_buffers[slot] as IDisposable)?.Dispose();
            buffer = new DeviceBuffer<T>();
            s_buffers[slot] = buffer;
        }

        return buffer;
    }

    private static double ToDouble<T>(T value) where T : unmanaged
        => typeof(T) == typeof(float) ? *(float*)&value : *(double*)&value;

    private static T FromDouble<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float f = (float)value;
            return *(T*)&f;
        }

        return *(T*)&value;
    }
}
