namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Emits the CPU kernel struct of a <see cref="KernelPlan"/>: static members only (the caller's
/// spans go to the engine beside it, in a <c>KernelSpans</c> the runtime pins), the variable
/// layout the runtime gathers from, the hoisted values' <c>Precompute</c> hooks, and the formula's
/// <c>Evaluate</c>, written once generic over the runtime's lane type (the engine runs it as
/// scalar, Vector256 or Vector512 lanes). It writes what the Plan step decided (<see cref="KernelLowering"/>): the
/// executed formula, the one-side sub-formulas computed at gather time and the per-pair
/// evaluation order; it decides nothing about the formula itself.
/// </summary>
internal static class CpuEmitter
{
    /// <summary>The type parameter of <c>Evaluate</c>: the lane type.</summary>
    private const string Lane = "TLane";

    public static void EmitKernel(IndentedWriter w, KernelPlan plan, string t)
    {
        KernelLowering lowering = plan.Lowered;
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        // Static members only: the caller's spans go to the engine beside the type (a
        // KernelSpans), the engine pins them and gathers from the layout below, so nothing here
        // needs unsafe code: Evaluate reads the gathered blocks through refs.
        w.Open($"private struct {plan.KernelName} : global::KeOpsGen.Cpu.ICpuKernel<{t}>");
        w.Line($"public static int OuterDim => {plan.OuterDim + lowering.Width(KernelSide.Outer)};");
        w.Line($"public static int InnerDim => {plan.InnerDim + lowering.Width(KernelSide.Inner)};");
        w.Line($"public static int ParamDim => {plan.ParamDim + lowering.Width(KernelSide.Parameter)};");
        w.Line($"public static int FormulaDim => {lowering.Executed.Dim};");
        w.Line($"public static int Axis => {plan.Axis.ToString(CultureInfo.InvariantCulture)};");
        w.Line($"public static global::System.ReadOnlySpan<int> OuterDims => {Dims(plan.Outer)};");
        w.Line($"public static global::System.ReadOnlySpan<int> InnerDims => {Dims(plan.Inner)};");
        w.Line($"public static global::System.ReadOnlySpan<int> ParamDims => {Dims(plan.Parameters)};");
        if (lowering.Width(KernelSide.Parameter) > 0)
        {
            w.Line();
            w.Open($"public static void PrecomputeParams(ref {t} parameters)");
            EmitPrecomputed(w, plan, lowering, KernelSide.Parameter, t, new LocalNames("parameters"));
            w.Close();
        }

        if (lowering.Width(KernelSide.Outer) > 0)
        {
            w.Line();
            w.Open($"public static void PrecomputeOuter(ref {t} parameters, ref {t} row)");
            EmitPrecomputed(w, plan, lowering, KernelSide.Outer, t, new LocalNames("parameters", "row"));
            w.Close();
        }

        if (lowering.Width(KernelSide.Inner) > 0)
        {
            w.Line();
            w.Open($"public static void PrecomputeInner(ref {t} parameters, ref {t} row, nint stride)");
            EmitPrecomputed(w, plan, lowering, KernelSide.Inner, t, new LocalNames("parameters", "row", "stride"));
            w.Close();
        }

        w.Line();
        EmitEvaluate(w, plan, lowering, new LaneContext(t, Lane));

        w.Close();
    }

    internal static string Field(VariableModel v) => "V" + v.Position.ToString(CultureInfo.InvariantCulture);

    private const string UnsafeAdd = "global::System.Runtime.CompilerServices.Unsafe.Add";

    /// <summary>A group's variable dimensions as a constant span (static data, no allocation).</summary>
    private static string Dims(EquatableArray<VariableModel> group)
        => group.Count == 0 ? "default" : $"new int[] {{ {string.Join(", ", group.Select(v => v.Dim.ToString(CultureInfo.InvariantCulture)))} }}";

    /// <summary><paramref name="offset"/> + <paramref name="index"/>, folded when the index is a literal.</summary>
    private static string Plus(int offset, string index)
        => IsNumber(index) ? (offset + int.Parse(index, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)
            : offset == 0 ? index : $"({offset.ToString(CultureInfo.InvariantCulture)} + {index})";

    /// <summary>
    /// Component <paramref name="slot"/> of the gathered block a Precompute hook sees for
    /// <paramref name="side"/>: the parameters, the outer row, or an inner row (components
    /// <c>stride</c> apart).
    /// </summary>
    private static string Gathered(KernelSide side, string slot) => side switch
    {
        KernelSide.Parameter => $"{UnsafeAdd}(ref parameters, {slot})",
        KernelSide.Outer => $"{UnsafeAdd}(ref row, {slot})",
        _ => $"{UnsafeAdd}(ref row, (nint){slot} * stride)",
    };

    /// <summary>
    /// Computes the hoisted sub-formulas of one side, in scalar code reading the gathered block
    /// (the side's variables at their layout offsets, parameters from the gathered parameters),
    /// and stores their components after the side's variables.
    /// </summary>
    private static void EmitPrecomputed(IndentedWriter w, KernelPlan plan, KernelLowering lowering, KernelSide side, string t, LocalNames names)
    {
        List<Formula> nodes = lowering.Nodes(side);
        if (nodes.Count == 0)
        {
            return;
        }

        var lane = new LaneContext(t, null);
        int baseOffset = BaseOffset(plan, side);
        Dictionary<Formula, HoistedValue> slots = KernelLowering.Index(lowering.Hoisted);

        // The engine gathers the parameters first, then the side's own variables; a hoisted
        // node reads both there (it never depends on the other row side).
        string Source(VariableModel v, string index) => Gathered(v.Category == VariableCategory.Parameter ? KernelSide.Parameter : side, Plus(plan.OffsetOf(v.Position), index));
        string Destination(string index) => Gathered(side, index);
        if (LoopPlan.NeedsLoops(nodes))
        {
            var looped = new LoopedLowering(w, nodes, lane, names, node => node.IsVariable ? LoopPlan.Kind.Indexed : null, (node, index) =>
            {
                VariableModel v = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
                return Source(v, index);
            });
            foreach (Formula node in nodes)
            {
                int first = baseOffset + slots[node].Offset;
                looped.Write(node, index => Destination(IsNumber(index) ? (first + int.Parse(index, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) : $"({first} + {index})"));
            }

            return;
        }

        Dictionary<Formula, string[]> values = EmitValues(w, nodes, lane, names, node =>
        {
            if (!node.IsVariable)
            {
                return null;
            }

            VariableModel v = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
            return Enumerable.Range(0, node.Dim).Select(c => Source(v, c.ToString(CultureInfo.InvariantCulture))).ToArray();
        });
        foreach (Formula node in nodes)
        {
            int slot = baseOffset + slots[node].Offset;
            string[] components = values[node];
            for (int c = 0; c < components.Length; c++)
            {
                w.Line($"{Destination((slot + c).ToString(CultureInfo.InvariantCulture))} = {components[c]};");
            }
        }
    }

    private static void EmitEvaluate(IndentedWriter w, KernelPlan plan, KernelLowering lowering, LaneContext lane)
    {
        string t = lane.ScalarType;
        Formula formula = lowering.Executed;
        Dictionary<Formula, HoistedValue> slots = KernelLowering.Index(lowering.Hoisted);
        var names = new LocalNames("parameters", "outer", "inner", "stride", "result");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        // One body for every width: the engine picks the lane type (scalar, Vector256, Vector512)
        // and the JIT specializes this method for it.
        w.Line($"public static void Evaluate<{Lane}>(ref {t} parameters, ref {t} outer, ref {t} inner, nint stride, ref {Lane} result)");
        w.Open($"    where {Lane} : struct, global::KeOpsGen.Cpu.ILane<{Lane}, {t}>");
        if (LoopPlan.NeedsLoops(new[] { formula }))
        {
            // Wide vectors: loops over components, reading the gathered row and tile in place.
            var looped = new LoopedLowering(w, new[] { formula }, lane, names, node => slots.ContainsKey(node) || node.IsVariable ? LoopPlan.Kind.Indexed : null, (node, index) =>
            {
                if (slots.TryGetValue(node, out HoistedValue? hoisted))
                {
                    return LoadAt(lane, hoisted.Side, BaseOffset(plan, hoisted.Side) + hoisted.Offset, index);
                }

                return LoadAt(lane, plan.SideOf(node.VariablePosition), plan.OffsetOf(node.VariablePosition), index);
            });
            looped.Write(formula, index => index == "0" ? "result" : $"global::System.Runtime.CompilerServices.Unsafe.Add(ref result, {index})");
            w.Close();
            return;
        }

        Dictionary<Formula, string[]> values = EmitValues(w, new[] { formula }, lane, names, node =>
        {
            if (slots.TryGetValue(node, out HoistedValue? hoisted))
            {
                int first = BaseOffset(plan, hoisted.Side) + hoisted.Offset;
                return Enumerable.Range(0, node.Dim).Select(c => Load(lane, hoisted.Side, first + c)).ToArray();
            }

            if (!node.IsVariable)
            {
                return null;
            }

            KernelSide variableSide = plan.SideOf(node.VariablePosition);
            int offset = plan.OffsetOf(node.VariablePosition);
            return Enumerable.Range(0, node.Dim).Select(c => Load(lane, variableSide, offset + c)).ToArray();
        }, lowering.Steps);

        string[] final = values[formula];
        for (int c = 0; c < final.Length; c++)
        {
            w.Line(c == 0
                ? $"result = {final[c]};"
                : $"global::System.Runtime.CompilerServices.Unsafe.Add(ref result, {c}) = {final[c]};");
        }

        w.Close();
    }

    /// <summary>Where a side's hoisted values start: after its variables.</summary>
    internal static int BaseOffset(KernelPlan plan, KernelSide side) => side switch
    {
        KernelSide.Outer => plan.OuterDim,
        KernelSide.Inner => plan.InnerDim,
        _ => plan.ParamDim,
    };

    /// <summary>
    /// Writes locals for the values of <paramref name="roots"/>: children before parents, each
    /// distinct node once, in the plan's order (<paramref name="steps"/>) when it has one.
    /// <paramref name="leaf"/> supplies the load expressions of the nodes that are read rather
    /// than computed (variables, precomputed sub-formulas); the walk does not descend below them.
    /// Each local is named after its term (<see cref="LocalNames"/>), the term in a trailing comment.
    /// </summary>
    internal static Dictionary<Formula, string[]> EmitValues(IndentedWriter w, IEnumerable<Formula> roots, LaneContext lane, LocalNames names, Func<Formula, string[]?> leaf, IReadOnlyList<Formula>? steps = null)
    {
        if (LoopPlan.NeedsLoops(roots))
        {
            return LoopedLowering.EmitWithLocalLeaves(w, roots, lane, names, leaf);
        }

        var values = new Dictionary<Formula, string[]>();
        IReadOnlyList<Formula> order = steps is { Count: > 0 } ? steps : Formula.PostOrder(roots, n => leaf(n) is not null);
        foreach (Formula node in order)
        {
            string[]? loads = leaf(node);
            string[] components;
            if (loads is not null)
            {
                // A leaf already in a local (the GPU prologue's) is used as it is.
                components = loads.All(IsIdentifier) ? loads : Bind(w, names, node, loads, always: true);
            }
            else if (node.IsConstant)
            {
                components = new[] { lane.Constant(node.Value) };
            }
            else
            {
                string[][] args = node.Args.Select(a => values[a]).ToArray();
                string stem = LocalNames.Stem(node);
                lane.FreshName = () => names.Claim(stem + "Part");
                components = node.Op.Lower!(lane, args, IntArgs.Decode(node.Ints), node.Dim);
                lane.FreshName = null;
                foreach (string statement in lane.Statements)
                {
                    w.Line(statement);
                }

                lane.Statements.Clear();
                components = Bind(w, names, node, components, always: false);
            }

            values[node] = components;
        }

        return values;
    }

    /// <summary>
    /// Declares a local for each component that is not already simple (always, for loads), named
    /// after <paramref name="node"/>'s term; the first declaration carries the term as a comment.
    /// </summary>
    internal static string[] Bind(IndentedWriter w, LocalNames names, Formula node, string[] components, bool always)
    {
        int[] bound = Enumerable.Range(0, components.Length).Where(c => always || !IsSimple(components[c])).ToArray();
        if (bound.Length == 0)
        {
            return components;
        }

        string[] locals = names.Claim(LocalNames.Stem(node), components.Length);
        var result = (string[])components.Clone();
        string comment = " // " + LocalNames.Term(node);
        foreach (int c in bound)
        {
            w.Line($"var {locals[c]} = {components[c]};{comment}");
            comment = string.Empty;
            result[c] = locals[c];
        }

        return result;
    }

    internal static bool IsSimple(string expression)
        => expression.All(ch => char.IsLetterOrDigit(ch) || ch == '_')
           || (expression.StartsWith(Lane + ".Create(", StringComparison.Ordinal) && expression.IndexOf('(') == expression.LastIndexOf('('));

    private static bool IsIdentifier(string expression)
        => expression.Length > 0 && !char.IsDigit(expression[0]) && expression.All(ch => char.IsLetterOrDigit(ch) || ch == '_');

    /// <summary>The load of component <paramref name="index"/> (a C# int expression) past <paramref name="offset"/> of one side's gathered data.</summary>
    private static string LoadAt(LaneContext lane, KernelSide side, int offset, string index)
    {
        if (IsNumber(index))
        {
            return Load(lane, side, offset + int.Parse(index, CultureInfo.InvariantCulture));
        }

        string at = offset == 0 ? index : $"({offset.ToString(CultureInfo.InvariantCulture)} + {index})";
        return side == KernelSide.Inner
            ? $"{lane.LaneType}.Load(in inner, (nint){at} * stride)"
            : $"{lane.LaneType}.Broadcast(in {(side == KernelSide.Outer ? "outer" : "parameters")}, {at})";
    }

    private static bool IsNumber(string index) => index.Length > 0 && index.All(char.IsDigit);

    // Inner values are consecutive rows of one component (a vector load of TLane.Count values);
    // outer values and parameters are one value for every lane.
    private static string Load(LaneContext lane, KernelSide side, int index)
        => side == KernelSide.Inner
            ? (index == 0 ? $"{lane.LaneType}.Load(in inner)" : $"{lane.LaneType}.Load(in inner, {index} * stride)")
            : $"{lane.LaneType}.Broadcast(in {(side == KernelSide.Outer ? "outer" : "parameters")}, {index})";
}
