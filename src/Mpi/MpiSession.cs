using System;

namespace KeOpsGen.Mpi;

/// <summary>
/// MPI for the process: initializes it (unless the host already did) and finalizes it on dispose
/// when it was the one to initialize it. Create one at the start of Main, under mpirun.
/// </summary>
public sealed class MpiSession : IDisposable
{
    private readonly bool _owns;
    private bool _disposed;

    private MpiSession(bool owns)
    {
        _owns = owns;
        World = new MpiCommunicator(MpiNative.CommWorld);
    }

    /// <summary>All ranks of the job (MPI_COMM_WORLD).</summary>
    public MpiCommunicator World { get; }

    /// <summary>Loads Open MPI and initializes MPI if needed.</summary>
    /// <exception cref="DllNotFoundException">Open MPI's libmpi.so.40 is not installed.</exception>
    public static MpiSession Initialize()
    {
        MpiNative.Load();
        MpiNative.Check(MpiNative.MPI_Initialized(out int initialized), "MPI_Initialized");
        if (initialized != 0)
        {
            return new MpiSession(owns: false);
        }

        MpiNative.Check(MpiNative.MPI_Init(0, 0), "MPI_Init");
        return new MpiSession(owns: true);
    }

    /// <summary>Finalizes MPI if this session initialized it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_owns && MpiNative.MPI_Finalized(out int finalized) == 0 && finalized == 0)
        {
            MpiNative.Check(MpiNative.MPI_Finalize(), "MPI_Finalize");
        }
    }
}
