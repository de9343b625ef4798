using System;

namespace KeOpsGen.Cuda;

/// <summary>
/// What generated code tells the CUDA engine about one kernel: its PTX, entry name, block size
/// and the dimensions of its arguments in launch order (outer variables, inner variables,
/// parameters), each a pointer parameter of the entry, followed by the output pointer and the
/// outer and inner counts.
/// </summary>
public sealed class CudaKernelInfo
{
    /// <summary>Creates the description (called from generated code).</summary>
    public CudaKernelInfo(string ptx, string entryName, int blockSize, int formulaDim, int[] outerDims, int[] innerDims, int[] paramDims)
    {
        Ptx = ptx;
        EntryName = entryName;
        BlockSize = blockSize;
        FormulaDim = formulaDim;
        OuterDims = outerDims;
        InnerDims = innerDims;
        ParamDims = paramDims;
    }

    /// <summary>The PTX module text (one .entry).</summary>
    public string Ptx { get; }

    /// <summary>The .entry name.</summary>
    public string EntryName { get; }

    /// <summary>Threads per block; the entry declares it with .reqntid and tiles by it.</summary>
    public int BlockSize { get; }

    /// <summary>Values per output row.</summary>
    public int FormulaDim { get; }

    /// <summary>Dimension of each outer variable (rows = the outer count).</summary>
    public int[] OuterDims { get; }

    /// <summary>Dimension of each inner variable (rows = the inner count).</summary>
    public int[] InnerDims { get; }

    /// <summary>Dimension of each parameter.</summary>
    public int[] ParamDims { get; }

    internal int InputCount => OuterDims.Length + InnerDims.Length + ParamDims.Length;

    /// <summary>Number of values of input <paramref name="index"/> (launch order).</summary>
    internal long InputLength(int index, int outerCount, int innerCount)
    {
        if (index < OuterDims.Length)
        {
            return (long)OuterDims[index] * outerCount;
        }

        index -= OuterDims.Length;
        if (index < InnerDims.Length)
        {
            return (long)InnerDims[index] * innerCount;
        }

        index -= InnerDims.Length;
        return index < ParamDims.Length ? ParamDims[index] : throw new ArgumentOutOfRangeException(nameof(index));
    }
}
