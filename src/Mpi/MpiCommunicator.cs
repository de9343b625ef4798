using System;

namespace KeOpsGen.Mpi;

/// <summary>A group of MPI ranks and the collectives KeOpsGen.Mpi runs on it.</summary>
public sealed unsafe class MpiCommunicator
{
    private readonly nint _comm;

    internal MpiCommunicator(nint comm)
    {
        _comm = comm;
        MpiNative.Check(MpiNative.MPI_Comm_rank(comm, out int rank), "MPI_Comm_rank");
        MpiNative.Check(MpiNative.MPI_Comm_size(comm, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank, 0 to <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks.</summary>
    public int Size { get; }

    /// <summary>MPI_Wtime: seconds since an arbitrary point on this rank's clock.</summary>
    public static double Time => MpiNative.MPI_Wtime();

    /// <summary>Waits for every rank.</summary>
    public void Barrier() => MpiNative.Check(MpiNative.MPI_Barrier(_comm), "MPI_Barrier");

    /// <summary>The maximum of <paramref name="value"/> over all ranks (a wall time, for instance).</summary>
    public double MaxOverRanks(double value) => AllReduce(value, MpiNative.OpMax);

    /// <summary>The sum of <paramref name="value"/> over all ranks.</summary>
    public double SumOverRanks(double value) => AllReduce(value, MpiNative.OpSum);

    private double AllReduce(double value, nint op)
    {
        double result;
        MpiNative.Check(MpiNative.MPI_Allreduce(&value, &result, 1, MpiNative.Double, op, _comm), "MPI_Allreduce");
        return result;
    }

    /// <summary>
    /// The even split of <paramref name="total"/> rows: rank r holds [Start, Start + Count), the
    /// first total mod size ranks one row more. Slices follow rank order, as distributed calls need.
    /// </summary>
    public (int Start, int Count) Slice(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        long start = (long)total * Rank / Size;
        long end = (long)total * (Rank + 1) / Size;
        return ((int)start, (int)(end - start));
    }

    /// <summary>
    /// Every rank's rows, concatenated in rank order, on every rank: how the rows of an output
    /// computed on split output rows become whole.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="local">This rank's rows, row-major.</param>
    /// <param name="width">Values per row.</param>
    public T[] AllGatherRows<T>(ReadOnlySpan<T> local, int width) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (local.Length % width != 0)
        {
            throw new ArgumentException($"Expected a multiple of {width} values (rows × {width}), got {local.Length}.", nameof(local));
        }

        int[] counts = AllGather(local.Length / width);
        var displacements = new int[Size];
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            displacements[r] = checked((int)total);
            total += counts[r];
        }

        var result = new T[checked(total * width)];
        using var row = new RowType(checked(width * sizeof(T)));
        fixed (T* send = local, receive = result)
        fixed (int* c = counts, d = displacements)
        {
            MpiNative.Check(MpiNative.MPI_Allgatherv(send, local.Length / width, row.Handle, receive, c, d, row.Handle, _comm), "MPI_Allgatherv");
        }

        return result;
    }

    /// <summary>Every rank's <paramref name="value"/>, by rank.</summary>
    internal int[] AllGather(int value)
    {
        var all = new int[Size];
        fixed (int* receive = all)
        {
            MpiNative.Check(MpiNative.MPI_Allgather(&value, 1, MpiNative.Int, receive, 1, MpiNative.Int, _comm), "MPI_Allgather");
        }

        return all;
    }

    /// <summary>Every rank's block of <paramref name="send"/>.Length bytes, by rank.</summary>
    internal void AllGather(ReadOnlySpan<byte> send, Span<byte> receive)
    {
        fixed (byte* s = send, r = receive)
        {
            MpiNative.Check(MpiNative.MPI_Allgather(s, send.Length, MpiNative.Byte, r, send.Length, MpiNative.Byte, _comm), "MPI_Allgather");
        }
    }

    /// <summary>
    /// Rows of <paramref name="rowBytes"/> bytes: rank r sends rows [sendStart[b], +sendCount[b]) to
    /// rank b and receives receiveCount[p] rows from each rank p, in rank order.
    /// </summary>
    internal void AllToAllRows(void* send, int[] sendCounts, int[] sendStarts, void* receive, int[] receiveCounts, int[] receiveStarts, int rowBytes)
    {
        using var row = new RowType(rowBytes);
        fixed (int* sc = sendCounts, sd = sendStarts, rc = receiveCounts, rd = receiveStarts)
        {
            MpiNative.Check(MpiNative.MPI_Alltoallv(send, sc, sd, row.Handle, receive, rc, rd, row.Handle, _comm), "MPI_Alltoallv");
        }
    }

    /// <summary>Each rank's <paramref name="count"/> rows, gathered at <paramref name="starts"/> on every rank.</summary>
    internal void AllGatherRows(void* send, int count, void* receive, int[] counts, int[] starts, int rowBytes)
    {
        using var row = new RowType(rowBytes);
        fixed (int* c = counts, d = starts)
        {
            MpiNative.Check(MpiNative.MPI_Allgatherv(send, count, row.Handle, receive, c, d, row.Handle, _comm), "MPI_Allgatherv");
        }
    }

    /// <summary>Ends every rank of the job (MPI_Abort): the last resort when a rank cannot go on.</summary>
    /// <param name="errorCode">The exit code mpirun reports.</param>
    public void Abort(int errorCode) => MpiNative.Check(MpiNative.MPI_Abort(_comm, errorCode), "MPI_Abort");

    /// <summary>
    /// One row as an MPI datatype, so that counts are rows: byte counts of large outputs would
    /// pass int.MaxValue long before row counts do.
    /// </summary>
    private struct RowType : IDisposable
    {
        public nint Handle;

        public RowType(int bytes)
        {
            MpiNative.Check(MpiNative.MPI_Type_contiguous(Math.Max(bytes, 1), MpiNative.Byte, out Handle), "MPI_Type_contiguous");
            MpiNative.Check(MpiNative.MPI_Type_commit(ref Handle), "MPI_Type_commit");
        }

        public void Dispose() => MpiNative.Check(MpiNative.MPI_Type_free(ref Handle), "MPI_Type_free");
    }
}
