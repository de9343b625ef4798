using ILGPU;
using ILGPU.Runtime;

namespace KeOpsGen.Gpu;

/// <summary>An accelerator generated methods run on, and how its errors are handled.</summary>
public sealed class GpuTarget
{
    private GpuTarget? _forAuto;

    internal GpuTarget(Accelerator accelerator, bool fallBackOnError)
    {
        Accelerator = accelerator;
        FallBackOnError = fallBackOnError;
    }

    private GpuTarget(GpuTarget target)
    {
        Accelerator = target.Accelerator;
        Gate = target.Gate;
        FallBackOnError = true;
    }

    /// <summary>The ILGPU accelerator.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>True for Backend.Auto: a GPU error sends the call back to the CPU engine (logged).</summary>
    public bool FallBackOnError { get; }

    /// <summary>Span calls are serialized per accelerator: they share its default stream.</summary>
    internal object Gate { get; } = new();

    internal GpuTarget ForAuto => _forAuto ??= new GpuTarget(this);

    /// <summary>Starts a span call: device buffers for its inputs and outputs, freed on dispose.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public GpuCall Begin() => new(this);
}

/// <summary>
/// One span call on an accelerator: uploads the caller's data, holds the device buffers, and
/// copies results back. Disposing synchronizes the stream and frees the buffers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class GpuCall : IDisposable
{
    private readonly GpuTarget _target;
    private readonly List<MemoryBuffer> _buffers = new();
    private bool _locked;
    private object? _values;
    private ArrayView1D<int, Stride1D.Dense> _indices;

    internal GpuCall(GpuTarget target)
    {
        _target = target;
        System.Threading.Monitor.Enter(target.Gate);
        _locked = true;
    }

    /// <summary>The accelerator the call runs on.</summary>
    public Accelerator Accelerator => _target.Accelerator;

    /// <summary>Copies the first <paramref name="length"/> values of <paramref name="source"/> to a new device buffer.</summary>
    /// <remarks>
    /// The span is pinned here, inside the runtime, so generated code passes spans and needs no
    /// <c>unsafe</c>; the copy is awaited before the pin ends.
    /// </remarks>
    public ArrayView1D<T, Stride1D.Dense> Upload<T>(ReadOnlySpan<T> source, long length) where T : unmanaged
    {
        if (length > source.Length)
        {
            throw new ArgumentException($"The span holds {source.Length} values, {length} were to be uploaded.", nameof(source));
        }

        ArrayView1D<T, Stride1D.Dense> view = Allocate<T>(length);
        if (length > 0)
        {
            fixed (T* pinned = source)
            {
                view.CopyFromCPU(ref *pinned, length);
                _target.Accelerator.DefaultStream.Synchronize();
            }
        }

        return view;
    }

    /// <summary>A device buffer of <paramref name="length"/> values (contents undefined).</summary>
    public ArrayView1D<T, Stride1D.Dense> Allocate<T>(long length) where T : unmanaged
    {
        // Zero-length buffers are not allowed everywhere: allocate one value, view none.
        MemoryBuffer1D<T, Stride1D.Dense> buffer = _target.Accelerator.Allocate1D<T>(Math.Max(1, length));
        _buffers.Add(buffer);
        return buffer.View.SubView(0, length);
    }

    /// <summary>Copies a device view back to host memory (waits for the work queued before it).</summary>
    public void Download<T>(ArrayView1D<T, Stride1D.Dense> source, Span<T> destination) where T : unmanaged
    {
        if (source.Length > destination.Length)
        {
            throw new ArgumentException($"The span holds {destination.Length} values, {source.Length} were to be downloaded.", nameof(destination));
        }

        if (source.Length > 0)
        {
            fixed (T* pinned = destination)
            {
                source.CopyToCPU(ref *pinned, source.Length);
                _target.Accelerator.DefaultStream.Synchronize();
            }
        }
    }

    /// <summary><see cref="Upload{T}(ReadOnlySpan{T}, long)"/> of <paramref name="rows"/> × <paramref name="dim"/> values.</summary>
    public ArrayView1D<T, Stride1D.Dense> Upload<T>(ReadOnlySpan<T> source, int rows, int dim) where T : unmanaged
        => Upload(source, (long)rows * dim);

    /// <summary>The device buffer of the call's output values (<paramref name="rows"/> × <paramref name="width"/>), downloaded by <see cref="Finish{T}"/>.</summary>
    public ArrayView1D<T, Stride1D.Dense> Values<T>(int rows, int width) where T : unmanaged
    {
        ArrayView1D<T, Stride1D.Dense> view = Allocate<T>((long)rows * width);
        _values = view;
        return view;
    }

    /// <summary>The device buffer of the call's output indices (<paramref name="rows"/> × <paramref name="width"/>), downloaded by <see cref="Finish{T}"/>.</summary>
    public ArrayView1D<int, Stride1D.Dense> Indices(int rows, int width)
    {
        _indices = Allocate<int>((long)rows * width);
        return _indices;
    }

    /// <summary>Downloads the outputs <see cref="Values{T}"/> and <see cref="Indices"/> made; true, what the span path returns when the GPU ran.</summary>
    public bool Finish<T>(Span<T> values, Span<int> indices) where T : unmanaged
    {
        if (_values is ArrayView1D<T, Stride1D.Dense> view)
        {
            Download(view, values);
        }

        Download(_indices, indices);
        return true;
    }

    /// <summary>
    /// Exception filter of the generated call: true (log, then run the CPU engine) for a GPU error
    /// under Backend.Auto; false lets the exception propagate with ILGPU's message.
    /// </summary>
    public bool FallBack(Exception error)
    {
        if (!_target.FallBackOnError || error is ArgumentException || error is OperationCanceledException)
        {
            return false;
        }

        GpuRuntime.ReportFallback($"the GPU ({_target.Accelerator.Name}) failed, running on the CPU instead: {error.GetType().Name}: {error.Message}");
        return true;
    }

    /// <summary>Waits for the queued work and frees the call's buffers.</summary>
    public void Dispose()
    {
        if (!_locked)
        {
            return;
        }

        try
        {
            _target.Accelerator.Synchronize();
        }
        finally
        {
            foreach (MemoryBuffer buffer in _buffers)
            {
                buffer.Dispose();
            }

            _buffers.Clear();
            _locked = false;
            System.Threading.Monitor.Exit(_target.Gate);
        }
    }
}
