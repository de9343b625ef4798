namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The GPU side of a generated method: a struct with the formula's part of an ILGPU kernel, written
/// in C# from the same <see cref="KernelPlan"/> as the CPU kernel (the plan's executed formula, its
/// hoisted sub-formulas where <see cref="KernelLowering.GpuHoists"/> says so, lowered by the op
/// table's scalar lowering, whose KMath calls ILGPU compiles), plus the span and device entry
/// points. The loops, barriers, shared-memory tiles, ranges and launches are the runtime's
/// (<c>KeOpsGen.Gpu.GpuKernels</c>): its generic kernels call the struct's members (Begin per
/// thread, Load per reduced row put in the tile, Pair per pair, Flush per tile, Write per output
/// row), which ILGPU inlines into one kernel per formula.
/// </summary>
internal static class GpuEmitter
{
    private const string Ilgpu = "global::ILGPU";
    private const string Runtime = "global::KeOpsGen.Gpu";

    /// <summary>The kernel shapes; the reduction's merge is what differs.</summary>
    private enum Shape
    {
        Sum,
        MinMax,
        KMin,
        ShiftExp,
        Pairs,
    }

    private static Shape ShapeOf(int op) => ReductionRegistry.Get(op).Merge switch
    {
        ReductionMerge.Add => Shape.Sum,
        ReductionMerge.KMin => Shape.KMin,
        ReductionMerge.ShiftExp => Shape.ShiftExp,
        _ => Shape.MinMax,
    };

    private static Shape ShapeOf(MethodPlan method)
        => method.Saved is { Values: null } ? Shape.Pairs : method.Saved is not null ? Shape.Sum : ShapeOf(method.Op);

    private static bool IsMax(int op) => ReductionRegistry.Get(op).Merge == ReductionMerge.Max;

    private static string View(string t) => $"{Ilgpu}.Runtime.ArrayView1D<{t}, {Ilgpu}.Stride1D.Dense>";

    /// <summary>
    /// One kernel body: the plan's lowering as the ILGPU kernel takes it (its hoisted values, its
    /// evaluation order), and the names of the body's locals.
    /// </summary>
    private sealed class KernelBody
    {
        private readonly Dictionary<Formula, HoistedValue> _slots;

        public KernelBody(KernelLowering lowering)
        {
            Lowering = lowering;
            _slots = KernelLowering.Index(lowering.GpuHoisted);
        }

        public KernelLowering Lowering { get; }

        /// <summary>The kernel's parameters (<c>v</c>, <c>l</c>), its type parameter; its own locals all start with <c>__</c>.</summary>
        public LocalNames Names { get; } = new("v", "l", "TScheme");

        /// <summary>The prologue's locals of the outer-row variables and parameters, by variable position.</summary>
        public Dictionary<int, string[]> Variables { get; } = new();

        public List<Formula> Nodes(KernelSide side) => KernelLowering.Nodes(Lowering.GpuHoisted, side);

        public int Offset(Formula node) => _slots[node].Offset;

        public bool TryGetSlot(Formula node, out KernelSide side, out int offset)
        {
            if (_slots.TryGetValue(node, out HoistedValue? slot))
            {
                (side, offset) = (slot.Side, slot.Offset);
                return true;
            }

            side = default;
            offset = 0;
            return false;
        }
    }

    private static string Stem(VariableModel v) => v.Name ?? v.ParameterName;

    /// <summary>Why a method of <paramref name="model"/> runs on the CPU only (KEOPS0306, KEOPS0303), or null: decided by the plan (<see cref="GpuSupport"/>).</summary>
    public static string? CpuOnlyReason(ReductionModel model, MethodPlan method)
        => GpuSupport.HiddenType(model.ContainingTypes) is { } hidden
            ? $"it is declared inside the {hidden.Type.HiddenAccessibility} type '{hidden.Path}', which ILGPU cannot load kernels from"
            : GpuSupport.CpuOnlyReason(method, model.ElementType);

    /// <summary>Emits the GPU struct of <paramref name="method"/>; <paramref name="emitted"/> tracks kernel structs already in the file.</summary>
    public static void EmitKernel(IndentedWriter w, ReductionModel model, MethodPlan method, HashSet<string> emitted)
    {
        string t = model.ElementType;
        if (CpuOnlyReason(model, method) is not null)
        {
            return;
        }

        if (method.Saved is { } forward && !emitted.Contains(forward.Kernel.KernelName))
        {
            // The forward kernel normally comes with the forward method; emit it here otherwise.
            emitted.Add(forward.Kernel.KernelName);
            w.Line();
            EmitKernelMembers(w, t, forward.Kernel, ShapeOf(forward.Op), forward.Op, forward.K, target: 0, forward: null, adjointPosition: -1, browsable: true);
            w.Close();
        }

        w.Line();
        EmitKernelMembers(w, t, method.Kernel, ShapeOf(method), method.Op, method.K, method.Saved?.Target ?? 0, method.Saved, method.Variables[method.Variables.Count - 1].Position, browsable: false);
        if (method.Saved is not null)
        {
            w.Line();
            EmitCore(w, t, method);
        }

        w.Line();
        EmitRun(w, t, method);
        w.Close();
    }

    private const string Generated = PartialTypes.GeneratedCode;

    /// <summary>The variables whose device views the public accelerator overload checks: all but the internal saved-values one.</summary>
    private static List<VariableModel> CheckedViews(MethodPlan method)
        => method.Variables.Where(v => method.Saved?.Values is null || v != method.Saved.Values).ToList();

    /// <summary>The views <c>Core</c> and <c>Run</c> take and upload: those the method's kernels read, less the saved values.</summary>
    private static List<VariableModel> ViewVariables(MethodPlan method)
        => MethodVariables.Used(method).Where(v => method.Saved?.Values is null || v != method.Saved.Values).ToList();

    /// <summary>
    /// Opens the GPU dispatch of a span body: the CPU engine code the caller writes next runs only
    /// when <c>GpuRuntime.Choose</c> picks no accelerator (or Backend.Auto fell back after a GPU
    /// error). Returns false (nothing written) for kernels that run on the CPU only; otherwise the
    /// caller closes the block.
    /// </summary>
    public static bool OpenCall(IndentedWriter w, ReductionModel model, MethodPlan method, string rowsI, string rowsJ, System.Func<VariableModel, string> span, string values, string indices)
    {
        if (CpuOnlyReason(model, method) is not null)
        {
            return false;
        }

        string outer = method.Axis == 1 ? rowsI : rowsJ;
        string inner = method.Axis == 1 ? rowsJ : rowsI;
        string spans = string.Concat(ViewVariables(method).Select(v => ", " + span(v)));
        w.Line($"var __gpu = {Runtime}.GpuRuntime.Choose(global::KeOpsGen.Backend.{BackendName(model.Backend)}, options, {outer}, {inner});");
        w.Open($"if (__gpu is null || !{method.Kernel.KernelName}Gpu.Run(__gpu, {rowsI}, {rowsJ}, {values}, {indices}, __settings{spans}))");
        return true;
    }

    /// <summary>
    /// The public overload that keeps data on the device: the caller's accelerator and
    /// <c>ArrayView1D</c> inputs and outputs (row-major, as the spans), nothing copied, the work
    /// enqueued on the accelerator's default stream.
    /// </summary>
    public static void EmitDeviceOverload(IndentedWriter w, ReductionModel model, MethodPlan method, string modifiers)
    {
        string t = model.ElementType;
        if (CpuOnlyReason(model, method) is not null)
        {
            return;
        }

        ForwardPass? forward = method.Saved;
        VariableModel? adjoint = forward is { Values: null } ? method.Variables[method.Variables.Count - 1] : null;
        string parameters = string.Join(", ", method.Parameters.Select(p => $"{View(p.Name == method.IndexParameter ? "int" : t)} {p.Name}"));
        w.Line();
        w.Line($"/// <summary><see cref=\"{ApiEmitter.OptionsCref(method)}\"/> on an ILGPU accelerator, over views in its memory laid out as the spans: nothing is copied; the work is enqueued on <c>accelerator.DefaultStream</c>.</summary>");
        w.Line("/// <param name=\"accelerator\">Where the views live and the kernels run.</param>");
        foreach (Models.ParameterInfo p in method.Parameters)
        {
            w.Line($"/// <param name=\"{p.Name}\">As in the span overload.</param>");
        }

        w.Line("/// <param name=\"options\">As in the span overload, but the backend is the accelerator; a call with Ranges or BatchCount waits for its kernels.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A view or an option does not fit the declaration or the call.</exception>");
        w.Line("/// <exception cref=\"global::System.OperationCanceledException\">Cancelled before a kernel launch.</exception>");
        w.Line(Generated);
        w.Open($"{modifiers} void {method.Name}({Ilgpu}.Runtime.Accelerator accelerator, {parameters}, global::KeOpsGen.ReductionOptions? options = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(accelerator);");
        string Length(string name) => $"checked((int){name}.Length)";
        var rows = new Dictionary<VariableCategory, string>();
        var first = new Dictionary<VariableCategory, VariableModel>();
        foreach (VariableModel v in CheckedViews(method).Where(v => v != adjoint))
        {
            if (v.Category == VariableCategory.Parameter)
            {
                w.Line($"global::KeOpsGen.Validate.ParameterLength({Length(v.ParameterName)}, {Int(v.Dim)}, \"{v.ParameterName}\");");
            }
            else if (first.TryGetValue(v.Category, out VariableModel? head))
            {
                w.Line($"global::KeOpsGen.Validate.SameRows(global::KeOpsGen.Validate.Rows({Length(v.ParameterName)}, {Int(v.Dim)}, \"{v.ParameterName}\"), {rows[v.Category]}, {Int(v.Dim)}, \"{v.ParameterName}\", \"{head.ParameterName}\");");
            }
            else
            {
                first[v.Category] = v;
                rows[v.Category] = v.Category == VariableCategory.I ? "__rowsI" : "__rowsJ";
                w.Line($"int {rows[v.Category]} = global::KeOpsGen.Validate.Rows({Length(v.ParameterName)}, {Int(v.Dim)}, \"{v.ParameterName}\");");
            }
        }

        foreach (VariableCategory category in new[] { VariableCategory.I, VariableCategory.J })
        {
            if (!rows.ContainsKey(category))
            {
                rows[category] = category == VariableCategory.I ? "__rowsI" : "__rowsJ";
                w.Line($"int {rows[category]} = 0;");
            }
        }

        string Outer(int axis) => axis == 1 ? "__rowsI" : "__rowsJ";
        string Inner(int axis) => axis == 1 ? "__rowsJ" : "__rowsI";
        if (adjoint is not null)
        {
            w.Line($"global::KeOpsGen.Validate.OutputLength({Length(adjoint.ParameterName)}, {Outer(forward!.Axis)}, {Int(forward.Width)}, \"{adjoint.ParameterName}\");");
        }

        if (method.OutputParameter is { } output)
        {
            string rowCount = forward is { Values: null } ? (forward.Target == 1 ? Inner(forward.Axis) : Outer(forward.Axis)) : Outer(method.Axis);
            w.Line(method.SumOverRows || forward is { Values: null, Target: 2 }
                ? $"global::KeOpsGen.Validate.ParameterLength({Length(output)}, {Int(method.OutputWidth)}, \"{output}\");"
                : $"global::KeOpsGen.Validate.OutputLength({Length(output)}, {rowCount}, {Int(method.OutputWidth)}, \"{output}\");");
        }

        if (method.IndexParameter is { } index)
        {
            w.Line($"global::KeOpsGen.Validate.OutputLength({Length(index)}, {Outer(method.Axis)}, {Int(method.IndexWidth)}, \"{index}\");");
        }

        w.Line(ApiEmitter.SettingsLine(method));
        w.Line(Launch(t, method, $"{method.Kernel.KernelName}Gpu.", "accelerator", "__rowsI", "__rowsJ", method.OutputParameter, method.IndexParameter, "__settings", v => v.ParameterName));
        w.Close();
    }

    private static string BackendName(int backend) => backend switch { 1 => "Cpu", 2 => "Gpu", 3 => "IlgpuCpu", _ => "Auto" };

    private static string ViewType(string t) => $"{Ilgpu}.ArrayView<{t}>";

    private const string SchemeConstraint = "where TScheme : struct, " + Runtime + ".ISumScheme";

    /// <summary>
    /// Opens the struct of one plan (the caller closes it): its input views, then what the runtime's
    /// kernel calls (<c>GpuKernels.TiledKernel</c> or <c>GpuKernels.PairKernel</c>), the outer row's
    /// values and the accumulators kept in fields between those calls.
    /// </summary>
    private static void EmitKernelMembers(IndentedWriter w, string t, KernelPlan plan, Shape shape, int op, int k, int target, ForwardPass? forward, int adjointPosition, bool browsable)
    {
        // The kernel computes the plan's executed formula, with what the plan hoists for the GPU.
        var hoisting = new KernelBody(plan.Lowered);
        if (shape == Shape.Pairs && hoisting.Lowering.GpuHoists)
        {
            throw new System.InvalidOperationException($"internal: the pair kernel {plan.KernelName} was planned with a tile");
        }

        plan = plan with { Formula = hoisting.Lowering.Executed };
        List<VariableModel> all = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).ToList();
        string what = shape switch
        {
            Shape.Sum => "Sum",
            Shape.MinMax => IsMax(op) ? "Max/ArgMax" : "Min/ArgMin",
            Shape.KMin => $"KMin/ArgKMin (K = {Int(k)})",
            Shape.ShiftExp => "log-sum-exp (m, s)",
            _ => "pair gradient",
        };

        // Only the kernel's own formula: the user's (at the top of the file) would put all V variables into each of the V gradient kernels.
        w.Line($"/// <summary>{what} kernel of <c>{System.Security.SecurityElement.Escape(plan.Formula.ToString())}</c>.</summary>");
        w.Line(Generated);
        if (!browsable)
        {
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        }

        w.Open($"internal struct {plan.KernelName}Gpu : {Runtime}.{(shape == Shape.Pairs ? "IPairKernel" : "ITiledKernel")}<{t}>");
        if (all.Count > 0)
        {
            w.Line($"public {ViewType(t)} {string.Join(", ", all.Select(CpuEmitter.Field))};");
        }

        if (shape == Shape.Pairs)
        {
            EmitPairMembers(w, t, plan, hoisting, forward!, target, adjointPosition);
        }
        else
        {
            EmitTiledMembers(w, t, plan, hoisting, shape, op, k);
        }
    }

    /// <summary>
    /// <c>Begin</c>: the outer row's and the parameters' loads and their hoisted values, kept in
    /// fields (same names) for the other members; then the accumulators' reset. Returns the values
    /// by node, as the fields that hold them.
    /// </summary>
    private static (Dictionary<Formula, string[]> Outer, Dictionary<Formula, string[]> Params) EmitBegin(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, ISet<VariableModel> perPair, Accumulators accumulators)
    {
        if (accumulators.Inline)
        {
            // LocalMemory.Allocate makes its array in the calling function: this one must be inlined into the kernel.
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        }

        w.Open("public void Begin(int __r)");
        // Wide outer variables are read from the view where used (inside the formula's loops), at the row kept here.
        bool wideOuter = plan.Outer.Any(IsWide);
        // The variables' components load straight into their fields; hoisted values are locals, then kept in fields of the same names.
        var loaded = new List<string>();
        var kept = new List<string>();
        if (wideOuter)
        {
            w.Line("this.__r = __r;");
        }

        foreach (VariableModel v in plan.Outer.Where(v => !IsWide(v)))
        {
            string[] names = hoisting.Variables[v.Position] = hoisting.Names.Claim(Stem(v), v.Dim);
            loaded.AddRange(names);
            for (int c = 0; c < v.Dim; c++)
            {
                w.Line($"{names[c]} = {CpuEmitter.Field(v)}[(__r * {Int(v.Dim)}) + {Int(c)}];{(c == 0 ? " // " + Stem(v) : string.Empty)}");
            }
        }

        foreach (VariableModel v in plan.Parameters.Where(v => !IsWide(v) || perPair.Contains(v)))
        {
            // A parameter set per pair (the pair gradients' adjoint) is a local of Pair.
            string[] names = hoisting.Variables[v.Position] = hoisting.Names.Claim(Stem(v), v.Dim);
            for (int c = 0; c < v.Dim && !perPair.Contains(v); c++)
            {
                loaded.Add(names[c]);
                w.Line($"{names[c]} = {CpuEmitter.Field(v)}[{Int(c)}];{(c == 0 ? " // " + Stem(v) : string.Empty)}");
            }
        }

        string[]? Locals(Formula node)
        {
            if (!node.IsVariable)
            {
                return null;
            }

            VariableModel variable = plan.Outer.Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
            return Enumerable.Range(0, node.Dim)
                .Select(c => IsWide(variable) && !perPair.Contains(variable) ? ViewRead(variable, Int(c)) : hoisting.Variables[variable.Position][c])
                .ToArray();
        }

        var lane = new LaneContext(t, null);
        Dictionary<Formula, string[]> parameters = CpuEmitter.EmitValues(w, hoisting.Nodes(KernelSide.Parameter), lane, hoisting.Names, Locals);
        Dictionary<Formula, string[]> outer = CpuEmitter.EmitValues(w, hoisting.Nodes(KernelSide.Outer), lane, hoisting.Names, node =>
            hoisting.Nodes(KernelSide.Parameter).Contains(node) ? parameters[node].ToArray() : Locals(node));

        // The hoisted values' components: a local keeps its name as a field; any other expression gets a field of its own.
        var expressions = new List<string>();
        foreach (string[] components in parameters.Values.Concat(outer.Values))
        {
            for (int c = 0; c < components.Length; c++)
            {
                if (IsIdentifier(components[c]))
                {
                    if (!loaded.Contains(components[c]))
                    {
                        kept.Add(components[c]);
                    }
                }
                else
                {
                    string field = "__h" + Int(expressions.Count);
                    w.Line($"{field} = {components[c]};");
                    expressions.Add(field);
                    components[c] = field;
                }
            }
        }

        kept = kept.Distinct().ToList();
        if (kept.Count > 0)
        {
            w.Line(string.Join(" ", kept.Select(name => $"this.{name} = {name};")));
        }

        accumulators.Reset(w);
        w.Close();
        if (loaded.Count + kept.Count + expressions.Count > 0)
        {
            w.Line($"public {t} {string.Join(", ", loaded.Concat(kept).Concat(expressions))};");
        }

        if (wideOuter)
        {
            w.Line("public int __r;");
        }

        foreach (string field in accumulators.Fields)
        {
            w.Line(field);
        }

        return (outer, parameters);
    }

    /// <summary>The accumulators of a kernel: their field declarations and the statements that reset them in <c>Begin</c>.</summary>
    private sealed class Accumulators
    {
        public List<string> Fields { get; } = new();

        /// <summary>Reset statements, written on one line when they are short.</summary>
        public List<string> ResetLines { get; } = new();

        /// <summary>True when <c>Begin</c> allocates per-thread arrays (wide sums).</summary>
        public bool Inline { get; set; }

        public void Reset(IndentedWriter w)
        {
            foreach (string line in ResetLines)
            {
                w.Line(line);
            }
        }
    }

    private static void EmitTiledMembers(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Shape shape, int op, int k)
    {
        int dimF = plan.Formula.Dim;
        int innerWidth = KernelLowerings.TileWidth(plan);
        w.Line($"public int TileWidth => {Int(innerWidth)};");
        (Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters) = EmitBegin(w, t, plan, hoisting, new HashSet<VariableModel>(), TiledAccumulators(t, shape, op, k, dimF));

        w.Open($"public void Load({ViewType(t)} __tile, int __slot, int __load)");
        int offset = 0;
        foreach (VariableModel v in plan.Inner)
        {
            if (IsWide(v))
            {
                w.Open($"for (int __c = 0; __c < {Int(v.Dim)}; __c++)");
                w.Line($"__tile[__slot + {Int(offset)} + __c] = {CpuEmitter.Field(v)}[(__load * {Int(v.Dim)}) + __c];");
                w.Close();
            }

            for (int c = 0; c < v.Dim && !IsWide(v); c++)
            {
                w.Line($"__tile[__slot + {Int(offset + c)}] = {CpuEmitter.Field(v)}[(__load * {Int(v.Dim)}) + {Int(c)}];");
            }

            offset += v.Dim;
        }

        List<Formula> innerNodes = hoisting.Nodes(KernelSide.Inner);
        if (innerNodes.Count > 0)
        {
            Dictionary<Formula, string[]> hoisted = CpuEmitter.EmitValues(w, innerNodes, new LaneContext(t, null), hoisting.Names, node =>
            {
                if (parameters.TryGetValue(node, out string[]? p))
                {
                    return p.ToArray();
                }

                if (!node.IsVariable)
                {
                    return null;
                }

                KernelSide side = plan.SideOf(node.VariablePosition);
                VariableModel variable = plan.Inner.Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
                return Enumerable.Range(0, node.Dim)
                    .Select(c => side == KernelSide.Inner ? $"{CpuEmitter.Field(variable)}[(__load * {Int(variable.Dim)}) + {Int(c)}]"
                        : IsWide(variable) ? ViewRead(variable, Int(c)) : hoisting.Variables[variable.Position][c])
                    .ToArray();
            });
            foreach (Formula node in innerNodes)
            {
                string[] components = hoisted[node];
                for (int c = 0; c < components.Length; c++)
                {
                    w.Line($"__tile[__slot + {Int(plan.InnerDim + hoisting.Offset(node) + c)}] = {components[c]};");
                }
            }
        }

        w.Close();
        w.Open($"public void Pair<TScheme>({ViewType(t)} __tile, int __s, int __j, int __round) {SchemeConstraint}");
        System.Func<KernelSide, int, string?> tileLoad = (side, index) => side == KernelSide.Inner ? $"__tile[__s + {Int(index)}]" : null;
        System.Func<int, string, string> tileAt = (at, index) => $"__tile[__s + {Int(at)} + {index}]";
        if (IsWideSum(shape, dimF))
        {
            // Each component folded where the loop computes it.
            Looped(w, t, plan, hoisting, outer, parameters, tileLoad, tileAt, -1).Emit(plan.Formula, (index, value) =>
            {
                w.Open("if (default(TScheme).Direct)");
                w.Line($"{Runtime}.GpuMath.Fold<TScheme>(ref __acc[{index}], ref __acc[{Int(dimF)} + {index}], {value}, __round);");
                w.Close();
                w.Open("else");
                w.Line($"__par[{index}] += {value};");
                w.Close();
            });
        }
        else
        {
            string[] f = EmitFormula(w, t, plan, hoisting, outer, parameters, tileLoad, tileAt);
            EmitPairUpdate(w, shape, op, k, f);
        }

        w.Close();
        string flush = $"public void Flush<TScheme>(int __round) {SchemeConstraint}";
        if (IsWideSum(shape, dimF))
        {
            w.Open(flush);
            w.Open("if (!default(TScheme).Direct)");
            w.Open($"for (int __c = 0; __c < {Int(dimF)}; __c++)");
            w.Line($"{Runtime}.GpuMath.Fold<TScheme>(ref __acc[__c], ref __acc[{Int(dimF)} + __c], __par[__c], __round);");
            w.Line("__par[__c] = 0;");
            w.Close();
            w.Close();
            w.Close();
        }
        else if (shape is Shape.Sum or Shape.ShiftExp)
        {
            w.Open(flush);
            for (int c = 0; c < dimF; c++)
            {
                w.Line($"__a{Int(c)}.Flush<TScheme>(__round);");
            }

            w.Close();
        }
        else
        {
            // Min/Max and KMin keep no partials.
            w.Line(flush + " { }");
        }

        w.Open($"public void Write({Runtime}.GpuLaunch<{t}> l, int __row)");
        EmitWrite(w, t, shape, k, dimF);
        w.Close();
    }

    /// <summary>Lowers the formula for one pair; leaves are the prologue's locals, hoisted values and inner loads.</summary>
    private static string[] EmitFormula(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters, System.Func<KernelSide, int, string?> innerLoad, System.Func<int, string, string>? innerAt = null, int perPairPosition = -1)
    {
        if (LoopPlan.NeedsLoops(new[] { plan.Formula }))
        {
            return EmitLoopedFormula(w, t, plan, hoisting, outer, parameters, innerLoad, innerAt, perPairPosition);
        }

        Dictionary<Formula, string[]> values = CpuEmitter.EmitValues(w, new[] { plan.Formula }, new LaneContext(t, null), hoisting.Names, node =>
        {
            if (hoisting.TryGetSlot(node, out KernelSide side, out int slot))
            {
                return side switch
                {
                    KernelSide.Outer => outer[node].ToArray(),
                    KernelSide.Parameter => parameters[node].ToArray(),
                    _ => Enumerable.Range(0, node.Dim).Select(c => innerLoad(side, plan.InnerDim + slot + c)!).ToArray(),
                };
            }

            if (!node.IsVariable)
            {
                return null;
            }

            KernelSide variableSide = plan.SideOf(node.VariablePosition);
            int at = plan.OffsetOf(node.VariablePosition);
            return Enumerable.Range(0, node.Dim).Select(c => variableSide switch
            {
                KernelSide.Outer or KernelSide.Parameter => hoisting.Variables[node.VariablePosition][c],
                _ => innerLoad(variableSide, at + c) ?? string.Empty,
            }).ToArray();
        }, hoisting.Lowering.GpuSteps);
        return values[plan.Formula];
    }

    /// <summary>
    /// <see cref="EmitFormula"/> for formulas with wide vectors: loops over components, with wide
    /// variables read by index from the views (outer rows, parameters) or the tile (inner rows).
    /// </summary>
    private static string[] EmitLoopedFormula(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters, System.Func<KernelSide, int, string?> innerLoad, System.Func<int, string, string>? innerAt, int perPairPosition)
        => Looped(w, t, plan, hoisting, outer, parameters, innerLoad, innerAt, perPairPosition).Components(plan.Formula);

    /// <summary>Sum kernels with a wide F keep their accumulators in per-thread arrays, folded in loops.</summary>
    private static bool IsWideSum(Shape shape, int dimF) => shape == Shape.Sum && dimF > LoopPlan.MaxUnrolledDim;

    private static LoopedLowering Looped(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters, System.Func<KernelSide, int, string?> innerLoad, System.Func<int, string, string>? innerAt, int perPairPosition)
    {
        VariableModel? Variable(Formula node) => node.IsVariable ? plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).First(x => x.Position == node.VariablePosition) : null;
        bool Indexed(Formula node)
        {
            if (hoisting.TryGetSlot(node, out KernelSide side, out _))
            {
                return side == KernelSide.Inner && innerAt is not null;
            }

            VariableModel v = Variable(node)!;
            return plan.SideOf(node.VariablePosition) switch
            {
                // As in the prologue: wide parameters are read from their view, except the one set per pair.
                KernelSide.Parameter => IsWide(v) && v.Position != perPairPosition,
                KernelSide.Outer => true,
                _ => innerAt is not null,
            };
        }

        var looped = new LoopedLowering(w, new[] { plan.Formula }, new LaneContext(t, null), hoisting.Names,
            node => hoisting.TryGetSlot(node, out _, out _) || node.IsVariable ? (Indexed(node) ? LoopPlan.Kind.Indexed : LoopPlan.Kind.Unrolled) : null,
            (node, index) =>
            {
                bool literal = int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int c);
                if (hoisting.TryGetSlot(node, out KernelSide side, out int slot))
                {
                    return side switch
                    {
                        KernelSide.Outer => outer[node][c],
                        KernelSide.Parameter => parameters[node][c],
                        _ => literal ? innerLoad(side, plan.InnerDim + slot + c)! : innerAt!(plan.InnerDim + slot, index),
                    };
                }

                VariableModel v = Variable(node)!;
                KernelSide variableSide = plan.SideOf(node.VariablePosition);
                int at = plan.OffsetOf(node.VariablePosition);
                return variableSide switch
                {
                    KernelSide.Outer => IsWide(v) ? ViewRead(v, index) : hoisting.Variables[v.Position][c],
                    KernelSide.Parameter => IsWide(v) && v.Position != perPairPosition ? ViewRead(v, index) : hoisting.Variables[v.Position][c],
                    _ => literal ? innerLoad(variableSide, at + c) ?? string.Empty : innerAt!(at, index),
                };
            });
        return looped;
    }

    private static bool IsWide(VariableModel v) => v.Dim > LoopPlan.MaxUnrolledDim;

    /// <summary>Component <paramref name="index"/> of an outer-row variable, or of a parameter, read from its view.</summary>
    private static string ViewRead(VariableModel v, string index)
        => v.Category == VariableCategory.Parameter ? $"{CpuEmitter.Field(v)}[{index}]" : $"{CpuEmitter.Field(v)}[(__r * {Int(v.Dim)}) + {index}]";


    private static bool IsIdentifier(string expression)
        => expression.Length > 0 && !char.IsDigit(expression[0]) && expression.All(ch => char.IsLetterOrDigit(ch) || ch == '_');

    /// <summary>The Sum-family accumulator of one component: the runtime's double sum with a partial of the data type.</summary>
    private static string SumSlot(string t) => $"{Runtime}.SumAccumulator<{t}, {Runtime}.{(t == "double" ? "Double" : "Float")}Partial>";

    private static Accumulators TiledAccumulators(string t, Shape shape, int op, int k, int dimF)
    {
        var a = new Accumulators();
        IEnumerable<int> components = Enumerable.Range(0, dimF);
        switch (shape)
        {
            case Shape.Sum when IsWideSum(shape, dimF):
                // Per-thread arrays instead of 3·dim F fields: the kernel stays O(formula).
                a.Inline = true;
                a.Fields.Add($"public {ViewType("double")} __acc;");
                a.Fields.Add($"public {ViewType(t)} __par;");
                a.ResetLines.Add($"__acc = {Ilgpu}.LocalMemory.Allocate<double>({Int(2 * dimF)});");
                a.ResetLines.Add($"__par = {Ilgpu}.LocalMemory.Allocate<{t}>({Int(dimF)});");
                a.ResetLines.Add($"for (int __c = 0; __c < {Int(dimF)}; __c++) {{ __acc[__c] = 0; __acc[{Int(dimF)} + __c] = 0; __par[__c] = 0; }}");
                break;
            case Shape.Sum:
            case Shape.ShiftExp:
                if (shape == Shape.ShiftExp)
                {
                    a.Fields.Add($"public {t} __m;");
                    a.ResetLines.Add($"__m = {t}.NegativeInfinity;");
                }

                a.Fields.Add($"public {SumSlot(t)} {string.Join(", ", components.Select(c => $"__a{Int(c)}"))};");
                a.ResetLines.Add(string.Concat(components.Select(c => $"__a{Int(c)} = default; ")).TrimEnd());
                break;
            case Shape.MinMax:
                a.Fields.Add($"public {t} {string.Join(", ", components.Select(c => $"__b{Int(c)}"))};");
                a.Fields.Add($"public int {string.Join(", ", components.Select(c => $"__i{Int(c)}"))};");
                a.ResetLines.Add(string.Concat(components.Select(c => $"__b{Int(c)} = {t}.{(IsMax(op) ? "NegativeInfinity" : "PositiveInfinity")}; __i{Int(c)} = -1; ")).TrimEnd());
                break;
            case Shape.KMin:
                string[] slots = components.SelectMany(c => Enumerable.Range(0, k).Select(q => $"{Int(c)}_{Int(q)}")).ToArray();
                a.Fields.Add($"public {t} {string.Join(", ", slots.Select(s => "__b" + s))};");
                a.Fields.Add($"public int {string.Join(", ", slots.Select(s => "__i" + s))};");
                a.ResetLines.Add(string.Concat(slots.Select(s => $"__b{s} = {t}.PositiveInfinity; __i{s} = -1; ")).TrimEnd());
                break;
        }

        return a;
    }

    private static void EmitPairUpdate(IndentedWriter w, Shape shape, int op, int k, string[] f)
    {
        int dimF = f.Length;
        switch (shape)
        {
            case Shape.Sum:
                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"__a{Int(c)}.Add<TScheme>({f[c]}, __round);");
                }

                break;
            case Shape.ShiftExp:
                // Online max shift (KeOps's pair rule): when F exceeds the running max, what is
                // already summed moves to the new max.
                w.Open($"if ({f[0]} > __m)");
                w.Line($"double __scale = {Runtime}.GpuMath.Rescale(__m, {f[0]});");
                w.Line(string.Concat(Enumerable.Range(0, dimF).Select(c => $"__a{Int(c)}.Scale(__scale); ")).TrimEnd());
                w.Line($"__m = {f[0]};");
                w.Close();
                w.Line($"var __e = {Runtime}.GpuMath.ShiftedExp({f[0]}, __m);");
                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"__a{Int(c)}.Add<TScheme>({(c == 0 ? "__e" : $"(__e * {f[c]})")}, __round);");
                }

                break;
            case Shape.MinMax:
                string compare = IsMax(op) ? ">" : "<";
                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"if ({f[c]} {compare} __b{Int(c)}) {{ __b{Int(c)} = {f[c]}; __i{Int(c)} = __j; }}");
                }

                break;
            case Shape.KMin:
                for (int c = 0; c < dimF; c++)
                {
                    string last = $"{Int(c)}_{Int(k - 1)}";
                    w.Open($"if ({f[c]} < __b{last})");
                    w.Line($"__b{last} = {f[c]};");
                    w.Line($"__i{last} = __j;");
                    for (int q = k - 1; q > 0; q--)
                    {
                        string a = $"{Int(c)}_{Int(q - 1)}", b = $"{Int(c)}_{Int(q)}";
                        w.Line($"{Runtime}.GpuMath.Sift(ref __b{a}, ref __i{a}, ref __b{b}, ref __i{b});");
                    }

                    w.Close();
                }

                break;
        }
    }

    private static void EmitWrite(IndentedWriter w, string t, Shape shape, int k, int dimF)
    {
        string A(int c) => $"__a{Int(c)}.Sum";
        switch (shape)
        {
            case Shape.Sum:
                if (IsWideSum(shape, dimF))
                {
                    w.Open($"for (int __c = 0; __c < {Int(dimF)}; __c++)");
                    w.Line($"l.Values[(__row * {Int(dimF)}) + __c] = ({t})__acc[__c];");
                    w.Close();
                    break;
                }

                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(c)}] = ({t}){A(c)};");
                }

                break;
            case Shape.MinMax:
            case Shape.KMin:
                int slots = shape == Shape.KMin ? k : 1;
                foreach ((string output, string prefix) in new[] { ("Values", "__b"), ("Indices", "__i") })
                {
                    w.Open($"if (l.{output}.Length != 0)");
                    for (int q = 0; q < slots; q++)
                    {
                        for (int c = 0; c < dimF; c++)
                        {
                            string name = shape == Shape.KMin ? $"{prefix}{Int(c)}_{Int(q)}" : prefix + Int(c);
                            w.Line($"l.{output}[(__row * {Int(slots * dimF)}) + {Int((q * dimF) + c)}] = {name};");
                        }
                    }

                    w.Close();
                }

                break;
            case Shape.ShiftExp:
                int weights = dimF - 1;
                w.Line($"double __lse = __m + global::System.Math.Log({A(0)});");
                w.Open($"if (l.Mode == (int){Runtime}.ShiftExpMode.MaxSumShiftExp)");
                w.Line("l.Values[__row * 2] = __m;");
                w.Line($"l.Values[(__row * 2) + 1] = ({t}){A(0)};");
                w.Close();
                w.Open($"else if (l.Mode == (int){Runtime}.ShiftExpMode.MaxSumShiftExpWeight)");
                w.Line($"l.Values[__row * {Int(dimF)}] = ({t})__m;");
                for (int q = 0; q < weights; q++)
                {
                    w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(1 + q)}] = ({t}){A(1 + q)};");
                }

                w.Close();
                w.Open($"else if (l.Mode == (int){Runtime}.ShiftExpMode.SoftMaxWithLogSumExp)");
                w.Line($"l.Values[__row * {Int(dimF)}] = ({t})__lse;");
                for (int q = 0; q < weights; q++)
                {
                    w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(1 + q)}] = ({t})({A(1 + q)} / {A(0)});");
                }

                w.Close();
                if (weights > 0)
                {
                    w.Open($"else if (l.Mode == (int){Runtime}.ShiftExpMode.SumSoftMaxWeight)");
                    for (int q = 0; q < weights; q++)
                    {
                        w.Line($"l.Values[(__row * {Int(weights)}) + {Int(q)}] = ({t})({A(1 + q)} / {A(0)});");
                    }

                    w.Close();
                    w.Open("else");
                    for (int q = 0; q < weights; q++)
                    {
                        w.Line($"l.Values[(__row * {Int(weights)}) + {Int(q)}] = ({t})(__m + global::System.Math.Log({A(1 + q)}));");
                    }

                    w.Close();
                }
                else
                {
                    w.Open("else");
                    w.Line($"l.Values[__row] = ({t})__lse;");
                    w.Close();
                }

                break;
        }
    }

    /// <summary>The members of a pair-gradient kernel: F at one selected pair, the adjoint set per pair.</summary>
    private static void EmitPairMembers(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, ForwardPass forward, int target, int adjointPosition)
    {
        int dimF = plan.Formula.Dim;
        // The adjoint E is a parameter of the plan that takes one component of gradOutput per selected pair.
        VariableModel adjoint = plan.Parameters.First(p => p.Position == adjointPosition);
        w.Line($"public int Width => {Int(forward.Width)};");
        w.Line($"public int AdjointDim => {Int(forward.AdjointDim)};");
        var accumulators = new Accumulators();
        string[] g = target == 1 ? System.Array.Empty<string>() : Enumerable.Range(0, dimF).Select(c => "__g" + Int(c)).ToArray();
        if (g.Length > 0)
        {
            accumulators.Fields.Add($"public {t} {string.Join(", ", g)};");
            accumulators.ResetLines.Add(string.Concat(g.Select(name => $"{name} = 0; ")).TrimEnd());
        }

        (Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters) = EmitBegin(w, t, plan, hoisting, new HashSet<VariableModel> { adjoint }, accumulators);
        w.Open($"public void Pair({Runtime}.GpuLaunch<{t}> l, int __j, int __component, {t} __gradOutput)");
        string[] e = hoisting.Variables[adjoint.Position];
        for (int c = 0; c < e.Length; c++)
        {
            w.Line(c < forward.AdjointDim
                ? $"{t} {e[c]} = __component == {Int(c)} ? __gradOutput : 0;{(c == 0 ? " // " + Stem(adjoint) + ", set per pair" : string.Empty)}"
                : $"{t} {e[c]} = 0;");
        }

        string[] f = EmitFormula(w, t, plan, hoisting, outer, parameters, (side, index) =>
        {
            int at = 0;
            foreach (VariableModel v in plan.Inner)
            {
                if (index < at + v.Dim)
                {
                    return $"{CpuEmitter.Field(v)}[(__j * {Int(v.Dim)}) + {Int(index - at)}]";
                }

                at += v.Dim;
            }

            return null;
        }, perPairPosition: adjoint.Position);
        for (int c = 0; c < dimF; c++)
        {
            w.Line(target == 1
                ? $"{Ilgpu}.Atomic.Add(ref l.Values[(__j * {Int(dimF)}) + {Int(c)}], {f[c]});"
                : $"{g[c]} += {f[c]};");
        }

        w.Close();
        if (target == 1)
        {
            // The pairs added into the reduced side's rows.
            w.Line($"public void Write({Runtime}.GpuLaunch<{t}> l, int __row) {{ }}");
            return;
        }

        w.Open($"public void Write({Runtime}.GpuLaunch<{t}> l, int __row)");
        for (int c = 0; c < dimF; c++)
        {
            w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(c)}] = {g[c]};");
        }

        w.Close();
    }

    /// <summary>
    /// The statement that runs <paramref name="method"/> on device views (<paramref name="view"/>
    /// names each variable's): the runtime's launch of its kernel struct, or, for gradients that
    /// run a forward pass first, <c>Core</c>. Enqueued on the accelerator's default stream; the
    /// span path and the public accelerator overload both write it.
    /// </summary>
    private static string Launch(string t, MethodPlan method, string self, string accelerator, string rowsI, string rowsJ, string? values, string? indices, string settings, System.Func<VariableModel, string> view)
    {
        string valuesView = values ?? $"default({View(t)})";
        string indicesView = indices ?? "default";
        if (method.Saved is not null)
        {
            return $"{self}Core({accelerator}, {rowsI}, {rowsJ}, {valuesView}, {indicesView}, {settings}{string.Concat(ViewVariables(method).Select(v => ", " + view(v)))});";
        }

        string kernel = KernelValue(method.Kernel, view);
        string counts = method.Axis == 1 ? $"{rowsI}, {rowsJ}" : $"{rowsJ}, {rowsI}";
        return ShapeOf(method) switch
        {
            Shape.Sum when method.SumOverRows => $"{Kernels}.SumOverRows({accelerator}, {kernel}, {counts}, {valuesView}, {Int(method.Kernel.Lowered.Executed.Dim)}, {settings});",
            Shape.Sum => $"{Kernels}.Sum({accelerator}, {kernel}, {counts}, {valuesView}, {settings});",
            Shape.ShiftExp => $"{Kernels}.ShiftExp({accelerator}, {kernel}, {counts}, {valuesView}, {Runtime}.ShiftExpMode.{ReductionRegistry.Get(method.Op).Name}, {settings});",
            _ => $"{Kernels}.Arg({accelerator}, {kernel}, {counts}, {valuesView}, {indicesView}, {settings});",
        };
    }

    private const string Kernels = Runtime + ".GpuKernels";

    /// <summary>A new kernel struct of <paramref name="plan"/> over the views <paramref name="view"/> names.</summary>
    private static string KernelValue(KernelPlan plan, System.Func<VariableModel, string> view)
        => $"new {plan.KernelName}Gpu {{ {string.Join(", ", plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).Select(v => $"{CpuEmitter.Field(v)} = {view(v)}"))} }}";

    /// <summary>The device entry of a gradient that runs its forward pass first (into a temporary buffer): views in, views out.</summary>
    private static void EmitCore(IndentedWriter w, string t, MethodPlan method)
    {
        ForwardPass forward = method.Saved!;
        List<VariableModel> views = ViewVariables(method);
        string parameters = string.Concat(views.Select(v => $", {ViewType(t)} {CpuEmitter.Field(v)}"));
        w.Line("/// <summary>Runs the method on device views (rows × dim, row-major): enqueued on the accelerator's default stream.</summary>");
        w.Open($"public static void Core({Ilgpu}.Runtime.Accelerator accelerator, int rowsI, int rowsJ, {View(t)} values, {ViewType("int")} indices, global::KeOpsGen.Cpu.ReductionSettings settings{parameters})");
        string Outer(int axis) => axis == 1 ? "rowsI" : "rowsJ";
        string Inner(int axis) => axis == 1 ? "rowsJ" : "rowsI";
        string Kernel(KernelPlan plan, VariableModel? replaced = null, string replacement = "")
            => KernelValue(plan, v => v == replaced ? replacement : CpuEmitter.Field(v));
        string fo = Outer(forward.Axis), fi = Inner(forward.Axis);
        // The forward pass reduces over its own axis, so it reads that axis's half of the ranges.
        string fwdSettings = forward.Axis == method.Axis ? "settings" : $"settings.ForAxis({Int(forward.Axis)})";
        if (forward.Values is { } saved)
        {
            w.Open($"using (var __saved = accelerator.Allocate1D<{t}>(global::System.Math.Max(1L, (long){fo} * {Int(forward.Width)})))");
            w.Line($"var __savedView = __saved.View.SubView(0, (long){fo} * {Int(forward.Width)});");
            w.Line($"{Kernels}.ShiftExp(accelerator, {Kernel(forward.Kernel)}, {fo}, {fi}, __savedView, {Runtime}.ShiftExpMode.{ReductionRegistry.Get(forward.Op).SavedGpuMode!}, {fwdSettings});");
            string counts = $"{Outer(method.Axis)}, {Inner(method.Axis)}";
            w.Line(method.SumOverRows
                ? $"{Kernels}.SumOverRows(accelerator, {Kernel(method.Kernel, saved, "__savedView")}, {counts}, values, {Int(method.Kernel.Lowered.Executed.Dim)}, settings);"
                : $"{Kernels}.Sum(accelerator, {Kernel(method.Kernel, saved, "__savedView")}, {counts}, values, settings);");
        }
        else
        {
            VariableModel adjoint = method.Variables[method.Variables.Count - 1];
            w.Open($"using (var __selected = accelerator.Allocate1D<int>(global::System.Math.Max(1L, (long){fo} * {Int(forward.Width)})))");
            w.Line($"{ViewType("int")} __selectedView = __selected.View.SubView(0, (long){fo} * {Int(forward.Width)});");
            w.Line($"{Kernels}.Arg(accelerator, {Kernel(forward.Kernel)}, {fo}, {fi}, default({View(t)}), __selectedView, {fwdSettings});");
            string pairs = $"accelerator, {Kernel(method.Kernel, adjoint, "default")}, {fo}, {fi}, __selectedView, {CpuEmitter.Field(adjoint)}, values";
            w.Line(forward.Target switch
            {
                1 => $"{Kernels}.PairsScatter({pairs}, settings);",
                2 => $"{Kernels}.PairsOverRows({pairs}, {Int(method.Kernel.Lowered.Executed.Dim)}, settings);",
                _ => $"{Kernels}.Pairs({pairs}, settings);",
            });
        }

        // The temporary buffer is freed at the end of the block: wait for the kernels using it.
        w.Line("accelerator.Synchronize();");
        w.Close();
        w.Close();
    }

    /// <summary>The span path: upload, <c>Core</c>, download; false when Backend.Auto fell back after a GPU error.</summary>
    private static void EmitRun(IndentedWriter w, string t, MethodPlan method)
    {
        List<VariableModel> views = ViewVariables(method);
        string parameters = string.Concat(views.Select(v => $", global::System.ReadOnlySpan<{t}> {CpuEmitter.Field(v)}"));
        string Rows(VariableCategory category) => category == VariableCategory.I ? "rowsI" : category == VariableCategory.J ? "rowsJ" : "1";
        string Outer(int axis) => axis == 1 ? "rowsI" : "rowsJ";
        string Inner(int axis) => axis == 1 ? "rowsJ" : "rowsI";
        ForwardPass? forward = method.Saved;
        // Each buffer as rows, values per row.
        string values = method.OutputParameter is null ? "0, 0"
            : method.SumOverRows ? $"1, {Int(method.OutputWidth)}"
            : forward is { Values: null } ? (forward.Target == 2 ? $"1, {Int(method.OutputWidth)}" : $"{(forward.Target == 1 ? Inner(forward.Axis) : Outer(forward.Axis))}, {Int(method.OutputWidth)}")
            : $"{Outer(method.Axis)}, {Int(method.OutputWidth)}";
        string indices = method.IndexParameter is null ? "0, 0" : $"{Outer(method.Axis)}, {Int(method.IndexWidth)}";
        string Upload(VariableModel v)
        {
            string length = forward is { Values: null } && v == method.Variables[method.Variables.Count - 1]
                ? $"{Outer(forward.Axis)}, {Int(forward.Width)}"
                : $"{Rows(v.Category)}, {Int(v.Dim)}";
            return $"call.Upload({CpuEmitter.Field(v)}, {length})";
        }

        w.Line("/// <summary>The span path; false: Backend.Auto falls back to the CPU.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        w.Open($"public static bool Run({Runtime}.GpuTarget target, int rowsI, int rowsJ, global::System.Span<{t}> values, global::System.Span<int> indices, global::KeOpsGen.Cpu.ReductionSettings settings{parameters})");
        w.Line("using var call = target.Begin();");
        w.Open("try");
        w.Line(Launch(t, method, string.Empty, "call.Accelerator", "rowsI", "rowsJ", $"call.Values<{t}>({values})", $"call.Indices({indices})", "settings", Upload));
        w.Line("return call.Finish(values, indices);");
        w.Close();
        w.Open("catch (global::System.Exception e) when (call.FallBack(e))");
        w.Line("return false;");
        w.Close();
        w.Close();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
