using System;
using System.Collections.Generic;

namespace KeOpsGen.Mpi;

/// <summary>
/// A distributed call failed: thrown on every rank, with the same message, when one rank threw or
/// when the ranks' slices or calls did not match. No rank is left waiting in a collective.
/// </summary>
public sealed class DistributedReductionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DistributedReductionException(string message, IReadOnlyList<int> failedRanks, Exception? inner = null)
        : base(message, inner)
    {
        FailedRanks = failedRanks;
    }

    /// <summary>The ranks whose own call threw (empty for a mismatch between ranks).</summary>
    public IReadOnlyList<int> FailedRanks { get; }
}
