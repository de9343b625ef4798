using System.ComponentModel;
using System.Threading;

namespace KeOpsGen.Solvers;

/// <summary>
/// The linear operator of one generated kernel solve, as the solver sees it: K·v through the
/// generated Sum reduction, and single columns and entries of K through the same generated
/// kernel evaluated against one inner row (for the preconditioners). Implemented by generated
/// structs that hold pointers to the caller's pinned inputs; valid only during the call.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public unsafe interface IKernelSolveSystem<T> where T : unmanaged
{
    /// <summary>N: rows of the right-hand side and of the solution.</summary>
    int Rows { get; }

    /// <summary>E: values per row (the dimension of the unknown variable).</summary>
    int Width { get; }

    /// <summary>result = K·v, both N × E row-major (alpha not included).</summary>
    void Apply(T* v, T* result, CancellationToken cancellationToken);

    /// <summary>The column of K for unknown entry (row, component): K·(e_row ⊗ e_component), N × E values.</summary>
    void Column(int row, int component, T* column);

    /// <summary>F(outer row, inner row, e_component): the E values of K's diagonal block at (row, row), column component.</summary>
    void Entry(int row, int component, T* values);
}
