using System.Linq;
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
public sealed partial class PtxTests
{
    // A float pair gradient for the shape list of EveryGeneratedKernelShapeCompilesToPtxWithoutLocalMemory:
    // the other owners' float reductions request no gradients (they are generated on request).
    [KeOpsGen.Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = KeOpsGen.ReductionOp.Min, GradientOrder = 1)]
    internal static partial void FloatMin(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, System.Span<float> result);

    private static string Ptx(MethodInfo kernel)
    {
        using var context = Context.Create(builder => builder.EnableAlgorithms().Optimize(OptimizationLevel.O1));
        var backend = new PTXBackend(context, new CudaArchitecture(9, 0), new CudaInstructionSet(8, 0), null!);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization());
        return compiled.PTXAssembly;
    }

    /// <summary>The runtime's kernel for a generated kernel struct: ILGPU compiles one instantiation per formula (and sum scheme).</summary>
    private static MethodInfo KernelOf(System.Type generated)
    {
        System.Type? tiled = generated.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(KeOpsGen.Gpu.ITiledKernel<>));
        if (tiled is not null)
        {
            return typeof(KeOpsGen.Gpu.GpuKernels).GetMethod(nameof(KeOpsGen.Gpu.GpuKernels.TiledKernel))!
                .MakeGenericMethod(generated, tiled.GetGenericArguments()[0], typeof(KeOpsGen.Gpu.BlockSum));
        }

        System.Type pairs = generated.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(KeOpsGen.Gpu.IPairKernel<>));
        return typeof(KeOpsGen.Gpu.GpuKernels).GetMethod(nameof(KeOpsGen.Gpu.GpuKernels.PairKernel))!
            .MakeGenericMethod(generated, pairs.GetGenericArguments()[0]);
    }

    private static MethodInfo GaussianKernel()
        => KernelOf(typeof(IlgpuBackendTests).GetNestedType("__KeOpsKernel_GaussianGpu", BindingFlags.NonPublic)!);

    /// <summary>
    /// Every kernel shape (Sum, Min/Max, KMin, log-sum-exp, the pair gradients, wide sums), float
    /// and double, compiles to PTX through the runtime's generic kernels, and only the wide sums'
    /// per-thread arrays (and ILGPU's double log/exp, for their 8-byte out values) use local
    /// memory: the struct whose members the kernel calls (and whose fields hold the row's values
    /// and accumulators) lives in registers.
    /// </summary>
    [Fact]
    public void EveryGeneratedKernelShapeCompilesToPtxWithoutLocalMemory()
    {
        System.Type[] owners = { typeof(PtxTests), typeof(KeOpsGen.Tests.Numerics.ReductionTests), typeof(KeOpsGen.Tests.Gradients.ReductionFamilyGradientTests), typeof(KeOpsGen.Tests.Numerics.LargeDimensionTests) };
        System.Type[] kernels = owners.SelectMany(o => o.GetNestedTypes(BindingFlags.NonPublic))
            .Where(t => t.Name.StartsWith("__KeOpsKernel_", System.StringComparison.Ordinal) && t.Name.EndsWith("Gpu", System.StringComparison.Ordinal))
            .ToArray();
        var shapes = new System.Collections.Generic.HashSet<string>();
        var local = new System.Collections.Generic.List<string>();
        foreach (System.Type kernel in kernels)
        {
            string ptx = Ptx(KernelOf(kernel));
            Assert.Contains(".entry", ptx);
            bool wideSum = kernel.GetField("__acc") is not null;
            // ILGPU's double log and exp keep 8-byte out values in local memory; anything larger would be the kernel's own state spilled.
            string entry = ptx.Substring(ptx.IndexOf(".entry", System.StringComparison.Ordinal));
            if (!wideSum && System.Text.RegularExpressions.Regex.Matches(entry, @"\.local \.align \d+ \.b8 \w+\[(\d+)\]").Any(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 8))
            {
                string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), kernel.Name + ".ptx");
                System.IO.File.WriteAllText(path, ptx);
                local.Add($"{kernel.Name} ({path}): " + string.Join(" | ", ptx.Split('\n').Where(l => l.Contains(".local", System.StringComparison.Ordinal)).Take(4).Select(l => l.Trim())));
            }

            string element = kernel.GetInterfaces().Single().GetGenericArguments()[0].Name;
            string shape = kernel.GetField("__m") is not null ? "ShiftExp"
                : kernel.GetField("__b0_0") is not null ? "KMin"
                : kernel.GetField("__b0") is not null ? "MinMax"
                : wideSum ? "WideSum"
                : kernel.GetProperty("AdjointDim") is not null ? "Pairs"
                : "Sum";
            shapes.Add(shape + "/" + element);
        }

        Assert.True(local.Count == 0, "local memory in: " + string.Join("\n", local));
        foreach (string shape in new[] { "Sum", "MinMax", "KMin", "ShiftExp", "Pairs" }.SelectMany(s => new[] { s + "/Single", s + "/Double" }).Append("WideSum/Single"))
        {
            Assert.Contains(shape, shapes);
        }
    }

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
