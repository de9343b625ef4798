namespace KeOpsGen.Distributed;

/// <summary>
/// Where the CPU engine hands its partial states when a reduction runs as one part of a larger,
/// distributed one. While an exchange is entered on a thread, every engine call on that thread
/// computes its local state, passes it to <see cref="Merge{T}"/> (which combines the states of all
/// processes in place) and then finalizes the merged state as usual: nothing is computed twice.
/// </summary>
/// <remarks>
/// KeOpsGen.Mpi implements this over MPI. An implementation is called once per engine call, in
/// the same order on every process, since every process runs the same generated code.
/// </remarks>
public abstract class ReductionExchange
{
    [ThreadStatic]
    private static ReductionExchange? t_current;

    /// <summary>The exchange entered on this thread, or null for a plain local call.</summary>
    public static ReductionExchange? Current => t_current;

    /// <summary>
    /// Merges <paramref name="state"/> with the matching states of the other processes, in place,
    /// so that on return it holds the state of the whole reduction.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="state">This process's partial state.</param>
    public abstract void Merge<T>(in PartialState<T> state) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The global index of this process's first row on <paramref name="side"/>, where that side is
    /// split across processes; 0 where every process holds all of it. A collective call.
    /// </summary>
    /// <param name="side">The side the indices run over.</param>
    /// <param name="localCount">This process's rows on that side.</param>
    public abstract int FirstRow(Side side, int localCount);

    /// <summary>Makes this exchange current on the calling thread until the scope is disposed.</summary>
    public Scope Enter() => new(this);

    /// <summary>Runs a local engine call with no exchange current, then restores it.</summary>
    internal static Scope Suspend() => new(null);

    /// <summary>Restores the previous exchange of the thread when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly ReductionExchange? _previous;

        internal Scope(ReductionExchange? exchange)
        {
            _previous = t_current;
            t_current = exchange;
        }

        /// <summary>Restores the previous exchange.</summary>
        public void Dispose() => t_current = _previous;
    }
}
