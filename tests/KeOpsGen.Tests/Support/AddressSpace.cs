using System;
using System.Runtime.InteropServices;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// A large read-only region of address space with no memory behind it (an anonymous
/// MAP_NORESERVE mapping, or a reserved range on Windows): spans over it have the lengths of
/// gigabyte inputs, so size limits can be tested without allocating or touching gigabytes.
/// Reading it is never needed: the engine must reject these sizes before it reads anything.
/// </summary>
internal sealed unsafe class AddressSpace : IDisposable
{
    private const int ProtRead = 1;
    private const int MapPrivate = 2;
    private const int MapNoReserve = 0x4000;
    private const uint MemReserve = 0x2000;
    private const uint MemRelease = 0x8000;
    private const uint PageReadOnly = 0x02;

    private readonly nuint _bytes;

    public AddressSpace(long bytes)
    {
        _bytes = (nuint)bytes;
        if (OperatingSystem.IsWindows())
        {
            Pointer = VirtualAlloc(null, _bytes, MemReserve, PageReadOnly);
        }
        else
        {
            int anonymous = OperatingSystem.IsLinux() ? 0x20 : 0x1000;
            int flags = MapPrivate | anonymous | (OperatingSystem.IsLinux() ? MapNoReserve : 0);
            void* p = mmap(null, _bytes, ProtRead, flags, -1, 0);
            Pointer = p == (void*)-1 ? null : p;
        }

        if (Pointer == null)
        {
            throw new InvalidOperationException($"could not reserve {bytes} bytes of address space (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    public void* Pointer { get; }

    /// <summary>A span of <paramref name="count"/> floats from the start of the region.</summary>
    public ReadOnlySpan<float> Floats(int count)
        => (long)count * sizeof(float) <= (long)_bytes ? new ReadOnlySpan<float>(Pointer, count) : throw new ArgumentOutOfRangeException(nameof(count));

    public void Dispose()
    {
        if (OperatingSystem.IsWindows())
        {
            VirtualFree(Pointer, 0, MemRelease);
        }
        else
        {
            munmap(Pointer, _bytes);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(void* address, nuint length);

    [DllImport("kernel32", SetLastError = true)]
    private static extern void* VirtualAlloc(void* address, nuint size, uint type, uint protection);

    [DllImport("kernel32", SetLastError = true)]
    private static extern int VirtualFree(void* address, nuint size, uint type);
}
