namespace KeOpsGen.Generator.Planning;

/// <summary>Where a kernel's value lives: the output row's data, the reduced row's data, or the parameters.</summary>
internal enum KernelSide
{
    Outer,
    Inner,
    Parameter,
}

/// <summary>
/// A sub-formula that depends on one side only, computed once per row (or once per call, for
/// parameters) when the side is gathered, and stored at <see cref="Offset"/> past the side's
/// variables instead of being recomputed for every (outer, inner) pair.
/// </summary>
internal sealed record HoistedValue(Formula Node, KernelSide Side, int Offset);

/// <summary>
/// How one kernel is executed, decided once by the Plan step (<see cref="KernelLowerings.Plan"/>);
/// the CPU and ILGPU emitters write exactly this and decide nothing themselves.
/// </summary>
/// <param name="Executed">The formula the kernels compute: the kernel's formula after the execution rewrites (parameter negation).</param>
/// <param name="Hoisted">The one-side sub-formulas of <paramref name="Executed"/> computed at gather time, with their slots; the CPU kernel stores them after each side's variables.</param>
/// <param name="Steps">
/// The per-pair evaluation order of the CPU kernel: every distinct sub-formula of
/// <paramref name="Executed"/> between the leaves (variables and <paramref name="Hoisted"/> values)
/// and the root, children first, each listed once. Structurally equal sub-formulas are one step
/// (common sub-expression elimination), so the kernel computes them once per pair.
/// </param>
/// <param name="GpuHoists">
/// Backend capability: whether the ILGPU kernel computes <paramref name="Hoisted"/> too (in its
/// prologue and when it loads a tile). False for pair-gradient kernels, which read each selected
/// reduced row from device memory instead of a tile, and when the hoisted values of a reduced row
/// would not fit a tile's shared memory while the variables alone do.
/// </param>
/// <param name="GpuSteps">The ILGPU kernel's per-pair evaluation order: <paramref name="Steps"/> when it hoists, else the order down to the variables.</param>
internal sealed record KernelLowering(
    Formula Executed,
    EquatableArray<HoistedValue> Hoisted,
    EquatableArray<Formula> Steps,
    bool GpuHoists,
    EquatableArray<Formula> GpuSteps)
{
    /// <summary>What the ILGPU kernel hoists: <see cref="Hoisted"/>, or nothing.</summary>
    public EquatableArray<HoistedValue> GpuHoisted => GpuHoists ? Hoisted : EquatableArray<HoistedValue>.Empty;

    /// <summary>Values past a side's variables (the hoisted components stored there).</summary>
    public int Width(KernelSide side) => Width(Hoisted, side);

    /// <summary>The hoisted sub-formulas of one side, in slot order.</summary>
    public List<Formula> Nodes(KernelSide side) => Nodes(Hoisted, side);

    internal static int Width(EquatableArray<HoistedValue> hoisted, KernelSide side)
        => hoisted.Where(h => h.Side == side).Sum(h => h.Node.Dim);

    internal static List<Formula> Nodes(EquatableArray<HoistedValue> hoisted, KernelSide side)
        => hoisted.Where(h => h.Side == side).Select(h => h.Node).ToList();

    /// <summary>A lookup of hoisted values by sub-formula (structural equality), for emitters that ask node by node.</summary>
    public static Dictionary<Formula, HoistedValue> Index(EquatableArray<HoistedValue> hoisted)
    {
        var index = new Dictionary<Formula, HoistedValue>();
        foreach (HoistedValue h in hoisted)
        {
            index[h.Node] = h;
        }

        return index;
    }
}

/// <summary>
/// The Plan step's lowering decisions for one kernel: the execution rewrites of its formula, which
/// one-side sub-formulas are hoisted out of the pair loop, the per-pair evaluation order (CSE) and
/// what the ILGPU kernel can take of it.
/// </summary>
internal static class KernelLowerings
{
    /// <summary>Bytes of shared memory one GPU tile may use.</summary>
    public const int SharedMemoryBytes = 48 * 1024;

    /// <summary>
    /// Every kernel of the methods lowered: each method's own kernel, and the forward kernel a
    /// gradient runs first. A pair gradient's own kernel (a selected-pairs forward pass, no
    /// values saved) is not tiled on the GPU; every other kernel is.
    /// </summary>
    public static EquatableArray<MethodPlan> PlanMethods(EquatableArray<MethodPlan> methods, string elementType)
        => methods.Select(m => m with
        {
            Kernel = Lower(m.Kernel, tiledOnGpu: m.Saved is not { Values: null }, elementType),
            Saved = m.Saved is { } saved ? saved with { Kernel = Lower(saved.Kernel, tiledOnGpu: true, elementType) } : null,
        }).ToEquatableArray();

    private static KernelPlan Lower(KernelPlan kernel, bool tiledOnGpu, string elementType)
        => kernel with { Lowering = Plan(kernel, tiledOnGpu, elementType) };

    /// <summary>Values one reduced row puts in a GPU tile: its variables, and its hoisted values when the GPU kernel computes them.</summary>
    public static int TileWidth(KernelPlan kernel)
        => kernel.InnerDim + (kernel.Lowering is { GpuHoists: true } lowering ? lowering.Width(KernelSide.Inner) : 0);

    /// <param name="kernel">The kernel, as Differentiate planned it.</param>
    /// <param name="tiledOnGpu">False for pair-gradient kernels: their ILGPU form has no tile to hold hoisted inner values.</param>
    /// <param name="elementType">"float" or "double": the size of a tile's values.</param>
    public static KernelLowering Plan(KernelPlan kernel, bool tiledOnGpu, string elementType)
    {
        Formula executed = NegateParameters(kernel);
        EquatableArray<HoistedValue> hoisted = Hoist(kernel, executed);
        int size = elementType == "double" ? 8 : 4;
        int innerHoisted = KernelLowering.Width(hoisted, KernelSide.Inner);
        bool gpuHoists = tiledOnGpu && (innerHoisted == 0 || (kernel.InnerDim + innerHoisted) * size <= SharedMemoryBytes);
        EquatableArray<Formula> steps = Steps(executed, hoisted);
        EquatableArray<Formula> gpuSteps = gpuHoists ? steps : Steps(executed, EquatableArray<HoistedValue>.Empty);
        return new KernelLowering(executed, hoisted, steps, gpuHoists, gpuSteps);
    }

    /// <summary>
    /// The per-pair evaluation order below <paramref name="executed"/>: distinct nodes, children
    /// first, not descending below the leaves (variables and hoisted values). Empty for formulas
    /// with wide vectors, which <c>Emit/LoopedLowering</c> lowers as loops over the same leaves.
    /// </summary>
    private static EquatableArray<Formula> Steps(Formula executed, EquatableArray<HoistedValue> hoisted)
    {
        if (LoopPlan.NeedsLoops(new[] { executed }))
        {
            return EquatableArray<Formula>.Empty;
        }

        var leaves = new HashSet<Formula>(hoisted.Select(h => h.Node));
        return Formula.PostOrder(new[] { executed }, n => n.IsVariable || leaves.Contains(n)).ToEquatableArray();
    }

    /// <summary>
    /// Rewrites -(p*x) as (-p)*x where p depends on parameters only (values are identical:
    /// negation is exact). The simplifier keeps negations outermost, which suits algebra; for
    /// execution, a negated parameter is computed once at gather time instead of once per pair,
    /// as in the Gaussian's Exp(-G*SqDist(X,Y)).
    /// </summary>
    internal static Formula NegateParameters(KernelPlan plan)
    {
        if (plan.ParametersVaryPerEvaluation)
        {
            return plan.Formula;
        }

        var parameterOnly = new Dictionary<Formula, bool>();
        foreach (Formula node in plan.Formula.PostOrder())
        {
            parameterOnly[node] = node.IsVariable
                ? plan.SideOf(node.VariablePosition) == KernelSide.Parameter
                : !node.IsConstant && node.Args.Length > 0 && node.Args.All(a => parameterOnly[a] || a.IsConstant);
        }

        var rewritten = new Dictionary<Formula, Formula>();
        foreach (Formula node in plan.Formula.PostOrder())
        {
            Formula[] args = node.Args.Select(a => rewritten[a]).ToArray();
            Formula result = args.SequenceEqual(node.Args, ReferenceEqualityComparer.Instance)
                ? node
                : new Formula(node.Op, args, node.Ints, node.Dim, node.Value, node.Name);
            if (result.Op == Ops.Minus && result.Args[0].Op == Ops.Mult)
            {
                Formula product = result.Args[0];
                int p = parameterOnly.TryGetValue(node.Args[0].Args[0], out bool first) && first ? 0
                    : parameterOnly.TryGetValue(node.Args[0].Args[1], out bool second) && second ? 1 : -1;
                if (p >= 0 && product.Args[p].Dim == product.Dim)
                {
                    Formula negated = Ops.Minus.Node(new[] { product.Args[p] }, OpKit.NoInts);
                    result = Ops.Mult.Node(p == 0 ? new[] { negated, product.Args[1] } : new[] { product.Args[0], negated }, OpKit.NoInts);
                }
            }

            rewritten[node] = result;
        }

        return rewritten[plan.Formula];
    }

    [System.Flags]
    private enum Dependence
    {
        None = 0,
        Outer = 1,
        Inner = 2,
        Parameter = 4,
    }

    /// <summary>
    /// Which sub-formulas are worth computing once per row at gather time instead of once per
    /// (outer, inner) pair: the largest ones that depend on one side only (plus parameters), or
    /// on parameters only, and whose arithmetic costs more than reloading their components.
    /// KeOps evaluates everything per pair; for <c>Square(p-a_j)*Exp(x_i+y_j)</c> this takes
    /// <c>Square(p-a_j)</c> out of the N·M loop, for <c>Sin(X_i)*Cos(Y_j)</c> both factors.
    /// </summary>
    private static EquatableArray<HoistedValue> Hoist(KernelPlan plan, Formula executed)
    {
        var dependence = new Dictionary<Formula, Dependence>();
        var cost = new Dictionary<Formula, int>();
        foreach (Formula node in executed.PostOrder())
        {
            Dependence d = Dependence.None;
            if (node.IsVariable)
            {
                d = plan.SideOf(node.VariablePosition) switch
                {
                    KernelSide.Outer => Dependence.Outer,
                    KernelSide.Inner => Dependence.Inner,
                    _ => Dependence.Parameter,
                };
            }

            int work = Work(node);
            foreach (Formula arg in node.Args)
            {
                d |= dependence[arg];
                work += cost[arg];
            }

            dependence[node] = d;
            cost[node] = work;
        }

        var hoisted = new List<HoistedValue>();
        var widths = new Dictionary<KernelSide, int> { [KernelSide.Outer] = 0, [KernelSide.Inner] = 0, [KernelSide.Parameter] = 0 };
        var visited = new HashSet<Formula>();
        var pending = new Stack<Formula>();
        pending.Push(executed);
        while (pending.Count > 0)
        {
            Formula node = pending.Pop();
            if (!visited.Add(node))
            {
                continue;
            }

            Dependence d = dependence[node];
            bool oneSide = d != Dependence.None && (d & (Dependence.Outer | Dependence.Inner)) != (Dependence.Outer | Dependence.Inner);
            bool allowed = !plan.ParametersVaryPerEvaluation || (d & Dependence.Parameter) == 0;
            bool worthIt = (d & (Dependence.Outer | Dependence.Inner)) == 0 ? cost[node] > 0 : cost[node] > node.Dim;
            if (oneSide && allowed && !node.IsVariable && worthIt)
            {
                KernelSide side = (d & Dependence.Outer) != 0 ? KernelSide.Outer : (d & Dependence.Inner) != 0 ? KernelSide.Inner : KernelSide.Parameter;
                hoisted.Add(new HoistedValue(node, side, widths[side]));
                widths[side] += node.Dim;
                continue;
            }

            foreach (Formula arg in node.Args)
            {
                pending.Push(arg);
            }
        }

        return hoisted.ToEquatableArray();
    }

    /// <summary>
    /// Rough per-pair arithmetic of one node: rearrangements are free, transcendental
    /// functions cost about ten basic operations.
    /// </summary>
    private static int Work(Formula node)
    {
        if (node.IsVariable || node.IsConstant || node.Op == Ops.Zero || node.Op == Ops.Elem || node.Op == Ops.Extract
            || node.Op == Ops.Concat || node.Op == Ops.SumT || node.Op == Ops.ElemT || node.Op == Ops.ExtractT)
        {
            return 0;
        }

        return node.Dim * (node.Op.Group == OpGroup.Elementwise ? 10 : 1);
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<Formula>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(Formula? x, Formula? y) => ReferenceEquals(x, y);

        public int GetHashCode(Formula obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
