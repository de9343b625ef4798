namespace KeOpsGen;

/// <summary>
/// Declares a KeOps reduction on a <c>static partial</c> method. The source generator parses,
/// checks and differentiates the formula at build time and emits the method body.
/// </summary>
/// <remarks>
/// Variables are declared as in pykeops (<c>"X = Vi(3)"</c>, <c>"Y = Vj(0,3)"</c>,
/// <c>"G = Pm(1)"</c>) and bound to the method's parameters in declaration order: the k-th
/// declaration (or the declaration whose explicit position is k) is the k-th parameter. Each
/// variable parameter is a <c>ReadOnlySpan&lt;T&gt;</c> (row-major, rows × dim; a Pm holds its dim
/// values), and the outputs come last: a <c>Span&lt;T&gt;</c> of values, a <c>Span&lt;int&gt;</c> of
/// indices (ArgMin, ArgMax, ArgKMin), or both, values first (MinArgMin, MaxArgMax, KMinArgKMin).
/// Widths and edge cases per reduction are listed in docs/reductions.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReductionAttribute : FormulaAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="formula">The KeOps formula, e.g. <c>"Exp(-G*SqDist(X,Y)) * B"</c>.</param>
    /// <param name="variables">pykeops variable declarations, e.g. <c>"X = Vi(3)"</c>.</param>
    public ReductionAttribute(string formula, params string[] variables)
        : base(formula, variables)
    {
    }

    /// <summary>The reduction applied over the reduced axis. Default <see cref="ReductionOp.Sum"/>.</summary>
    public ReductionOp Op { get; set; } = ReductionOp.Sum;

    /// <summary>
    /// 1 (default): reduce over j, one output row per i. 0: reduce over i, one output row per j.
    /// </summary>
    public int Axis { get; set; } = 1;

    /// <summary>
    /// K for the KMin, ArgKMin and KMinArgKMin reductions (at least 1). Their outputs hold K × dim(F)
    /// entries per row, laid out [row][k][component]; slots beyond the reduced size are (+∞, −1).
    /// </summary>
    public int K { get; set; }

    /// <summary>
    /// The weight formula G of a weighted LogSumExp or of SumSoftMaxWeight, over the same variable
    /// declarations; the output then has dim(G) values per row.
    /// </summary>
    public string? Weight { get; set; }

    /// <summary>How sums are accumulated. Default <see cref="SumScheme.Auto"/>.</summary>
    public SumScheme SumScheme { get; set; } = SumScheme.Auto;

    /// <summary>Accumulator precision. Default <see cref="Accumulation.Auto"/>.</summary>
    public Accumulation Accumulation { get; set; } = Accumulation.Auto;

    /// <summary>Where the reduction runs. Default <see cref="Backend.Auto"/>.</summary>
    public Backend Backend { get; set; } = Backend.Auto;

    /// <summary>
    /// Which gradient methods are generated, on request (KeOps compiles its gradient kernels only
    /// when backward first needs them; the build-time equivalent is to ask for them here).
    /// 0 (default): none, only the reduction itself. 1: the gradient methods <c>{Method}Grad{P}</c>
    /// for every input P and the combined <c>{Method}Grad</c>. 2 (Sum reductions): also the
    /// gradients of those, <c>{Method}Grad{P}Grad{Q}</c> for every input Q of <c>{Method}Grad{P}</c>
    /// (the variables and its gradOutput), for double backward and Hessian-vector products.
    /// See docs/gradients.md.
    /// </summary>
    public int GradientOrder { get; set; }
}

/// <summary>Where a reduction runs.</summary>
public enum Backend
{
    /// <summary>
    /// A CUDA or OpenCL GPU (through ILGPU) when one is found and the problem is big enough to pay
    /// for the transfers, else the CPU engine; a GPU failure falls back to the CPU with a logged reason.
    /// </summary>
    Auto,
    /// <summary>Always the CPU engine.</summary>
    Cpu,
    /// <summary>
    /// The GPU kernel on a CUDA or OpenCL GPU; calls throw <see cref="System.InvalidOperationException"/>
    /// naming the reason when none is found, and GPU errors are thrown with ILGPU's message.
    /// </summary>
    Gpu,
    /// <summary>
    /// The GPU kernel on ILGPU's CPU accelerator: slow (a few threads emulate a thread group), meant
    /// for checking the GPU kernels on a machine without a GPU, as the tests do.
    /// </summary>
    IlgpuCpu,
}

// ReductionOp lives in ReductionOp.cs, which the generator compiles too (one numbering).

/// <summary>How the Sum family accumulates (KeOps <c>sum_scheme</c>).</summary>
public enum SumScheme
{
    /// <summary>Block summation for Sum-type reductions, direct otherwise.</summary>
    Auto,
    /// <summary>Add each term to the accumulator.</summary>
    Direct,
    /// <summary>Accumulate tiles into temporaries, then fold them into the accumulator.</summary>
    Block,
    /// <summary>Compensated (Kahan) summation of the folded tiles.</summary>
    Kahan,
}

/// <summary>Accumulator precision (KeOps <c>dtype_acc</c>).</summary>
public enum Accumulation
{
    /// <summary>Same as the data type.</summary>
    Auto,
    /// <summary>The data type.</summary>
    Data,
    /// <summary>Accumulate in double (for float data).</summary>
    Double,
}
