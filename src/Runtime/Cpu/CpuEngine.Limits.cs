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
    /// Largest shared structure-of-arrays copy of the reduced side, in bytes. Up to it the reduced
    /// side is gathered once for the whole call (the common case: M = 10^6 rows × 3 floats is
    /// 12 MB); beyond it each worker gathers a bounded window of tiles at a time
    /// (<see cref="WindowRows"/>), so the copy's memory no longer grows with M.
    /// </summary>
    internal const long SharedInnerBytes = 256L << 20;

    /// <summary>Bytes of one worker's window of the reduced side, when the side is too big to share.</summary>
    internal const int WindowBytes = 1 << 20;

    /// <summary>
    /// Set by tests on the calling thread to force windows of this many rows (0: sizes decide), so
    /// that windowed gathering is checked against a reference at sizes a test can afford.
    /// </summary>
    [ThreadStatic]
    internal static int ForcedWindowRows;

    /// <summary>Rejects a reduced side over <see cref="MaxInnerRows"/> with a message naming its size.</summary>
    /// <exception cref="ArgumentException">More reduced rows than the engine's indices allow.</exception>
    internal static void CheckInnerRows(int innerCount)
    {
        if (innerCount > MaxInnerRows)
        {
            throw new ArgumentException(string.Format(
                CultureInfo.InvariantCulture,
                "M = {0:N0} rows on the reduced side is over the engine's limit of {1:N0} (reduced indices plus one SIMD vector must stay in int); "
                + "split the reduced side into blocks of at most {1:N0} rows and combine the partial results.",
                innerCount, MaxInnerRows));
        }
    }

    /// <summary>
    /// Reduced rows per worker window: whole tiles, about <see cref="WindowBytes"/> of values, and
    /// never more than the reduced side itself.
    /// </summary>
    internal static int WindowRows(int innerDim, int tileRows, int innerCount, int elementSize)
    {
        if (ForcedWindowRows > 0)
        {
            return ForcedWindowRows;
        }

        long tiles = Math.Max(1, WindowBytes / ((long)Math.Max(innerDim, 1) * elementSize * tileRows));
        return (int)Math.Min(tiles * tileRows, Math.Max(innerCount, 1));
    }

    /// <summary>
    /// True when the reduced side is gathered once into one shared copy: it is at most
    /// <see cref="SharedInnerBytes"/> (or has no component at all) and no test forces windows.
    /// </summary>
    internal static bool SharesInnerCopy(int innerDim, int innerCount, int elementSize)
        => ForcedWindowRows == 0 && (innerDim == 0 || (long)innerDim * PaddedStride(innerCount) * elementSize <= SharedInnerBytes);

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
