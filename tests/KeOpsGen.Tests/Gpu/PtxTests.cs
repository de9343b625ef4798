using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gpu;

/// <summary>
/// The PTX ILGPU makes of generated kernels, compiled here without a GPU (sm_90, PTX ISA 8.0):
/// what a real GPU would run, inspected in CI.
/// </summary>
public sealed class PtxTests
{
    private static string Ptx(MethodInfo kernel)
    {
        using var context = Context.Create(builder => builder.EnableAlgorithms().Optimize(OptimizationLevel.O1));
        var backend = new PTXBackend(context, new CudaArchitecture(9, 0), new CudaInstructionSet(8, 0), null!);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization());
        return compiled.PTXAssembly;
    }

    private static MethodInfo GaussianKernel()
        => typeof(IlgpuBackendTests).GetNestedType("__KeOpsKernel_GaussianGpu", BindingFlags.NonPublic)!
            .GetMethod("Kernel")!.MakeGenericMethod(typeof(KeOpsGen.Gpu.BlockSum));

    /// <summary>
    /// The Gaussian's float exp is the hardware ex2 (a few ulp), the reduced side goes through
    /// shared memory, and nothing spills to local memory (which would cost a memory round trip per pair).
    /// </summary>
    [Fact]
    public void GaussianPtxUsesEx2SharedTilesAndNoLocalMemory()
    {
        string ptx = Ptx(GaussianKernel());
        Assert.Contains("ex2.approx", ptx);
        Assert.Contains(".shared", ptx);
        Assert.Contains("ld.shared", ptx);
        Assert.DoesNotContain(".local", ptx);
        Assert.DoesNotContain("ld.local", ptx);
        Assert.Contains("bar.sync", ptx);
    }

    [Fact]
    public void GaussianPtxSnapshot() => Snapshot.Match("Ptx.Gaussian.f32", Renumber(Ptx(GaussianKernel())));

    /// <summary>
    /// ILGPU names values, parameters and labels from a process-wide counter, so one kernel's PTX
    /// carries other numbers depending on what the process compiled before it; the snapshot
    /// renumbers them in order of first appearance so that only the code itself is compared.
    /// </summary>
    private static string Renumber(string ptx)
    {
        var names = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(ptx, @"\b(retval|L|_[A-Za-z][A-Za-z0-9]*)_([0-9]+)\b", m =>
        {
            if (!names.TryGetValue(m.Value, out string? name))
            {
                name = m.Groups[1].Value + "_" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                names.Add(m.Value, name);
            }

            return name;
        });
    }
}
