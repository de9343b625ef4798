namespace KeOpsGen.Cpu;

/// <summary>
/// What a generated kernel gives the CPU engine: where its variables live and the formula's math.
/// The engine owns tiling, threading and reduction; the kernel owns only data gathering and F.
/// </summary>
/// <remarks>
/// "Outer" variables are indexed by the output row (Vi for axis 1, Vj for axis 0); "inner"
/// variables run over the reduced axis. Inner variables are gathered (once per call, or one
/// window of tiles at a time per worker when the reduced side is very large), transposed into a
/// structure-of-arrays block (<see cref="InnerDim"/> rows of <c>stride</c> values), so that SIMD
/// evaluation loads consecutive reduced indices with one vector load per component.
/// The generated struct holds no data, only static members: the caller's spans travel beside it
/// in a <see cref="KernelSpans{T}"/>, which the engine's entry points pin inside the runtime,
/// handing their workers only runtime-owned addresses plus the kernel's static members. So code
/// generated into a user's project needs no <c>unsafe</c> (nor <c>AllowUnsafeBlocks</c>). The
/// gathers are the runtime's, written once from <see cref="OuterDims"/>, <see cref="InnerDims"/>
/// and <see cref="ParamDims"/>; the kernel supplies only its hoisted one-side sub-formulas
/// through the <c>Precompute</c> hooks.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public unsafe interface ICpuKernel<T> where T : unmanaged
{
    /// <summary>Total dimension of the outer variables (one row's values, concatenated).</summary>
    static abstract int OuterDim { get; }

    /// <summary>Total dimension of the inner variables.</summary>
    static abstract int InnerDim { get; }

    /// <summary>Total dimension of the parameters.</summary>
    static abstract int ParamDim { get; }

    /// <summary>Number of values the formula yields per (outer, inner) pair.</summary>
    static abstract int FormulaDim { get; }

    /// <summary>
    /// 1 when the outer rows are the i rows and the reduced side is j; 0 for the reverse. A
    /// distributed call uses it to tell which side of each engine call is split across processes.
    /// </summary>
    static abstract int Axis { get; }

    /// <summary>Dimension of each outer variable, in the order of the call's spans (outer ones come first).</summary>
    static abstract ReadOnlySpan<int> OuterDims { get; }

    /// <summary>Dimension of each inner variable, in the order of the call's spans (after the outer ones).</summary>
    static abstract ReadOnlySpan<int> InnerDims { get; }

    /// <summary>Dimension of each parameter, in the order of the call's spans (last).</summary>
    static abstract ReadOnlySpan<int> ParamDims { get; }

    /// <summary>
    /// Writes the outer hoisted values of one row after its gathered variables: <paramref name="row"/>
    /// holds the row's variables at [0, Σ OuterDims) and receives the rest up to <see cref="OuterDim"/>.
    /// </summary>
    /// <param name="parameters">The gathered parameters.</param>
    /// <param name="row">The gathered outer row.</param>
    static virtual void PrecomputeOuter(ref T parameters, ref T row)
    {
    }

    /// <summary>As <see cref="PrecomputeOuter"/> for one inner row of a structure-of-arrays block: component k at <c>row[k * stride]</c>.</summary>
    /// <param name="parameters">The gathered parameters.</param>
    /// <param name="row">Component 0 of the gathered inner row.</param>
    /// <param name="stride">Distance between components.</param>
    static virtual void PrecomputeInner(ref T parameters, ref T row, nint stride)
    {
    }

    /// <summary>Writes the parameter-only hoisted values after the gathered parameters, up to <see cref="ParamDim"/>.</summary>
    /// <param name="parameters">The gathered parameters.</param>
    static virtual void PrecomputeParams(ref T parameters)
    {
    }

    /// <summary>
    /// F for <c>TLane.Count</c> consecutive inner rows (one pair when <typeparamref name="TLane"/>
    /// is <see cref="ScalarLane{T}"/>): the outer values at <c>outer[k]</c>, the inner values of
    /// component k at <c>inner[k * stride]</c> onwards, the parameters at <c>parameters[k]</c>;
    /// component c of F goes to <c>Unsafe.Add(ref result, c)</c>. Written once over the lane type,
    /// specialized by the JIT for each width.
    /// </summary>
    static abstract void Evaluate<TLane>(ref T parameters, ref T outer, ref T inner, nint stride, ref TLane result)
        where TLane : struct, ILane<TLane, T>;
}
