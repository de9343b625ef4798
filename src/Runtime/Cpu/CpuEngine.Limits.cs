using System;
using System.Globalization;

namespace KeOpsGen.Cpu;

/// <summary>
/// The size limits of the CPU engine, checked in 64-bit before anything is rented or written, so
/// that a call too big for one .NET array fails with a message naming its sizes instead of
/// wrapping an int and writing past a buffer.
/// </summary>
public static unsafe partial class CpuEngine
{
    /// <summary>Largest reduced-side row count any call accepts, whatever its dimensions.</summary>
    /// <remarks>
    /// Keeps every reduced index plus one vector width (<c>j + 16</c>) and every tile start plus a
    /// tile inside int, so the SIMD loops over the reduced side cannot wrap.
    /// </remarks>
    internal static int MaxInnerRows => Array.MaxLength & ~15;

    /// <summary>
    /// Values of the shared inner copy (<paramref name="innerDim"/> components × padded
    /// <paramref name="innerCount"/> rows), checked against the array limit.
    /// </summary>
    /// <exception cref="ArgumentException">The copy would not fit one array.</exception>
    internal static int InnerCopyLength(int innerDim, int innerCount, int elementSize)
    {
        long length = (long)Math.Max(innerDim, 0) * PaddedStride(innerCount);
        if (length > Array.MaxLength || innerCount > MaxInnerRows)
        {
            long limitRows = Math.Min(MaxInnerRows, (Array.MaxLength / Math.Max(innerDim, 1)) & ~15L);
            throw new ArgumentException(string.Format(
                CultureInfo.InvariantCulture,
                "M = {0:N0} rows × {1} reduced-side components need a {2} inner copy ({3:N0} values), over the {4:N0}-value limit of one .NET array; "
                + "split the reduced side into blocks of at most {5:N0} rows and combine the partial results.",
                innerCount, innerDim, Bytes(length * elementSize), length, Array.MaxLength, limitRows));
        }

        return (int)Math.Max(1, length);
    }

    /// <summary>Values of the per-row partial sums of a parameter gradient, checked against the array limit.</summary>
    /// <exception cref="ArgumentException">The buffer would not fit one array.</exception>
    internal static int RowPartialsLength(int outerCount, int formulaDim, int elementSize)
    {
        long length = (long)outerCount * formulaDim;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException(string.Format(
                CultureInfo.InvariantCulture,
                "N = {0:N0} rows × {1} components need a {2} buffer of per-row partial sums for this parameter gradient ({3:N0} values), over the {4:N0}-value limit of one .NET array; "
                + "split the rows into blocks of at most {5:N0} and add the partial gradients.",
                outerCount, formulaDim, Bytes(length * elementSize), length, Array.MaxLength, Array.MaxLength / Math.Max(formulaDim, 1)));
        }

        return (int)Math.Max(1, length);
    }

    /// <summary>
    /// End of the tile starting at <paramref name="tile"/>, written so that it cannot overflow for
    /// a reduced size near <see cref="int.MaxValue"/> (<c>tile + tileRows</c> would).
    /// </summary>
    internal static int TileEnd(int tile, int tileRows, int innerCount)
        => innerCount - tile > tileRows ? tile + tileRows : innerCount;

    /// <summary>Number of work items of <paramref name="chunkRows"/> rows covering <paramref name="outerCount"/> rows.</summary>
    internal static int ChunkCount(int outerCount, int chunkRows)
        => (int)(((long)outerCount + chunkRows - 1) / chunkRows);

    /// <summary>
    /// Threads one call may occupy, the calling thread included: one per core, less one when the
    /// caller is itself a pool thread. Unbounded, Parallel.For keeps asking the pool for more
    /// workers, so timers (<c>CancelAfter</c>) and other pool work waited seconds for a thread;
    /// bounded, the pool's minimum (one thread per core) always has a thread left for them.
    /// </summary>
    internal static int WorkerCount()
        => Math.Max(1, Environment.ProcessorCount - (System.Threading.Thread.CurrentThread.IsThreadPoolThread ? 1 : 0));

    private static string Bytes(long bytes)
        => bytes >= 1_000_000_000
            ? (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
            : (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
