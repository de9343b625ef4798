using System;
using KeOpsGen.Distributed;

namespace KeOpsGen.Mpi;

/// <summary>Runs generated KeOpsGen reductions as one reduction over all the ranks of a communicator.</summary>
public static class Distributed
{
    /// <summary>
    /// Runs <paramref name="call"/> (one or more generated reduction or gradient methods, called
    /// with this rank's slices) as a collective: each engine call reduces this rank's rows, and
    /// where the side it reduces over is the <paramref name="split"/> side, the partial states of
    /// all ranks are merged with the reduction's own merge, so every rank ends with the whole
    /// result. Where the split side indexes the output rows, each rank's rows are already whole.
    /// </summary>
    /// <param name="comm">The ranks taking part; every one of them must call this.</param>
    /// <param name="split">
    /// The side whose rows are split across ranks, in rank order (rank 0 the first rows). The other
    /// side must be whole on every rank.
    /// </param>
    /// <param name="call">The calls to make, the same sequence on every rank.</param>
    /// <exception cref="DistributedReductionException">
    /// On every rank, when any rank's call threw (the message names the ranks and their errors), or
    /// when the ranks' row counts or calls do not match.
    /// </exception>
    public static void Run(MpiCommunicator comm, Side split, Action call)
    {
        ArgumentNullException.ThrowIfNull(comm);
        ArgumentNullException.ThrowIfNull(call);
        var exchange = new MpiExchange(comm, split);
        try
        {
            using (exchange.Enter())
            {
                call();
            }
        }
        catch (Exception error) when (!exchange.Settled)
        {
            exchange.Finish(error);
        }

        exchange.Finish(null);
    }
}
