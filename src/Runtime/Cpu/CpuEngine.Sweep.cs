using System;
using System.Numerics;

namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// What every reduction job shares: the inner variables gathered once into a shared
    /// structure-of-arrays block, the parameters, and the split of output rows into chunks run in
    /// parallel. A job supplies only what it does with one chunk.
    /// </summary>
    internal abstract class SweepJob<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        protected SweepJob(TKernel kernel, int outerCount, int innerCount, ReductionSettings settings)
        {
            Kernel = kernel;
            OuterCount = outerCount;
            InnerCount = innerCount;
            Settings = settings;
            ChunkRowCount = ChunkRows(outerCount, innerCount);
            TileRowCount = TileRows<T>(TKernel.InnerDim);
        }

        protected TKernel Kernel { get; }

        protected int OuterCount { get; }

        protected int InnerCount { get; }

        protected ReductionSettings Settings { get; }

        /// <summary>Output rows per parallel work item.</summary>
        protected int ChunkRowCount { get; }

        /// <summary>Inner rows per L1 tile.</summary>
        protected int TileRowCount { get; }

        /// <summary>The inner block: component k of inner row j is at <c>Inner[k * Stride + j]</c>.</summary>
        protected T* Inner { get; private set; }

        protected T* Params { get; private set; }

        protected nint Stride { get; private set; }

        public void Run()
        {
            using var block = new InnerBlock<T>(TKernel.InnerDim, InnerCount, TKernel.ParamDim);
            Inner = block.Inner;
            Params = block.Params;
            Stride = block.Stride;
            Kernel.GatherInner(0, InnerCount, Inner, Stride);
            Kernel.GatherParams(Params);
            ForEachChunk(OuterCount, ChunkRowCount, Settings.CancellationToken, RunChunk);
        }

        /// <summary>Rows [chunk·ChunkRowCount, ...) of the output.</summary>
        protected abstract void RunChunk(int chunk);

        /// <summary>Copies the outer variables of <paramref name="rows"/> rows from <paramref name="firstRow"/>.</summary>
        protected void GatherOuterRows(int firstRow, int rows, T* destination)
        {
            int outerDim = TKernel.OuterDim;
            for (int r = 0; r < rows; r++)
            {
                Kernel.GatherOuter(firstRow + r, destination + (r * outerDim));
            }
        }

        protected (int FirstRow, int Rows) ChunkBounds(int chunk)
        {
            int firstRow = chunk * ChunkRowCount;
            return (firstRow, Math.Min(ChunkRowCount, OuterCount - firstRow));
        }
    }
}
