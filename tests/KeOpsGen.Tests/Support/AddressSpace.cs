using System;
using System.Runtime.InteropServices;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// A large read-only region of address space with no memory behind it (an anonymous
/// MAP_NORESERVE mapping, or a reserved range on Windows): spans over it have the lengths of
/// gigabyte inputs, so size limits can be tested without allocating or touching gigabytes.
/// Size-limit tests never read it (the engine must reject those sizes first); tests of calls
/// past the old copy limits read it on Linux, where untouched pages read as zeros for free.
/// </summary>
internal sealed unsafe class AddressSpace : IDisposable
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
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

    /// <summary>
    /// Writes <paramref name="value"/> at float <paramref name="index"/>: the page holding it
    /// becomes private writable memory (4 KiB), the rest of the region still reads as zeros
    /// without memory behind it (Linux maps untouched pages of this mapping to the zero page).
    /// </summary>
    public void Write(long index, float value)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Reserved, uncommitted pages cannot be read on Windows, nor zero-filled for free elsewhere.
            throw new PlatformNotSupportedException("reading a huge zero region needs Linux's zero-page mappings");
        }

        long page = index * sizeof(float) & ~4095L;
        if (mprotect((byte*)Pointer + page, 4096, ProtRead | ProtWrite) != 0)
        {
            throw new InvalidOperationException($"mprotect failed (errno {Marshal.GetLastPInvokeError()})");
        }

        ((float*)Pointer)[index] = value;
    }

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
    private static extern int mprotect(void* address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(void* address, nuint length);

    [DllImport("kernel32", SetLastError = true)]
    private static extern void* VirtualAlloc(void* address, nuint size, uint type, uint protection);

    [DllImport("kernel32", SetLastError = true)]
    private static extern int VirtualFree(void* address, nuint size, uint type);
}
