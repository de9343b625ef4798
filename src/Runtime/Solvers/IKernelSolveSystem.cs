namespace KeOpsGen.Solvers;

/// <summary>
/// The linear operator of one generated kernel solve, as the solver sees it: K·v through the
/// generated Sum reduction, and single columns and entries of K through the same generated
/// kernel evaluated against one inner row (for the preconditioners). Implemented by generated
/// structs with static members only: the operator's inputs travel in a
/// <see cref="Cpu.KernelSpans{T}"/>, which the solver pins for the call, handing the members a
/// runtime-owned <see cref="KernelSolveInputs{T}"/>, so generated code needs no <c>unsafe</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IKernelSolveSystem<T> where T : unmanaged
{
    /// <summary>result = K·v, both N × E row-major (alpha not included).</summary>
    static abstract void Apply(KernelSolveInputs<T> inputs, ReadOnlySpan<T> v, Span<T> result, CancellationToken cancellationToken);

    /// <summary>The column of K for unknown entry (row, component): K·(e_row ⊗ e_component), N × E values.</summary>
    static abstract void Column(KernelSolveInputs<T> inputs, int row, int component, Span<T> column);

    /// <summary>F(outer row, inner row, e_component): the E values of K's diagonal block at (row, row), column component.</summary>
    static abstract void Entry(KernelSolveInputs<T> inputs, int row, int component, Span<T> values);
}

/// <summary>
/// The pinned inputs of a kernel solve, valid during <see cref="KernelSolver.Solve"/>: what the
/// solver hands a system's static members instead of the system itself (which, holding spans,
/// cannot be kept by the solver's objects).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct KernelSolveInputs<T> where T : unmanaged
{
    private readonly T** _addresses;
    private readonly int* _lengths;

    internal KernelSolveInputs(T** addresses, int* lengths, int rows)
    {
        _addresses = addresses;
        _lengths = lengths;
        Rows = rows;
    }

    /// <summary>N: rows of the operator (it is square).</summary>
    public int Rows { get; }

    /// <summary>Input <paramref name="index"/> as the generated solve method gave it (a plain scalar as a one-value span).</summary>
    /// <param name="index">The input's index.</param>
    public ReadOnlySpan<T> this[int index] => new(_addresses[index], _lengths[index]);
}
