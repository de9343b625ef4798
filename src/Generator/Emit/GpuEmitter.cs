using System.Globalization;
using System.Linq;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The GPU side of a generated method: a nested class holding the kernel's PTX and launch
/// description, and the dispatch that lets the runtime pick the CUDA or the CPU engine.
/// Kernels without a PTX lowering get neither and always run on the CPU.
/// </summary>
internal static class GpuEmitter
{
    /// <summary>The reduction's PTX state machine, or null when the reduction has none yet.</summary>
    public static PtxReduction? ReductionFor(MethodPlan method, string elementType)
        => method.Op == 0 ? new PtxSumReduction(method.SumScheme, elementType == "double" || method.Accumulation == 2) : null;

    /// <summary>Why this method's kernel runs on the CPU only, or null when it has a GPU kernel.</summary>
    public static string? CpuOnlyReason(MethodPlan method, string elementType)
        => method.Op != 0 ? "only Sum reductions have a GPU kernel so far" : PtxEmitter.CpuOnlyReason(method.Kernel, elementType);

    public static void EmitKernel(IndentedWriter w, ReductionModel model, MethodPlan method)
    {
        PtxReduction? reduction = ReductionFor(method, model.ElementType);
        PtxKernel? kernel = reduction is null ? null : PtxEmitter.Emit(method.Kernel, model.ElementType, reduction, model.FormulaText);
        if (kernel is null)
        {
            return;
        }

        KernelPlan plan = method.Kernel;
        w.Line();
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"private static class {plan.KernelName}Gpu");
        w.Line($"/// <summary>PTX {PtxEmitter.IsaVersion} for {PtxEmitter.Target}+; block {Int(kernel.BlockSize)}, {Int(kernel.SharedBytes)} bytes of shared memory.</summary>");
        w.Line("public const string Ptx = @\"" + kernel.Text.Replace("\"", "\"\"") + "\";");
        w.Line();
        w.Line($"public static readonly global::KeOpsGen.Cuda.CudaKernelInfo Info = new global::KeOpsGen.Cuda.CudaKernelInfo(Ptx, \"{kernel.EntryName}\", {Int(kernel.BlockSize)}, {Int(plan.Formula.Dim)}, {Dims(plan.Outer)}, {Dims(plan.Inner)}, {Dims(plan.Parameters)});");
        w.Close();
    }

    /// <summary>Writes the engine call: through <c>CudaEngine.ShouldRun</c> when the kernel has PTX, else the CPU call alone.</summary>
    public static void EmitCall(IndentedWriter w, ReductionModel model, MethodPlan method, string cpuCall, string outerCount, string innerCount)
    {
        if (CpuOnlyReason(method, model.ElementType) is not null)
        {
            w.Line(cpuCall);
            return;
        }

        KernelPlan plan = method.Kernel;
        string entry = method.SumOverRows ? "SumOverRows" : "Sum";
        string inputs = string.Join(", ", plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).Select(v => $"(nint)__kernel.{CpuEmitter.Field(v)}"));
        // Block-sparse and batched calls run on the CPU engine until the GPU kernels walk ranges.
        w.Open($"if (__settings.AllPairs && global::KeOpsGen.Cuda.CudaEngine.ShouldRun((global::KeOpsGen.Backend){Int(model.Backend)}, {outerCount}, {innerCount}))");
        w.Line($"global::System.ReadOnlySpan<nint> __inputs = stackalloc nint[] {{ {inputs} }};");
        w.Line($"global::KeOpsGen.Cuda.CudaEngine.{entry}<{model.ElementType}>({plan.KernelName}Gpu.Info, __inputs, {outerCount}, {innerCount}, __result, __settings);");
        w.Close();
        w.Open("else");
        w.Line(cpuCall);
        w.Close();
    }

    private static string Dims(Models.EquatableArray<VariableModel> variables)
        => "new int[] { " + string.Join(", ", variables.Select(v => Int(v.Dim))) + " }";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
