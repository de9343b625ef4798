namespace KeOpsGen.Distributed;

/// <summary>One of the two index sides of a reduction: i (Vi rows) or j (Vj rows).</summary>
public enum Side
{
    /// <summary>The rows of the Vi variables.</summary>
    I = 0,

    /// <summary>The rows of the Vj variables.</summary>
    J = 1,
}

/// <summary>Which merge a partial state needs: the reduction's own pair-combination rule.</summary>
public enum PartialStateKind
{
    /// <summary>Sums (Sum, gradients, parameter totals): add.</summary>
    Sum = 0,

    /// <summary>(value, index) per component: the smaller value wins, the lower index on ties.</summary>
    Min = 1,

    /// <summary>(value, index) per component: the larger value wins, the lower index on ties.</summary>
    Max = 2,

    /// <summary>K sorted (value, index) slots per component: the K smallest of the union, lower index first on ties.</summary>
    KMin = 3,

    /// <summary>(m, s_0, s_1..s_d) per row: max shift m, Σ e^(F−m), Σ e^(F−m) G_k; merged by rescaling to the larger m.</summary>
    ShiftExp = 4,
}

/// <summary>
/// The partial result of one engine call over this process's rows, before finalization: what a
/// <see cref="ReductionExchange"/> merges across processes, in place.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="kind">The merge rule.</param>
/// <param name="rows">Rows of the state buffers.</param>
/// <param name="width">Values per row.</param>
/// <param name="k">K of the KMin family (0 otherwise).</param>
/// <param name="rowSide">The side indexing the rows, or null when all rows were summed into one (a parameter gradient).</param>
/// <param name="reducedSide">The side reduced over.</param>
/// <param name="reducedCount">This process's number of rows on the reduced side.</param>
/// <param name="values">The values.</param>
/// <param name="indices">The indices, or null.</param>
/// <remarks>
/// The engine builds these. Values are <see cref="Rows"/> × <see cref="Width"/>, row-major; for
/// Min, Max and KMin the indices have the same layout, relative to this process's first reduced
/// row, −1 where no term was selected. The KMin layout is [row][k][component].
/// </remarks>
public readonly unsafe struct PartialState<T>(PartialStateKind kind, int rows, int width, int k, Side? rowSide, Side reducedSide, int reducedCount, T* values, int* indices)
    where T : unmanaged
{
    /// <summary>The merge rule.</summary>
    public PartialStateKind Kind { get; } = kind;

    /// <summary>Rows of the state buffers.</summary>
    public int Rows { get; } = rows;

    /// <summary>Values per row.</summary>
    public int Width { get; } = width;

    /// <summary>K of the KMin family (0 otherwise).</summary>
    public int K { get; } = k;

    /// <summary>The side indexing the rows; null when the rows were summed into one.</summary>
    public Side? RowSide { get; } = rowSide;

    /// <summary>The side reduced over (where the indices point).</summary>
    public Side ReducedSide { get; } = reducedSide;

    /// <summary>This process's rows on the reduced side.</summary>
    public int ReducedCount { get; } = reducedCount;

    /// <summary>Rows × Width values.</summary>
    public T* Values { get; } = values;

    /// <summary>Rows × Width indices, or null.</summary>
    public int* Indices { get; } = indices;
}
