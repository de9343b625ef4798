using System.Runtime.InteropServices;

namespace KeOpsGen.Cpu;

/// <summary>
/// A pinned buffer rented from the shared pool, for what a gradient method saves from its forward
/// pass (one row of values or indices per output row, never a pair matrix).
/// </summary>
/// <typeparam name="T">The element type (float, double or int).</typeparam>
public sealed unsafe class PooledBuffer<T> : IDisposable where T : unmanaged
{
    private T[]? _array;
    private GCHandle _handle;

    /// <summary>Rents and pins at least <paramref name="length"/> elements.</summary>
    /// <param name="length">Number of elements needed (0 is allowed).</param>
    public PooledBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = ArrayPool<T>.Shared.Rent(Math.Max(1, length));
        _handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        Pointer = (T*)_handle.AddrOfPinnedObject();
        _length = length;
    }

    private int _length;

    /// <summary>The first element; valid until <see cref="Dispose"/>.</summary>
    public T* Pointer { get; private set; }

    /// <summary>The <c>length</c> elements asked for, for generated code (which uses no pointers); valid until <see cref="Dispose"/>.</summary>
    public Span<T> Span => new(Pointer, _length);

    /// <summary>Unpins the buffer and returns it to the pool.</summary>
    public void Dispose()
    {
        if (_array is null)
        {
            return;
        }

        _handle.Free();
        ArrayPool<T>.Shared.Return(_array);
        _array = null;
        Pointer = null;
        _length = 0;
    }
}
