using System;
using System.Runtime.InteropServices;

namespace KeOpsGen.Mpi;

/// <summary>
/// The few MPI calls KeOpsGen.Mpi needs, bound to Open MPI's libmpi.so.40 (Open MPI 4.x and 5.x).
/// Open MPI's handles (MPI_COMM_WORLD, MPI_BYTE, MPI_SUM...) are addresses of exported globals, read
/// once with <see cref="NativeLibrary.GetExport"/>. MPI.NET 1.4.0 could not be used: it binds to
/// "msmpi.dll" with MS-MPI's integer handles, which is not Open MPI's ABI.
/// </summary>
internal static unsafe partial class MpiNative
{
    private const string Library = "libmpi.so.40";
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    private static nint s_handle;

    public static nint CommWorld { get; private set; }

    public static nint Byte { get; private set; }

    public static nint Int { get; private set; }

    public static nint Double { get; private set; }

    public static nint OpMax { get; private set; }

    public static nint OpSum { get; private set; }

    /// <summary>
    /// Loads libmpi with RTLD_GLOBAL: Open MPI loads its components as plugins that resolve
    /// libmpi's symbols globally, which the runtime's default (local) loading would hide.
    /// </summary>
    public static void Load()
    {
        if (s_handle != 0)
        {
            return;
        }

        string path = Environment.GetEnvironmentVariable("KEOPSGEN_LIBMPI") is { Length: > 0 } custom ? custom : Library;
        nint handle = DlOpen(path, RtldNow | RtldGlobal);
        if (handle == 0)
        {
            throw new DllNotFoundException($"KeOpsGen.Mpi could not load Open MPI's '{path}' ({Marshal.PtrToStringUTF8(DlError()) ?? "no reason given"}). Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) or set KEOPSGEN_LIBMPI to its libmpi.so.40.");
        }

        NativeLibrary.SetDllImportResolver(typeof(MpiNative).Assembly, (name, _, _) => name == Library ? handle : 0);
        CommWorld = Export(handle, "ompi_mpi_comm_world");
        Byte = Export(handle, "ompi_mpi_byte");
        Int = Export(handle, "ompi_mpi_int");
        Double = Export(handle, "ompi_mpi_double");
        OpMax = Export(handle, "ompi_mpi_op_max");
        OpSum = Export(handle, "ompi_mpi_op_sum");
        s_handle = handle;
    }

    private static nint Export(nint handle, string name)
        => NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"KeOpsGen.Mpi: '{name}' is missing from libmpi; KeOpsGen.Mpi needs Open MPI (MPICH and MS-MPI have another ABI).");

    /// <summary>Throws when an MPI call reports an error (with MPI_ERRORS_RETURN; the default handler aborts first).</summary>
    public static void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"KeOpsGen.Mpi: {call} failed with MPI error code {code}.");
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
    private static partial nint DlError();

    [LibraryImport(Library)]
    public static partial int MPI_Initialized(out int flag);

    [LibraryImport(Library)]
    public static partial int MPI_Finalized(out int flag);

    [LibraryImport(Library)]
    public static partial int MPI_Init(nint argc, nint argv);

    [LibraryImport(Library)]
    public static partial int MPI_Finalize();

    [LibraryImport(Library)]
    public static partial int MPI_Comm_rank(nint comm, out int rank);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_size(nint comm, out int size);

    [LibraryImport(Library)]
    public static partial int MPI_Barrier(nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Abort(nint comm, int errorCode);

    [LibraryImport(Library)]
    public static partial double MPI_Wtime();

    [LibraryImport(Library)]
    public static partial int MPI_Allgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Allgatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Alltoallv(void* send, int* sendCounts, int* sendDisplacements, nint sendType, void* receive, int* receiveCounts, int* receiveDisplacements, nint receiveType, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Allreduce(void* send, void* receive, int count, nint type, nint op, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Type_contiguous(int count, nint oldType, out nint newType);

    [LibraryImport(Library)]
    public static partial int MPI_Type_commit(ref nint type);

    [LibraryImport(Library)]
    public static partial int MPI_Type_free(ref nint type);
}
