using System;

namespace KeOpsGen.Cuda;

/// <summary>
/// Device memory for <typeparamref name="T"/> values. Buffers only grow: the engine keeps one per
/// argument slot so that repeated calls of the same size allocate nothing.
/// </summary>
internal sealed unsafe class DeviceBuffer<T> : IDisposable where T : unmanaged
{
    public ulong Pointer { get; private set; }

    public long Capacity { get; private set; }

    /// <summary>Ensures room for <paramref name="count"/> values (contents are not kept on growth).</summary>
    public void EnsureCapacity(long count)
    {
        if (count <= Capacity && Pointer != 0)
        {
            return;
        }

        Free();
        ulong pointer;
        CudaDriver.Check(CudaDriver.cuMemAlloc(&pointer, (nuint)(Math.Max(count, 1) * sizeof(T))), "cuMemAlloc_v2", $"{Math.Max(count, 1) * sizeof(T)} bytes");
        Pointer = pointer;
        Capacity = Math.Max(count, 1);
    }

    /// <summary>Queues a copy of <paramref name="count"/> values from host memory on the context's stream.</summary>
    public void Upload(T* source, long count)
    {
        EnsureCapacity(count);
        if (count > 0)
        {
            CudaDriver.Check(CudaDriver.cuMemcpyHtoDAsync(Pointer, source, (nuint)(count * sizeof(T)), CudaContext.Stream), "cuMemcpyHtoDAsync_v2");
        }
    }

    /// <summary>Queues a copy of <paramref name="count"/> values to host memory on the context's stream.</summary>
    public void Download(T* destination, long count)
    {
        if (count > 0)
        {
            CudaDriver.Check(CudaDriver.cuMemcpyDtoHAsync(destination, Pointer, (nuint)(count * sizeof(T)), CudaContext.Stream), "cuMemcpyDtoHAsync_v2");
        }
    }

    public void Dispose() => Free();

    private void Free()
    {
        if (Pointer != 0)
        {
            CudaDriver.cuMemFree(Pointer);
            Pointer = 0;
            Capacity = 0;
        }
    }
}
