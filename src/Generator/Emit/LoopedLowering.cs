namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Lowers a formula with wide vectors (over <see cref="LoopPlan.MaxUnrolledDim"/> components)
/// as loops over their components: elementwise chains are computed component by component inside
/// the loop of the reduction or output that consumes them, reductions over components (Sum,
/// Scalprod and so SqNorm2, SqDist, WeightedSqDist, MatVecMult, Min/Max/ArgMin/ArgMax) keep
/// several partial accumulators, and wide results are written by a loop. Small nodes stay
/// unrolled, as in <see cref="CpuEmitter.EmitValues"/>. Operations with no looped form (Concat,
/// tensor algebra, ...) fall back to one local per component: correct, and bounded by KEOPS0304.
/// What each operation does here is its <see cref="LoopedForm"/>: this class owns the loops,
/// scopes and names, and dispatches through the definition.
/// </summary>
internal sealed class LoopedLowering : ILoopedWriter
{
    private readonly IndentedWriter _w;
    private readonly LaneContext _lane;
    private readonly LocalNames _names;
    private readonly Func<Formula, LoopPlan.Kind?> _leafKind;
    private readonly Func<Formula, string, string> _leafLoad;
    private readonly Dictionary<Formula, LoopPlan.Kind> _kinds;
    private readonly Dictionary<Formula, string[]> _values = new();

    // One memo of computed components per open loop body: a local declared inside a loop is not
    // visible after it.
    private readonly List<Dictionary<(Formula Node, string Index), string>> _scopes = new() { new() };
    /// <param name="leafKind">For nodes read rather than computed: <see cref="LoopPlan.Kind.Indexed"/> when any component can be loaded by a run-time index, <see cref="LoopPlan.Kind.Unrolled"/> when only by a constant one; null for computed nodes.</param>
    /// <param name="leafLoad">The load expression of a leaf's component at an index expression.</param>
    public LoopedLowering(IndentedWriter w, IEnumerable<Formula> roots, LaneContext lane, LocalNames names, Func<Formula, LoopPlan.Kind?> leafKind, Func<Formula, string, string> leafLoad)
    {
        _w = w;
        _lane = lane;
        _names = names;
        _leafKind = leafKind;
        _leafLoad = leafLoad;
        Formula[] all = roots.ToArray();
        _kinds = LoopPlan.Classify(all, leafKind);

        // Everything but indexed nodes is computed once, here, in the straight-line part of the
        // body: locals declared inside a loop would not be visible to later loops. Wide Concats
        // are assembled from their parts where used, so an output Concat costs nothing here.
        foreach (Formula node in Formula.PostOrder(all, n => leafKind(n) is not null))
        {
            if (_kinds[node] != LoopPlan.Kind.Indexed && !IsWideConcat(node))
            {
                _values[node] = Compute(node);
            }
        }
    }

    /// <summary>
    /// <see cref="CpuEmitter.EmitValues"/> for roots with wide nodes, where every leaf is given
    /// by its component expressions (locals): nothing is indexed at run time, but folds are one
    /// statement per component, never one expression nested dim deep (CS8078).
    /// </summary>
    public static Dictionary<Formula, string[]> EmitWithLocalLeaves(IndentedWriter w, IEnumerable<Formula> roots, LaneContext lane, LocalNames names, Func<Formula, string[]?> leaf)
    {
        Formula[] all = roots.ToArray();
        var loads = new Dictionary<Formula, string[]?>();
        string[]? Loads(Formula node)
        {
            if (!loads.TryGetValue(node, out string[]? value))
            {
                value = leaf(node);
                loads[node] = value;
            }

            return value;
        }

        var lowering = new LoopedLowering(w, all, lane, names, n => Loads(n) is null ? null : LoopPlan.Kind.Unrolled, (n, index) => Loads(n)![Literal(index)]);
        var result = new Dictionary<Formula, string[]>();
        foreach (Formula root in all)
        {
            result[root] = lowering.Components(root);
        }

        return result;
    }

    /// <summary>Writes every component of <paramref name="root"/> to <paramref name="target"/> (an lvalue for an index expression), in a loop where the root is wide.</summary>
    public void Write(Formula root, Func<string, string> target) => Emit(root, 0, (index, value) => _w.Line($"{target(index)} = {value};"));

    /// <summary>Hands every component of <paramref name="root"/> to <paramref name="sink"/> (index expression, value), in a loop where the root is wide.</summary>
    public void Emit(Formula root, Action<string, string> sink) => Emit(root, 0, sink);

    /// <summary>All components of a node as expressions (one per component: O(dim) code for a wide node).</summary>
    public string[] Components(Formula node)
    {
        if (_values.TryGetValue(node, out string[]? values))
        {
            return values;
        }

        if (IsWideConcat(node))
        {
            return Components(node.Args[0]).Concat(Components(node.Args[1])).ToArray();
        }

        return Enumerable.Range(0, node.Dim).Select(c => Component(node, Int(c))).ToArray();
    }

    private void Emit(Formula node, int offset, Action<string, string> sink)
    {
        if (IsWideConcat(node))
        {
            Emit(node.Args[0], offset, sink);
            Emit(node.Args[1], offset + node.Args[0].Dim, sink);
            return;
        }

        if (_kinds[node] == LoopPlan.Kind.Indexed)
        {
            string k = Name("k");
            _w.Open($"for (int {k} = 0; {k} < {Int(node.Dim)}; {k}++)");
            _scopes.Add(new());
            string value = Component(node, k);
            sink(IndexText.Add(k, offset), value);
            _scopes.RemoveAt(_scopes.Count - 1);
            _w.Close();
            return;
        }

        string[] components = Components(node);
        for (int c = 0; c < components.Length; c++)
        {
            sink(Int(offset + c), components[c]);
        }
    }

    LaneContext ILoopedWriter.Lane => _lane;

    int ILoopedWriter.Partials => LoopPlan.Partials;

    private bool IsWideConcat(Formula node) => node.Op.Looped.AssembledFromArguments && LoopPlan.IsWide(node) && _leafKind(node) is null;

    public bool IsIndexed(Formula node) => node.Dim > 1 && _kinds[node] == LoopPlan.Kind.Indexed;

    /// <summary>Computes a non-indexed node in the straight-line part: one expression per component.</summary>
    private string[] Compute(Formula node)
    {
        if (_leafKind(node) is not null)
        {
            return CpuEmitter.Bind(_w, _names, node, Enumerable.Range(0, node.Dim).Select(c => _leafLoad(node, Int(c))).ToArray(), always: true);
        }

        if (node.IsConstant)
        {
            return new[] { _lane.Constant(node.Value) };
        }

        IntArgs ints = IntArgs.Decode(node.Ints);
        LoopedForm form = node.Op.Looped;
        if (form.FromLooped?.Invoke(this, node, ints) is { } looped)
        {
            return looped;
        }

        string[][] args = node.Args.Select(Components).ToArray();
        if (form.FromLocals?.Invoke(this, args) is { } folded)
        {
            return folded;
        }

        string[] components = node.Op.Lower!(_lane, args, ints, node.Dim);
        Flush();
        return CpuEmitter.Bind(_w, _names, node, components, always: false);
    }

    /// <summary>Folds one statement per component (no nesting): Σ a_c, or Σ a_c·b_c with FMAs.</summary>
    public string Fold(int count, Func<int, string> a, Func<int, string>? b)
    {
        string acc = Name("f");
        _w.Line($"var {acc} = {(b is null ? a(0) : $"({a(0)} * {b(0)})")};");
        for (int c = 1; c < count; c++)
        {
            _w.Line(b is null ? $"{acc} = ({acc} + {a(c)});" : $"{acc} = {LaneContext.Math("Fma", a(c), b(c), acc)};");
        }

        return acc;
    }

    /// <summary>
    /// A loop over <paramref name="count"/> components updating <paramref name="outputs"/>
    /// accumulators, each split into <paramref name="partials"/> partial sums (independent
    /// dependency chains), then summed pairwise. <paramref name="step"/> gives an accumulator's
    /// new value from a component index, an output number and the accumulator.
    /// </summary>
    public string[] Accumulate(int count, int outputs, int partials, Func<string, int, string, string> step)
    {
        if (count < 2 * partials)
        {
            partials = 1;
        }

        string id = Name("a");
        string Acc(int o, int p) => $"{id}_{Int(o)}_{Int(p)}";
        for (int o = 0; o < outputs; o++)
        {
            for (int p = 0; p < partials; p++)
            {
                _w.Line($"var {Acc(o, p)} = {_lane.Constant(0)};");
            }
        }

        int main = count - (count % partials);
        string k = Name("k");
        _w.Open($"for (int {k} = 0; {k} < {Int(main)}; {k} += {Int(partials)})");
        _scopes.Add(new());
        for (int p = 0; p < partials; p++)
        {
            string index = p == 0 ? k : $"({k} + {Int(p)})";
            for (int o = 0; o < outputs; o++)
            {
                string value = step(index, o, Acc(o, p));
                _w.Line($"{Acc(o, p)} = {value};");
            }
        }

        _scopes.RemoveAt(_scopes.Count - 1);
        _w.Close();
        for (int r = main; r < count; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                string value = step(Int(r), o, Acc(o, r - main));
                _w.Line($"{Acc(o, r - main)} = {value};");
            }
        }

        var result = new string[outputs];
        for (int o = 0; o < outputs; o++)
        {
            var terms = Enumerable.Range(0, partials).Select(p => Acc(o, p)).ToList();
            while (terms.Count > 1)
            {
                var next = new List<string>();
                for (int t = 0; t + 1 < terms.Count; t += 2)
                {
                    next.Add($"({terms[t]} + {terms[t + 1]})");
                }

                if (terms.Count % 2 == 1)
                {
                    next.Add(terms[terms.Count - 1]);
                }

                terms = next;
            }

            result[o] = Bind(new[] { terms[0] }, "t")[0];
        }

        return result;
    }

    /// <summary>Min/Max (or their index) of a wide vector: a running best, the first index kept on ties as in the unrolled form.</summary>
    public string Best(Formula f, bool max, bool index)
    {
        string best = Name("b");
        string at = Name("i");
        _w.Line($"var {best} = {Component(f, "0")};");
        if (index)
        {
            _w.Line($"var {at} = {_lane.Constant(0)};");
        }

        string k = Name("k");
        _w.Open($"for (int {k} = 1; {k} < {Int(f.Dim)}; {k}++)");
        _scopes.Add(new());
        string x = Component(f, k);
        string keep = Name("d");
        _w.Line($"var {keep} = {(max ? $"({best} - {x})" : $"({x} - {best})")};");
        if (index)
        {
            _w.Line($"{at} = {LaneContext.Math("IfElse", keep, at, IndexValue(k))};");
        }

        _w.Line($"{best} = {LaneContext.Math("IfElse", keep, best, x)};");
        _scopes.RemoveAt(_scopes.Count - 1);
        _w.Close();
        return index ? at : best;
    }

    /// <summary>Component <paramref name="index"/> (a C# int expression) of a node, computed in the innermost open scope.</summary>
    public string Component(Formula node, string index)
    {
        if (node.Dim == 1)
        {
            return Components(node)[0];
        }

        if (_kinds[node] != LoopPlan.Kind.Indexed)
        {
            return Components(node)[Literal(index)];
        }

        foreach (Dictionary<(Formula, string), string> scope in _scopes)
        {
            if (scope.TryGetValue((node, index), out string? known))
            {
                return known;
            }
        }

        string value = _leafKind(node) is not null ? _leafLoad(node, index) : ComputeComponent(node, index);
        if (!CpuEmitter.IsSimple(value))
        {
            string local = Name("l");
            _w.Line($"var {local} = {value};");
            value = local;
        }

        _scopes[_scopes.Count - 1][(node, index)] = value;
        return value;
    }

    private string ComputeComponent(Formula node, string index)
    {
        ComponentRule rule = node.Op.Looped.Component
            ?? throw new InvalidOperationException($"internal: {node.Op.Name} was planned as indexed but has no looped form");
        string value = rule(this, node, IntArgs.Decode(node.Ints), index);
        Flush();
        return value;
    }

    public string Let(string letter, string expression)
    {
        string name = Name(letter);
        _w.Line($"var {name} = {expression};");
        return name;
    }

    public string IndexValue(string index)
        => IsLiteral(index, out int c) ? _lane.Constant(c)
            : _lane.Broadcast($"(({_lane.ScalarType}){index})");

    private void Flush()
    {
        foreach (string statement in _lane.Statements)
        {
            _w.Line(statement);
        }

        _lane.Statements.Clear();
    }

    private string[] Bind(string[] components, string letter)
    {
        string id = Name(letter);
        var bound = new string[components.Length];
        for (int c = 0; c < components.Length; c++)
        {
            if (CpuEmitter.IsSimple(components[c]))
            {
                bound[c] = components[c];
                continue;
            }

            bound[c] = $"{id}_{Int(c)}";
            _w.Line($"var {bound[c]} = {components[c]};");
        }

        return bound;
    }

    private string Name(string letter) => _names.ClaimOwner(letter);

    private static string Int(int value) => IndexText.Int(value);

    private static bool IsLiteral(string index, out int value) => IndexText.IsLiteral(index, out value);

    private static int Literal(string index)
        => IsLiteral(index, out int value) ? value : throw new InvalidOperationException($"internal: a component of an unrolled node was asked at run-time index {index}");
}
