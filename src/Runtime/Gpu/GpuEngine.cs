using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using KeOpsGen.Cpu;

namespace KeOpsGen.Gpu;

/// <summary>
/// Launches generated ILGPU kernels: picks the group size and shared-memory tile for the
/// accelerator, compiles each kernel once per accelerator (thread-safe cache) and enqueues it on
/// the accelerator's default stream. Work is asynchronous: results are ready after
/// <see cref="Accelerator.Synchronize"/> or any later copy to the host on that stream.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GpuEngine
{
    /// <summary>Shared memory a kernel's tile may use: 48 KiB is available on every CUDA GPU without opting in.</summary>
    public const int SharedBytes = 48 * 1024;

    /// <summary>Threads per group on a GPU: enough rows to hide latency, few enough to fill all multiprocessors at N = 10^4.</summary>
    public const int GpuGroupSize = 128;

    private static readonly ConcurrentDictionary<(Accelerator, MethodInfo), Lazy<Delegate>> s_kernels = new();

    /// <summary>Threads per group for <paramref name="accelerator"/> (ILGPU's CPU accelerator allows 16).</summary>
    public static int GroupSize(Accelerator accelerator) => Math.Min(GpuGroupSize, accelerator.MaxNumThreadsPerGroup);

    /// <summary>Reduced rows per tile for an inner row of <paramref name="innerWidth"/> values of <paramref name="elementSize"/> bytes.</summary>
    public static int TileRows(Accelerator accelerator, int innerWidth, int elementSize)
        => Math.Max(1, Math.Min(GroupSize(accelerator), SharedBytes / Math.Max(1, innerWidth * elementSize)));

    /// <summary>
    /// Enqueues <paramref name="kernel"/> with one thread per output row and tiles of the reduced
    /// side, over the pairs <paramref name="settings"/> keep: every pair, or a block-sparse
    /// (<see cref="ReductionSettings.Ranges"/>) or batched (<see cref="ReductionSettings.BatchCount"/>)
    /// pattern, read exactly as the CPU engine reads it. Observes the call's cancellation token
    /// before the launch (a running kernel cannot be stopped).
    /// </summary>
    /// <param name="accelerator">Where to run.</param>
    /// <param name="kernel">The generated kernel method.</param>
    /// <param name="inputs">Its input views.</param>
    /// <param name="launch">Sizes and outputs; <see cref="GpuLaunch{T}.TileRows"/>, the ranges and the groups are set here.</param>
    /// <param name="innerWidth">
    /// Values per reduced row in the tile (variables and precomputed sub-formulas); −1 for kernels
    /// without a tile (pair gradients), which evaluate F only at the pairs their forward pass
    /// selected, so they follow the ranges through that selection and are launched dense.
    /// </param>
    /// <param name="settings">The call's settings: ranges or batch of the kernel's output side, cancellation.</param>
    /// <remarks>
    /// A block-sparse or batched launch uploads its group and range tables and waits for the kernel
    /// before freeing them, so it returns with the work done; a dense launch only enqueues.
    /// </remarks>
    /// <exception cref="ArgumentException">Ranges past the rows of the call, or a batch count that does not divide them.</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled before the launch.</exception>
    public static void Launch<TInputs, T>(Accelerator accelerator, Action<TInputs, GpuLaunch<T>> kernel, TInputs inputs, GpuLaunch<T> launch, int innerWidth, in ReductionSettings settings)
        where TInputs : struct
        where T : unmanaged
    {
        settings.CancellationToken.ThrowIfCancellationRequested();
        int group = GroupSize(accelerator);
        GpuGroupPlan? plan = innerWidth < 0 ? null : GpuGroupPlan.Create(launch.OuterCount, launch.InnerCount, settings, group);
        if (launch.OuterCount <= 0)
        {
            return;
        }

        if (plan is null)
        {
            Enqueue(accelerator, kernel, inputs, launch, innerWidth, (launch.OuterCount + group - 1) / group);
            return;
        }

        using MemoryBuffer1D<int, Stride1D.Dense> groups = accelerator.Allocate1D(plan.Groups);
        // Zero-length buffers are not allowed everywhere: upload one value, view none.
        using MemoryBuffer1D<int, Stride1D.Dense> ranges = accelerator.Allocate1D(plan.Ranges.Length > 0 ? plan.Ranges : new int[1]);
        launch.Groups = groups.View;
        launch.Ranges = ranges.View.SubView(0, plan.Ranges.Length);
        Enqueue(accelerator, kernel, inputs, launch, innerWidth, plan.GroupCount);
        // The tables are freed on return: wait for the kernel reading them.
        accelerator.Synchronize();
    }

    private static unsafe void Enqueue<TInputs, T>(Accelerator accelerator, Action<TInputs, GpuLaunch<T>> kernel, TInputs inputs, GpuLaunch<T> launch, int innerWidth, int groups)
        where TInputs : struct
        where T : unmanaged
    {
        int group = GroupSize(accelerator);
        launch.TileRows = TileRows(accelerator, innerWidth, sizeof(T));
        var loaded = (Action<KernelConfig, TInputs, GpuLaunch<T>>)s_kernels.GetOrAdd((accelerator, kernel.Method), key => new Lazy<Delegate>(
            () => key.Item1.LoadStreamKernel(kernel))).Value;
        loaded(innerWidth < 0
            ? new KernelConfig(groups, group)
            : new KernelConfig(groups, group, SharedMemoryConfig.RequestDynamic<T>(Math.Max(1, launch.TileRows * innerWidth))), inputs, launch);
    }

    /// <summary>Enqueues the Sum-family kernel instantiated for the call's summation scheme.</summary>
    public static void Sum<TInputs, T>(Accelerator accelerator, ReductionSettings settings, Action<TInputs, GpuLaunch<T>> direct, Action<TInputs, GpuLaunch<T>> block, Action<TInputs, GpuLaunch<T>> kahan, TInputs inputs, GpuLaunch<T> launch, int innerWidth)
        where TInputs : struct
        where T : unmanaged
    {
        launch.RoundToData = typeof(T) == typeof(float) && settings.Accumulation != Accumulation.Double && settings.SumScheme != SumScheme.Kahan ? 1 : 0;
        Action<TInputs, GpuLaunch<T>> kernel = settings.SumScheme switch
        {
            SumScheme.Direct => direct,
            SumScheme.Kahan => kahan,
            _ => block,
        };
        Launch(accelerator, kernel, inputs, launch, innerWidth, settings);
    }

    /// <summary>
    /// The parameter gradients: <paramref name="fill"/> writes rows × dim values into a temporary
    /// buffer, then result[k] = Σ_r rows[r, k] in double (as the CPU engine does). Waits for the
    /// kernels before the temporary buffer is freed.
    /// </summary>
    public static void SumOverRows<T>(Accelerator accelerator, int rowCount, int dim, ArrayView1D<T, Stride1D.Dense> result, Action<ArrayView1D<T, Stride1D.Dense>> fill)
        where T : unmanaged
    {
        using MemoryBuffer1D<T, Stride1D.Dense> rows = accelerator.Allocate1D<T>(Math.Max(1L, (long)rowCount * dim));
        ArrayView1D<T, Stride1D.Dense> view = rows.View.SubView(0, (long)rowCount * dim);
        fill(view);
        if (typeof(T) == typeof(float))
        {
            SumRows(accelerator, (ArrayView1D<float, Stride1D.Dense>)(object)view, rowCount, dim, (ArrayView1D<float, Stride1D.Dense>)(object)result);
        }
        else
        {
            SumRows(accelerator, (ArrayView1D<double, Stride1D.Dense>)(object)view, rowCount, dim, (ArrayView1D<double, Stride1D.Dense>)(object)result);
        }

        accelerator.Synchronize();
    }

    /// <summary>Sets a view to zero (outputs that kernels add into).</summary>
    public static void Clear<T>(Accelerator accelerator, ArrayView1D<T, Stride1D.Dense> view)
        where T : unmanaged
    {
        if (view.Length > 0)
        {
            view.MemSetToZero(accelerator.DefaultStream);
        }
    }

    /// <summary>result[k] = Σ_r rows[r, k] in double: the parameter gradients' sum over all output rows.</summary>
    public static void SumRows(Accelerator accelerator, ArrayView1D<float, Stride1D.Dense> rows, int rowCount, int dim, ArrayView1D<float, Stride1D.Dense> result)
    {
        var loaded = (Action<AcceleratorStream, Index1D, ArrayView1D<float, Stride1D.Dense>, int, int, ArrayView1D<float, Stride1D.Dense>>)s_kernels.GetOrAdd(
            (accelerator, ((Action<Index1D, ArrayView1D<float, Stride1D.Dense>, int, int, ArrayView1D<float, Stride1D.Dense>>)SumRowsKernel).Method),
            key => new Lazy<Delegate>(() => key.Item1.LoadAutoGroupedKernel<Index1D, ArrayView1D<float, Stride1D.Dense>, int, int, ArrayView1D<float, Stride1D.Dense>>(SumRowsKernel))).Value;
        loaded(accelerator.DefaultStream, dim, rows, rowCount, dim, result);
    }

    /// <summary>result[k] = Σ_r rows[r, k].</summary>
    public static void SumRows(Accelerator accelerator, ArrayView1D<double, Stride1D.Dense> rows, int rowCount, int dim, ArrayView1D<double, Stride1D.Dense> result)
    {
        var loaded = (Action<AcceleratorStream, Index1D, ArrayView1D<double, Stride1D.Dense>, int, int, ArrayView1D<double, Stride1D.Dense>>)s_kernels.GetOrAdd(
            (accelerator, ((Action<Index1D, ArrayView1D<double, Stride1D.Dense>, int, int, ArrayView1D<double, Stride1D.Dense>>)SumRowsKernel).Method),
            key => new Lazy<Delegate>(() => key.Item1.LoadAutoGroupedKernel<Index1D, ArrayView1D<double, Stride1D.Dense>, int, int, ArrayView1D<double, Stride1D.Dense>>(SumRowsKernel))).Value;
        loaded(accelerator.DefaultStream, dim, rows, rowCount, dim, result);
    }

    private static void SumRowsKernel(Index1D k, ArrayView1D<float, Stride1D.Dense> rows, int rowCount, int dim, ArrayView1D<float, Stride1D.Dense> result)
    {
        double total = 0;
        for (int r = 0; r < rowCount; r++)
        {
            total += rows[(r * dim) + k];
        }

        result[k] = (float)total;
    }

    private static void SumRowsKernel(Index1D k, ArrayView1D<double, Stride1D.Dense> rows, int rowCount, int dim, ArrayView1D<double, Stride1D.Dense> result)
    {
        double total = 0;
        for (int r = 0; r < rowCount; r++)
        {
            total += rows[(r * dim) + k];
        }

        result[k] = total;
    }
}
