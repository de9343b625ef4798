using ILGPU;
using ILGPU.Runtime;
using KeOpsGen.Cpu;

namespace KeOpsGen.Gpu;

/// <summary>
/// The formula-specific part of a tiled GPU kernel, written by the generator as a struct (its
/// input views, the outer row's values and its accumulators are fields): what
/// <see cref="GpuKernels.TiledKernel{TKernel, T, TScheme}"/> calls, once per thread (Begin,
/// Write), once per loaded reduced row (Load) and once per pair (Pair).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITiledKernel<T> where T : unmanaged
{
    /// <summary>Values per reduced row in the tile: its variables, then the plan's hoisted inner values.</summary>
    int TileWidth { get; }

    /// <summary>Loads outer row <paramref name="row"/> and the parameters, computes their hoisted values and resets the accumulators.</summary>
    void Begin(int row);

    /// <summary>Writes reduced row <paramref name="row"/> (and its hoisted values) into <paramref name="tile"/> from <paramref name="slot"/> on.</summary>
    void Load(ArrayView<T> tile, int slot, int row);

    /// <summary>Folds the pair (outer row, reduced row <paramref name="j"/>) whose tile values start at <paramref name="at"/>.</summary>
    void Pair<TScheme>(ArrayView<T> tile, int at, int j, int roundToData) where TScheme : struct, ISumScheme;

    /// <summary>The end of a tile: per-tile partial sums go into the accumulators (block and Kahan schemes).</summary>
    void Flush<TScheme>(int roundToData) where TScheme : struct, ISumScheme;

    /// <summary>Writes the thread's results for output row <paramref name="row"/>.</summary>
    void Write(GpuLaunch<T> launch, int row);
}

/// <summary>
/// The formula-specific part of a pair-gradient kernel (no tile): F evaluated only at the pairs
/// the forward pass selected, called by <see cref="GpuKernels.PairKernel{TKernel, T}"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPairKernel<T> where T : unmanaged
{
    /// <summary>Selected pairs per forward output row (the forward output width).</summary>
    int Width { get; }

    /// <summary>Components of the adjoint per selected pair group (the forward formula's dimension).</summary>
    int AdjointDim { get; }

    /// <summary>Loads outer row <paramref name="row"/> and the parameters, resets the accumulators.</summary>
    void Begin(int row);

    /// <summary>Adds the gradient of pair (outer row, <paramref name="j"/>), the adjoint being <paramref name="gradOutput"/> in component <paramref name="component"/>.</summary>
    void Pair(GpuLaunch<T> launch, int j, int component, T gradOutput);

    /// <summary>Writes the thread's results for output row <paramref name="row"/> (nothing when the pairs add into the reduced side).</summary>
    void Write(GpuLaunch<T> launch, int row);
}

/// <summary>
/// The GPU kernels every generated method shares, generic over the generated struct that holds
/// the formula (<see cref="ITiledKernel{T}"/>, <see cref="IPairKernel{T}"/>), and their launches.
/// ILGPU compiles one instantiation per formula (and per sum scheme), so the struct's members are
/// inlined into a kernel of the same shape a hand-written one would have.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GpuKernels
{
    /// <summary>
    /// Explicitly grouped: one thread per output row; each thread of a group loads one reduced row
    /// (and its hoisted values) into a shared-memory tile, then every thread folds the tile into its
    /// row. The reduced side is walked as a list of [start, end) ranges (one for dense calls).
    /// </summary>
    public static void TiledKernel<TKernel, T, TScheme>(TKernel kernel, GpuLaunch<T> launch)
        where TKernel : struct, ITiledKernel<T>
        where T : unmanaged
        where TScheme : struct, ISumScheme
    {
        ArrayView<T> tile = SharedMemory.GetDynamic<T>();
        // A group's rows come from the launch's group table (block-sparse and batched calls:
        // groups never straddle two blocks) or are the dense run of group-size rows. Threads past
        // the group's last row still load tiles and meet every barrier.
        int row = launch.FirstRow(Grid.IdxX, Group.DimX) + Group.IdxX;
        bool active = row < launch.EndRow(Grid.IdxX);
        kernel.Begin(active ? row : 0);
        for (int range = launch.FirstRange(Grid.IdxX); range < launch.EndRange(Grid.IdxX); range++)
        {
            int end = launch.RangeEnd(range);
            for (int start = launch.RangeStart(range); start < end; start += launch.TileRows)
            {
                int load = start + Group.IdxX;
                if (Group.IdxX < launch.TileRows && load < end)
                {
                    kernel.Load(tile, Group.IdxX * kernel.TileWidth, load);
                }

                Group.Barrier();
                if (active)
                {
                    int count = Math.Min(launch.TileRows, end - start);
                    for (int t = 0; t < count; t++)
                    {
                        kernel.Pair<TScheme>(tile, t * kernel.TileWidth, start + t, launch.RoundToData);
                    }

                    kernel.Flush<TScheme>(launch.RoundToData);
                }

                Group.Barrier();
            }
        }

        if (active)
        {
            kernel.Write(launch, row);
        }
    }

    /// <summary>One thread per forward output row, evaluating F only at the pairs the forward pass selected.</summary>
    public static void PairKernel<TKernel, T>(TKernel kernel, GpuLaunch<T> launch)
        where TKernel : struct, IPairKernel<T>
        where T : unmanaged
    {
        int row = (Grid.IdxX * Group.DimX) + Group.IdxX;
        if (row >= launch.OuterCount)
        {
            return;
        }

        kernel.Begin(row);
        for (int e = 0; e < kernel.Width; e++)
        {
            int slot = (row * kernel.Width) + e;
            int j = launch.Indices[slot];
            if (j < 0)
            {
                continue;
            }

            kernel.Pair(launch, j, e % kernel.AdjointDim, launch.GradOutput[slot]);
        }

        kernel.Write(launch, row);
    }

    /// <summary>A Sum-family reduction (Sum and the forward-values gradients) into <paramref name="values"/> (outer rows × dim).</summary>
    public static void Sum<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView1D<T, Stride1D.Dense> values, ReductionSettings settings)
        where TKernel : struct, ITiledKernel<T>
        where T : unmanaged
        => Schemed(accelerator, kernel, new GpuLaunch<T> { OuterCount = outerCount, InnerCount = innerCount, Values = values }, settings);

    /// <summary>A Sum-family reduction summed over its output rows (parameter gradients): <paramref name="values"/> holds <paramref name="dim"/> values.</summary>
    public static void SumOverRows<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView1D<T, Stride1D.Dense> values, int dim, ReductionSettings settings)
        where TKernel : struct, ITiledKernel<T>
        where T : unmanaged
        => GpuEngine.SumOverRows<T>(accelerator, outerCount, dim, values, rows => Sum<TKernel, T>(accelerator, kernel, outerCount, innerCount, rows, settings));

    /// <summary>A log-sum-exp family reduction, written in <paramref name="mode"/>'s form.</summary>
    public static void ShiftExp<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView1D<T, Stride1D.Dense> values, ShiftExpMode mode, ReductionSettings settings)
        where TKernel : struct, ITiledKernel<T>
        where T : unmanaged
        => Schemed(accelerator, kernel, new GpuLaunch<T> { OuterCount = outerCount, InnerCount = innerCount, Values = values, Mode = (int)mode }, settings);

    /// <summary>A Min/Max/ArgMin/ArgMax/KMin family reduction; either output may be empty.</summary>
    public static void Arg<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView1D<T, Stride1D.Dense> values, ArrayView<int> indices, ReductionSettings settings)
        where TKernel : struct, ITiledKernel<T>
        where T : unmanaged
        => GpuEngine.Launch<TKernel, T>(accelerator, TiledKernel<TKernel, T, DirectSum>, kernel, new GpuLaunch<T> { OuterCount = outerCount, InnerCount = innerCount, Values = values, Indices = indices }, kernel.TileWidth, settings);

    /// <summary>A pair gradient written per forward output row.</summary>
    public static void Pairs<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView<int> selected, ArrayView<T> gradOutput, ArrayView1D<T, Stride1D.Dense> values, ReductionSettings settings)
        where TKernel : struct, IPairKernel<T>
        where T : unmanaged
        => GpuEngine.Launch<TKernel, T>(accelerator, PairKernel<TKernel, T>, kernel, new GpuLaunch<T> { OuterCount = outerCount, InnerCount = innerCount, Indices = selected, GradOutput = gradOutput, Values = values }, -1, settings);

    /// <summary>A pair gradient with respect to a reduced-side variable: the pairs add atomically into <paramref name="values"/> (reduced rows × dim), cleared first.</summary>
    public static void PairsScatter<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView<int> selected, ArrayView<T> gradOutput, ArrayView1D<T, Stride1D.Dense> values, ReductionSettings settings)
        where TKernel : struct, IPairKernel<T>
        where T : unmanaged
    {
        GpuEngine.Clear<T>(accelerator, values);
        Pairs(accelerator, kernel, outerCount, innerCount, selected, gradOutput, values, settings);
    }

    /// <summary>A pair gradient with respect to a parameter: per forward output row, then summed over the rows into <paramref name="values"/> (<paramref name="dim"/> values).</summary>
    public static void PairsOverRows<TKernel, T>(Accelerator accelerator, TKernel kernel, int outerCount, int innerCount, ArrayView<int> selected, ArrayView<T> gradOutput, ArrayView1D<T, Stride1D.Dense> values, int dim, ReductionSettings settings)
        where TKernel : struct, IPairKernel<T>
        where T : unmanaged
        => GpuEngine.SumOverRows<T>(accelerator, outerCount, dim, values, rows => Pairs<TKernel, T>(accelerator, kernel, outerCount, innerCount, selected, gradOutput, rows, settings));

    private static void Schemed<TKernel, T>(Accelerator accelerator, TKernel kernel, GpuLaunch<T> launch, ReductionSettings settings)
        where TKernel : struct, ITiledKernel<T>
        where T : unmanaged
        => GpuEngine.Sum<TKernel, T>(accelerator, settings, TiledKernel<TKernel, T, DirectSum>, TiledKernel<TKernel, T, BlockSum>, TiledKernel<TKernel, T, KahanSum>, kernel, launch, kernel.TileWidth);
}

/// <summary>
/// One component of a Sum-family accumulator in a generated kernel: the double sum (and Kahan
/// compensation) and the partial of the current tile, kept in the data type
/// <typeparamref name="T"/> (a float partial stays in single-precision registers on the device).
/// </summary>
/// <typeparam name="T">float or double: the type of the terms and of the tile's partial.</typeparam>
/// <typeparam name="TPartial">How a <typeparamref name="T"/> partial is widened and narrowed
/// (<see cref="FloatPartial"/>, <see cref="DoublePartial"/>): a type argument, so ILGPU inlines it
/// and each kernel keeps the arithmetic of its own precision.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SumAccumulator<T, TPartial>
    where T : unmanaged, IAdditionOperators<T, T, T>
    where TPartial : struct, IPartialSum<T>
{
    /// <summary>The sum so far.</summary>
    public double Sum;

    /// <summary>Kahan's running compensation.</summary>
    public double Compensation;

    /// <summary>The current tile's terms (block and Kahan schemes).</summary>
    public T Partial;

    /// <summary>Adds one pair's term: into the sum (direct scheme) or the tile's partial.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add<TScheme>(T term, int roundToData) where TScheme : struct, ISumScheme
    {
        if (default(TScheme).Direct)
        {
            GpuMath.Fold<TScheme>(ref Sum, ref Compensation, default(TPartial).Widen(term), roundToData);
        }
        else
        {
            Partial += term;
        }
    }

    /// <summary>The end of a tile: the partial goes into the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Flush<TScheme>(int roundToData) where TScheme : struct, ISumScheme
    {
        if (!default(TScheme).Direct)
        {
            GpuMath.Fold<TScheme>(ref Sum, ref Compensation, default(TPartial).Widen(Partial), roundToData);
            Partial = default;
        }
    }

    /// <summary>Moves what is summed to a larger shift (log-sum-exp): everything times <paramref name="factor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Scale(double factor)
    {
        Sum *= factor;
        Compensation *= factor;
        Partial = default(TPartial).Narrow(default(TPartial).Widen(Partial) * factor);
    }
}

/// <summary>
/// The precision-specific steps of <see cref="SumAccumulator{T, TPartial}"/>, its conversions to and
/// from the double sum. ILGPU compiles generic-math operators on float and double (the accumulator
/// adds its terms with one), but neither generic-math conversions nor <c>typeof</c> tests, so each
/// precision supplies its own, called on <c>default(TPartial)</c> like <see cref="ISumScheme"/>.
/// </summary>
/// <typeparam name="T">The partial's type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPartialSum<T> where T : unmanaged
{
    /// <summary><paramref name="value"/> as a double.</summary>
    double Widen(T value);

    /// <summary><paramref name="value"/> rounded to <typeparamref name="T"/>.</summary>
    T Narrow(double value);
}

/// <summary>A float partial (the float kernels).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct FloatPartial : IPartialSum<float>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Widen(float value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float Narrow(double value) => (float)value;
}

/// <summary>A double partial (the double kernels): widening and narrowing are the identity.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct DoublePartial : IPartialSum<double>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Widen(double value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Narrow(double value) => value;
}
