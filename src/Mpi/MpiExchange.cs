using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using KeOpsGen.Distributed;

namespace KeOpsGen.Mpi;

/// <summary>
/// The engine's partial states merged over MPI. Every collective step starts with an all-gather
/// of a small header (what this rank is doing, its row counts, whether it failed), so every rank
/// takes the same decision: go on, or throw the same error. A rank whose call threw sends its
/// error in the header of the step the others are waiting in.
/// </summary>
/// <remarks>
/// A merge is a reduce-scatter then an all-gather: the output rows are cut into one block per
/// rank; rank b receives every rank's state of block b (MPI_Alltoallv), merges them in rank order
/// (so ties go to the first global index, as in one process), and the merged blocks are gathered
/// back on every rank (MPI_Allgatherv).
/// </remarks>
internal sealed unsafe class MpiExchange : ReductionExchange
{
    private const int MergeTag = 1;
    private const int FirstRowTag = 2;
    private const int EndTag = 3;
    private const int MessageBytes = 256;

    private readonly MpiCommunicator _comm;
    private readonly Side _split;
    private int _step;

    public MpiExchange(MpiCommunicator comm, Side split)
    {
        _comm = comm;
        _split = split;
    }

    /// <summary>True once the ranks agreed to stop (an error was thrown on all of them).</summary>
    public bool Settled { get; private set; }

    public override int FirstRow(Side side, int localCount)
    {
        Header[] all = Step(new Header { Tag = FirstRowTag, ReducedSide = (int)side, ReducedCount = localCount });
        if (side != _split)
        {
            RequireEqual(all, h => h.ReducedCount, $"the {side} side is not split, so every rank must hold all its rows", $"{side} rows");
            return 0;
        }

        return Offsets(all)[_comm.Rank];
    }

    public override void Merge<T>(in PartialState<T> state)
    {
        Header[] all = Step(new Header
        {
            Tag = MergeTag,
            Kind = (int)state.Kind,
            ElementSize = sizeof(T),
            Rows = state.Rows,
            Width = state.Width,
            K = state.K,
            RowSide = state.RowSide is { } side ? (int)side : -1,
            ReducedSide = (int)state.ReducedSide,
            ReducedCount = state.ReducedCount,
        });
        if (state.ReducedSide != _split)
        {
            RequireEqual(all, h => h.ReducedCount, $"the {_split} side is split, so every rank must hold all the {state.ReducedSide} rows", $"{state.ReducedSide} rows");
        }

        if (state.RowSide == _split)
        {
            // This rank's output rows are whole: the split side indexes them.
            return;
        }

        if (state.RowSide is { } rowSide)
        {
            RequireEqual(all, h => h.Rows, $"the {_split} side is split, so every rank must hold all the {rowSide} rows", $"{rowSide} rows");
        }

        int[] offsets = state.ReducedSide == _split ? Offsets(all) : new int[_comm.Size];
        MergeRows(state, offsets);
    }

    /// <summary>The last step of a call: every rank reports success or its error; throws on every rank if any failed.</summary>
    public void Finish(Exception? error)
    {
        var header = new Header { Tag = EndTag };
        if (error is not null)
        {
            header.Failed = 1;
            header.Message = $"{error.GetType().Name}: {error.Message}";
        }

        Header[] all = Step(header, error);
        if (all[0].Step == 1)
        {
            Fail("the call made no CPU engine reduction, so nothing was merged (a GPU backend is not distributed yet; run the method with Backend = Cpu or Auto on CPU ranks)", Array.Empty<int>(), null);
        }
    }

    private void MergeRows<T>(in PartialState<T> state, int[] offsets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = _comm.Size;
        int rank = _comm.Rank;
        int rows = state.Rows;
        var counts = new int[size];
        var starts = new int[size];
        for (int b = 0; b < size; b++)
        {
            starts[b] = (int)((long)rows * b / size);
            counts[b] = (int)((long)rows * (b + 1) / size) - starts[b];
        }

        int mine = counts[rank];
        var receiveCounts = new int[size];
        var receiveStarts = new int[size];
        for (int p = 0; p < size; p++)
        {
            receiveCounts[p] = mine;
            receiveStarts[p] = p * mine;
        }

        int width = state.Width;
        bool indexed = state.Indices != null;
        int n = checked(mine * width);
        T[] pieceValues = new T[Math.Max(1, checked(n * size))];
        int[] pieceIndices = indexed ? new int[Math.Max(1, n * size)] : Array.Empty<int>();
        T[] merged = new T[Math.Max(1, n)];
        int[] mergedIndices = indexed ? new int[Math.Max(1, n)] : Array.Empty<int>();
        fixed (T* pv = pieceValues, mv = merged)
        fixed (int* pi = pieceIndices, mi = mergedIndices)
        {
            _comm.AllToAllRows(state.Values, counts, starts, pv, receiveCounts, receiveStarts, width * sizeof(T));
            if (indexed)
            {
                _comm.AllToAllRows(state.Indices, counts, starts, pi, receiveCounts, receiveStarts, width * sizeof(int));
            }

            PartialStateMerge.Merge<T>(state.Kind, mine, width, state.K, pieceValues.AsSpan(0, n * size), indexed ? pieceIndices.AsSpan(0, n * size) : default, offsets, merged.AsSpan(0, n), indexed ? mergedIndices.AsSpan(0, n) : default);
            _comm.AllGatherRows(mv, mine, state.Values, counts, starts, width * sizeof(T));
            if (indexed)
            {
                _comm.AllGatherRows(mi, mine, state.Indices, counts, starts, width * sizeof(int));
            }
        }
    }

    /// <summary>The global first row of each rank's slice: the running total of the slices before it.</summary>
    private int[] Offsets(Header[] all)
    {
        var offsets = new int[all.Length];
        long total = 0;
        for (int r = 0; r < all.Length; r++)
        {
            offsets[r] = (int)total;
            total += all[r].ReducedCount;
        }

        if (total > int.MaxValue)
        {
            Fail($"the split side has {total} rows in all, more than int.MaxValue (indices are int)", Array.Empty<int>(), null);
        }

        return offsets;
    }

    private void RequireEqual(Header[] all, Func<Header, int> value, string rule, string what)
    {
        for (int r = 1; r < all.Length; r++)
        {
            if (value(all[r]) != value(all[0]))
            {
                Fail($"mismatched slices in call step {all[0].Step}: {rule}, but rank 0 has {value(all[0])} {what} and rank {r} has {value(all[r])}", Array.Empty<int>(), null);
            }
        }
    }

    /// <summary>One header all-gather; throws on every rank if any rank failed or the ranks are not in the same call.</summary>
    private Header[] Step(Header mine, Exception? localError = null)
    {
        mine.Step = ++_step;
        mine.Split = (int)_split;
        // The header is plain data (no references): it travels as its own bytes, and every rank
        // runs the same build on the same kind of machine, so the layouts agree.
        var all = new Header[_comm.Size];
        _comm.AllGather(MemoryMarshal.AsBytes(new ReadOnlySpan<Header>(in mine)), MemoryMarshal.AsBytes(all.AsSpan()));

        var failed = new List<int>();
        var messages = new StringBuilder();
        for (int r = 0; r < all.Length; r++)
        {
            if (all[r].Failed != 0)
            {
                failed.Add(r);
                messages.Append(messages.Length == 0 ? string.Empty : "; ").Append("rank ").Append(r).Append(": ").Append(all[r].Message);
            }
        }

        if (failed.Count > 0)
        {
            Fail($"{failed.Count} of {all.Length} ranks failed ({messages})", failed, localError);
        }

        for (int r = 1; r < all.Length; r++)
        {
            if (!all[r].SameCall(all[0]))
            {
                Fail($"the ranks are not making the same calls: rank 0 is at {all[0].Describe()}, rank {r} at {all[r].Describe()}", Array.Empty<int>(), null);
            }
        }

        return all;
    }

    private void Fail(string reason, IReadOnlyList<int> failed, Exception? inner)
    {
        Settled = true;
        throw new DistributedReductionException("KeOpsGen.Mpi: distributed call failed on every rank: " + reason + ".", failed, inner);
    }

    /// <summary>What a rank tells the others at each step; a fixed size, so one all-gather carries it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public int Tag;
        public int Step;
        public int Split;
        public int Kind;
        public int ElementSize;
        public int Rows;
        public int Width;
        public int K;
        public int RowSide;
        public int ReducedSide;
        public int ReducedCount;
        public int Failed;
        private int _messageLength;
        private MessageText _message;

        /// <summary>The failure message, UTF-8, cut to <see cref="MessageBytes"/> bytes.</summary>
        public string Message
        {
            readonly get => Encoding.UTF8.GetString(((ReadOnlySpan<byte>)_message)[..Math.Clamp(_messageLength, 0, MessageBytes)]);
            set
            {
                byte[] text = Encoding.UTF8.GetBytes(value ?? string.Empty);
                _messageLength = Math.Min(text.Length, MessageBytes);
                text.AsSpan(0, _messageLength).CopyTo(_message);
            }
        }

        /// <summary>The same step of the same call: everything but the row counts, which the step checks itself.</summary>
        public readonly bool SameCall(in Header other)
            => Tag == other.Tag && Step == other.Step && Split == other.Split && Kind == other.Kind && ElementSize == other.ElementSize
               && Width == other.Width && K == other.K && RowSide == other.RowSide && ReducedSide == other.ReducedSide;

        public readonly string Describe() => Tag switch
        {
            MergeTag => $"step {Step}, a {(PartialStateKind)Kind} merge (element size {ElementSize}, width {Width}{(K > 0 ? $", K = {K}" : string.Empty)}, split {(Side)Split})",
            FirstRowTag => $"step {Step}, an index-offset step (split {(Side)Split})",
            _ => $"step {Step}, the end of the call (split {(Side)Split})",
        };
    }

    [System.Runtime.CompilerServices.InlineArray(MessageBytes)]
    private struct MessageText
    {
        private byte _first;
    }
}
