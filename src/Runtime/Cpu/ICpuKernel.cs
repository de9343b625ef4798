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
/// The generated struct holds raw pointers to the caller's pinned spans; it is only alive during
/// the generated method's <c>fixed</c> block.
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

    /// <summary>Copies the outer variables of <paramref name="row"/> to <paramref name="destination"/>.</summary>
    void GatherOuter(int row, T* destination);

    /// <summary>Copies inner rows [start, start+count) to a structure-of-arrays block.</summary>
    void GatherInner(int start, int count, T* destination, nint stride);

    /// <summary>Copies all parameters to <paramref name="destination"/>.</summary>
    void GatherParams(T* destination);

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
