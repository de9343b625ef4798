using ILGPU;
using ILGPU.Runtime;

namespace KeOpsGen.Gpu;

/// <summary>
/// What every generated GPU kernel receives besides its input views: sizes, outputs, and the
/// ranges of the reduced side it walks. Passed by value to the kernel.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct GpuLaunch<T> where T : unmanaged
{
    /// <summary>Output rows (one thread each).</summary>
    public int OuterCount;

    /// <summary>Rows of the reduced side.</summary>
    public int InnerCount;

    /// <summary>Reduced rows per shared-memory tile (at most the group size).</summary>
    public int TileRows;

    /// <summary>The output form of the log-sum-exp family (<see cref="ShiftExpMode"/>).</summary>
    public int Mode;

    /// <summary>1 when sums accumulate in the data type float (folds rounded to float), else 0.</summary>
    public int RoundToData;

    /// <summary>Output values (rows × width); empty when not wanted.</summary>
    public ArrayView1D<T, Stride1D.Dense> Values;

    /// <summary>Output (or, for pair gradients, input) indices; empty when not wanted.</summary>
    public ArrayView1D<int, Stride1D.Dense> Indices;

    /// <summary>The adjoint of the forward values (pair gradients only).</summary>
    public ArrayView1D<T, Stride1D.Dense> GradOutput;

    /// <summary>[start, end) pairs of reduced rows; empty: the one range [0, InnerCount).</summary>
    public ArrayView1D<int, Stride1D.Dense> Ranges;

    /// <summary>
    /// Block-sparse and batched calls: per thread group, four values (first output row, end output
    /// row, first range, end range), the ranges indexing the pairs of <see cref="Ranges"/>. A group
    /// never straddles two blocks of output rows, so its threads share one list of reduced ranges
    /// (and its shared-memory tiles). Empty: dense, group g holds rows [g · group size, ...) and
    /// every group walks every range.
    /// </summary>
    public ArrayView1D<int, Stride1D.Dense> Groups;

    /// <summary>First output row of <paramref name="group"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int FirstRow(int group, int groupSize) => Groups.Length == 0 ? group * groupSize : Groups[4 * group];

    /// <summary>One past the last output row of <paramref name="group"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int EndRow(int group) => Groups.Length == 0 ? OuterCount : Groups[(4 * group) + 1];

    /// <summary>First range index of <paramref name="group"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int FirstRange(int group) => Groups.Length == 0 ? 0 : Groups[(4 * group) + 2];

    /// <summary>One past the last range index of <paramref name="group"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int EndRange(int group) => Groups.Length != 0 ? Groups[(4 * group) + 3] : Ranges.Length == 0 ? 1 : (int)(Ranges.Length / 2);

    /// <summary>First reduced row of range <paramref name="range"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int RangeStart(int range) => Ranges.Length == 0 ? 0 : Ranges[2 * range];

    /// <summary>One past the last reduced row of range <paramref name="range"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int RangeEnd(int range) => Ranges.Length == 0 ? InnerCount : Ranges[(2 * range) + 1];
}

/// <summary>The output forms of the log-sum-exp kernels, from the same (m, s) accumulators.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ShiftExpMode
{
    /// <summary>m + log s (per weight component when weighted).</summary>
    LogSumExp,

    /// <summary>(m, s).</summary>
    MaxSumShiftExp,

    /// <summary>s_k / s_0.</summary>
    SumSoftMaxWeight,

    /// <summary>(m + log s_0, s_1 / s_0, ...): the forward pass of a SumSoftMaxWeight gradient.</summary>
    SoftMaxWithLogSumExp,

    /// <summary>(m, s_1, ..., s_d): the weighted shift-exp pair, s_k = Σ exp(F − m) G_k.</summary>
    MaxSumShiftExpWeight,
}

/// <summary>
/// How a kernel folds its sums (SumScheme): a type parameter of the kernel, so the choice is
/// compiled in (no branch per pair) and only the schemes actually used are compiled. The fold
/// itself is written once, in <see cref="GpuMath.Fold{TScheme}"/>; a scheme only says which.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISumScheme
{
    /// <summary>True: every term goes straight into the accumulator; false: per-tile partials are folded.</summary>
    bool Direct { get; }

    /// <summary>True: folds are compensated (Kahan, in double); false: plain adds.</summary>
    bool Compensated { get; }
}

/// <summary>SumScheme.Direct.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct DirectSum : ISumScheme
{
    /// <inheritdoc/>
    public readonly bool Direct => true;

    /// <inheritdoc/>
    public readonly bool Compensated => false;
}

/// <summary>SumScheme.Block (and Auto): one partial per shared-memory tile.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct BlockSum : ISumScheme
{
    /// <inheritdoc/>
    public readonly bool Direct => false;

    /// <inheritdoc/>
    public readonly bool Compensated => false;
}

/// <summary>SumScheme.Kahan: per-tile partials folded with compensation (in double).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct KahanSum : ISumScheme
{
    /// <inheritdoc/>
    public readonly bool Direct => false;

    /// <inheritdoc/>
    public readonly bool Compensated => true;
}

/// <summary>Device-side helpers of the generated kernels (ILGPU compiles them into each kernel).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GpuMath
{
    /// <summary>
    /// a + b, rounded to float when the accumulation is in float data: a double sum of two floats
    /// rounded once to float is the float sum, so one double accumulator serves both precisions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double a, double b, int roundToData) => roundToData != 0 ? (float)(a + b) : a + b;

    /// <summary>Adds <paramref name="partial"/> into the accumulator as <typeparamref name="TScheme"/> folds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fold<TScheme>(ref double accumulator, ref double compensation, double partial, int roundToData)
        where TScheme : struct, ISumScheme
    {
        if (default(TScheme).Compensated)
        {
            double y = partial - compensation;
            double t = accumulator + y;
            compensation = (t - accumulator) - y;
            accumulator = t;
        }
        else
        {
            accumulator = Add(accumulator, partial, roundToData);
        }
    }

    /// <summary>Swaps (a, ia) and (b, ib) when b &lt; a: one step of a K-list insertion (ties keep the first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sift(ref float a, ref int ia, ref float b, ref int ib)
    {
        if (b < a)
        {
            (a, b) = (b, a);
            (ia, ib) = (ib, ia);
        }
    }

    /// <summary>Swaps (a, ia) and (b, ib) when b &lt; a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sift(ref double a, ref int ia, ref double b, ref int ib)
    {
        if (b < a)
        {
            (a, b) = (b, a);
            (ia, ib) = (ib, ia);
        }
    }

    /// <summary>e^(f − m), 0 for f = −∞ (an all −∞ reduction adds nothing, as on the CPU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ShiftedExp(float f, float m) => float.IsNegativeInfinity(f) ? 0 : MathF.Exp(f - m);

    /// <summary>e^(f − m), 0 for f = −∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ShiftedExp(double f, double m) => double.IsNegativeInfinity(f) ? 0 : Math.Exp(f - m);

    /// <summary>The factor that moves sums taken under max <paramref name="m"/> to the larger max <paramref name="f"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rescale(double m, double f) => double.IsNegativeInfinity(m) ? 0 : System.Math.Exp(m - f);
}
