namespace KeOpsGen.Generator.Planning;

/// <summary>A formula variable bound to its method parameter.</summary>
internal sealed record VariableModel(string? Name, string ParameterName, VariableCategory Category, int Dim, int Position);

/// <summary>
/// One kernel to run: a formula evaluated over (outer, inner) pairs and reduced over inner.
/// Outer variables are indexed by the output row; the engine sees only this split.
/// </summary>
internal sealed record KernelPlan(
    string KernelName,
    Formula Formula,
    EquatableArray<VariableModel> Outer,
    EquatableArray<VariableModel> Inner,
    EquatableArray<VariableModel> Parameters)
{
    /// <summary>
    /// True when the engine rewrites the gathered parameters between evaluations (the adjoint of
    /// pair gradients), so nothing that depends on a parameter may be precomputed at gather time.
    /// </summary>
    public bool ParametersVaryPerEvaluation { get; init; }

    /// <summary>1: outer rows are i, reduced over j; 0: the reverse (the runtime's ICpuKernel.Axis).</summary>
    public int Axis { get; init; } = 1;

    /// <summary>How the kernel is executed, set by the Plan step (<see cref="KernelLowerings.Plan"/>); null before it.</summary>
    public KernelLowering? Lowering { get; init; }

    /// <summary>The Plan step's lowering; emitters read only kernels that went through it.</summary>
    public KernelLowering Lowered => Lowering ?? throw new System.InvalidOperationException($"internal: kernel {KernelName} was emitted without a plan");

    public int OuterDim => Sum(Outer);

    public int InnerDim => Sum(Inner);

    public int ParamDim => Sum(Parameters);

    /// <summary>The side a variable's values come from.</summary>
    public KernelSide SideOf(int position)
    {
        foreach (VariableModel v in Outer)
        {
            if (v.Position == position)
            {
                return KernelSide.Outer;
            }
        }

        foreach (VariableModel v in Inner)
        {
            if (v.Position == position)
            {
                return KernelSide.Inner;
            }
        }

        return KernelSide.Parameter;
    }

    /// <summary>Offset of a variable inside its group's concatenated layout.</summary>
    public int OffsetOf(int position)
    {
        foreach (EquatableArray<VariableModel> group in new[] { Outer, Inner, Parameters })
        {
            int offset = 0;
            foreach (VariableModel v in group)
            {
                if (v.Position == position)
                {
                    return offset;
                }

                offset += v.Dim;
            }
        }

        return -1;
    }

    private static int Sum(EquatableArray<VariableModel> variables)
    {
        int total = 0;
        foreach (VariableModel v in variables)
        {
            total += v.Dim;
        }

        return total;
    }
}

/// <summary>
/// A generated public method: the user's reduction or one of its gradients. Values go to
/// <see cref="OutputParameter"/> (OutputWidth per row) and indices to <see cref="IndexParameter"/>
/// (IndexWidth per row); either may be absent.
/// </summary>
internal sealed record MethodPlan(
    string Name,
    bool IsUserPartial,
    MethodDoc Doc,
    EquatableArray<ParameterInfo> Parameters,
    EquatableArray<VariableModel> Variables,
    KernelPlan Kernel,
    int Axis,
    int Op,
    int K,
    int SumScheme,
    int Accumulation,
    string? OutputParameter,
    int OutputWidth,
    bool SumOverRows)
{
    /// <summary>The Span&lt;int&gt; receiving indices (Arg* reductions), or null.</summary>
    public string? IndexParameter { get; init; }

    /// <summary>Indices per output row.</summary>
    public int IndexWidth { get; init; }

    /// <summary>F alone (the kernel evaluates Concat(F, Weight) when a weight is given); null for gradients.</summary>
    public Formula? Forward { get; init; }

    /// <summary>The weight formula G of LogSumExp/SumSoftMaxWeight, or null.</summary>
    public Formula? Weight { get; init; }

    /// <summary>For the gradient of a non-Sum reduction: the forward pass it runs first; null otherwise.</summary>
    public ForwardPass? Saved { get; init; }

    /// <summary>A k-NN the runtime's blocked distance path computes (the generic kernel stays the fallback); null otherwise.</summary>
    public BlockedKnnPlan? Blocked { get; init; }
}

/// <summary>
/// The forward reduction a gradient method runs before its own kernel, into a pooled buffer of
/// <see cref="Width"/> values (LogSumExp family) or indices (Min/Max/KMin family) per forward
/// output row: O(rows) memory.
/// </summary>
/// <param name="Kernel">The forward kernel (emitted with the forward method).</param>
/// <param name="Axis">The forward reduction's axis.</param>
/// <param name="Op">The forward reduction.</param>
/// <param name="K">K of the KMin family.</param>
/// <param name="Width">Saved values or indices per forward output row.</param>
/// <param name="Values">The internal variable the gradient kernel reads the saved values through; null for index pairs.</param>
/// <param name="AdjointDim">dim F: the adjoint parameter's dimension (index pairs only).</param>
/// <param name="Target">KeOpsGen.Cpu.PairGradientTarget: where a pair's value is added (index pairs only).</param>
internal sealed record ForwardPass(KernelPlan Kernel, int Axis, int Op, int K, int Width, VariableModel? Values, int AdjointDim, int Target);

/// <summary>All that is emitted for one [Reduction] method.</summary>
internal sealed record ReductionModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodName,
    string Accessibility,
    string ElementType,
    string FormulaText,
    EquatableArray<MethodPlan> Methods)
{
    /// <summary>KeOpsGen.Backend as an int (0 Auto, 1 Cpu, 2 Gpu, 3 IlgpuCpu).</summary>
    public int Backend { get; init; }

    /// <summary>
    /// The user's spans hold System.Half: <see cref="ElementType"/> is then float (what the kernels
    /// compute in) and the public methods convert (Emit/HalfEmitter).
    /// </summary>
    public bool IsHalf { get; init; }

    /// <summary>ReductionAttribute.GradientOrder: 0 when no gradient methods were requested (the TorchSharp function then refuses inputs that require grad).</summary>
    public int GradientOrder { get; init; }

    /// <summary>Emit the per-variable gradient methods whatever the variable count (a [KernelSolve] operator's gradients call them).</summary>
    public bool KeepsPerVariableGradients { get; init; }
}

/// <summary>The result of analysis: a model to emit, or none, and the diagnostics.</summary>
internal sealed record AnalysisResult(ReductionModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>
    /// When analysis failed on a well-formed partial definition: the throwing implementation part
    /// that keeps Roslyn from adding CS8795 (missing implementation) to the KEOPS error.
    /// </summary>
    public FailedMethodStub? Stub { get; init; }
}

/// <summary>
/// The implementation part of a [Reduction] method whose analysis failed. It never runs (the
/// KEOPS error fails the build); it exists so the user sees only the KEOPS diagnostic.
/// </summary>
internal sealed record FailedMethodStub(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodName,
    string Accessibility,
    EquatableArray<ParameterInfo> Parameters,
    string Message);
