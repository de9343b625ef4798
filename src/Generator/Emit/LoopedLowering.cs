using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Lowers a formula with wide vectors (over <see cref="LoopPlan.MaxUnrolledDim"/> components)
/// as loops over their components: elementwise chains are computed component by component inside
/// the loop of the reduction or output that consumes them, reductions over components (Sum,
/// Scalprod and so SqNorm2, SqDist, WeightedSqDist, MatVecMult, Min/Max/ArgMin/ArgMax) keep
/// several partial accumulators, and wide results are written by a loop. Small nodes stay
/// unrolled, as in <see cref="CpuEmitter.EmitValues"/>. Operations with no looped form (Concat,
/// tensor algebra, ...) fall back to one local per component: correct, and bounded by KEOPS0304.
/// </summary>
internal sealed class LoopedLowering
{
    private readonly IndentedWriter _w;
    private readonly LaneContext _lane;
    private readonly string _prefix;
    private readonly Func<Formula, LoopPlan.Kind?> _leafKind;
    private readonly Func<Formula, string, string> _leafLoad;
    private readonly Dictionary<Formula, LoopPlan.Kind> _kinds;
    private readonly Dictionary<Formula, string[]> _values = new();

    // One memo of computed components per open loop body: a local declared inside a loop is not
    // visible after it.
    private readonly List<Dictionary<(Formula Node, string Index), string>> _scopes = new() { new() };
    private int _next;

    /// <param name="leafKind">For nodes read rather than computed: <see cref="LoopPlan.Kind.Indexed"/> when any component can be loaded by a run-time index, <see cref="LoopPlan.Kind.Unrolled"/> when only by a constant one; null for computed nodes.</param>
    /// <param name="leafLoad">The load expression of a leaf's component at an index expression.</param>
    public LoopedLowering(IndentedWriter w, IEnumerable<Formula> roots, LaneContext lane, string prefix, Func<Formula, LoopPlan.Kind?> leafKind, Func<Formula, string, string> leafLoad)
    {
        _w = w;
        _lane = lane;
        _prefix = prefix;
        _leafKind = leafKind;
        _leafLoad = leafLoad;
        Formula[] all = roots.ToArray();
        _kinds = LoopPlan.Classify(all, leafKind);

        // Everything but indexed nodes is computed once, here, in the straight-line part of the
        // body: locals declared inside a loop would not be visible to later loops. Wide Concats
        // are assembled from their parts where used, so an output Concat costs nothing here.
        foreach (Formula node in CpuEmitter.PostOrder(all, n => leafKind(n) is not null))
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
    public static Dictionary<Formula, string[]> EmitWithLocalLeaves(IndentedWriter w, IEnumerable<Formula> roots, LaneContext lane, string prefix, Func<Formula, string[]?> leaf)
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

        var lowering = new LoopedLowering(w, all, lane, prefix, n => Loads(n) is null ? null : LoopPlan.Kind.Unrolled, (n, index) => Loads(n)![Literal(index)]);
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
            sink(Add(k, offset), value);
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

    private bool IsWideConcat(Formula node) => node.Op == Ops.Concat && LoopPlan.IsWide(node) && _leafKind(node) is null;

    private bool IsIndexed(Formula node) => node.Dim > 1 && _kinds[node] == LoopPlan.Kind.Indexed;

    /// <summary>Computes a non-indexed node in the straight-line part: one expression per component.</summary>
    private string[] Compute(Formula node)
    {
        if (_leafKind(node) is not null)
        {
            return Bind(Enumerable.Range(0, node.Dim).Select(c => _leafLoad(node, Int(c))).ToArray(), "x", always: true);
        }

        if (node.IsConstant)
        {
            return new[] { _lane.Constant(node.Value) };
        }

        IntArgs ints = IntArgs.Decode(node.Ints);
        string[]? looped = ComputeFromIndexed(node, ints);
        if (looped is not null)
        {
            return looped;
        }

        string[][] args = node.Args.Select(Components).ToArray();
        if (node.Op == Ops.Sum && args[0].Length > 1)
        {
            return new[] { Fold(args[0].Length, c => args[0][c], null) };
        }

        if (node.Op == Ops.Scalprod && args[0].Length > 1)
        {
            return new[] { Fold(args[0].Length, c => args[0][c], c => args[1][c]) };
        }

        string[] components = node.Op.Lower!(_lane, args, ints, node.Dim);
        Flush();
        return Bind(components, "t", always: false);
    }

    /// <summary>Folds one statement per component (no nesting): Σ a_c, or Σ a_c·b_c with FMAs.</summary>
    private string Fold(int count, Func<int, string> a, Func<int, string>? b)
    {
        string acc = Name("f");
        _w.Line($"var {acc} = {(b is null ? a(0) : $"({a(0)} * {b(0)})")};");
        for (int c = 1; c < count; c++)
        {
            _w.Line(b is null ? $"{acc} = ({acc} + {a(c)});" : $"{acc} = {LaneContext.Math("Fma", a(c), b(c), acc)};");
        }

        return acc;
    }

    /// <summary>The looped forms of small results of wide indexed arguments; null where there is none.</summary>
    private string[]? ComputeFromIndexed(Formula node, IntArgs ints)
    {
        Operation op = node.Op;
        Formula[] a = node.Args;
        if (op == Ops.Sum && IsIndexed(a[0]))
        {
            return Accumulate(a[0].Dim, 1, LoopPlan.Partials, (k, _, acc) => $"({acc} + {Component(a[0], k)})");
        }

        if (op == Ops.Scalprod && IsIndexed(a[0]) && IsIndexed(a[1]))
        {
            return Accumulate(a[0].Dim, 1, LoopPlan.Partials, (k, _, acc) => LaneContext.Math("Fma", Component(a[0], k), Component(a[1], k), acc));
        }

        if (op == Ops.MatVecMult && IsIndexed(a[0]) && IsIndexed(a[1]))
        {
            // One accumulator per output row, the shared dimension p in the loop.
            int p = a[1].Dim;
            return Accumulate(p, node.Dim, 1, (k, i, acc) => LaneContext.Math("Fma", Component(a[0], Add(Int(i * p), k)), Component(a[1], k), acc));
        }

        if (op == Ops.VecMatMult && IsIndexed(a[0]) && IsIndexed(a[1]))
        {
            int m = node.Dim;
            return Accumulate(a[0].Dim, m, 1, (k, c, acc) => LaneContext.Math("Fma", Component(a[0], k), Component(a[1], Add(Mul(k, m), c)), acc));
        }

        if ((op == Ops.Min || op == Ops.Max || op == Ops.ArgMin || op == Ops.ArgMax) && IsIndexed(a[0]))
        {
            return new[] { Best(a[0], max: op == Ops.Max || op == Ops.ArgMax, index: op == Ops.ArgMin || op == Ops.ArgMax) };
        }

        if (op == Ops.Elem && IsIndexed(a[0]))
        {
            return new[] { Component(a[0], Int(ints[0])) };
        }

        if (op == Ops.Extract && IsIndexed(a[0]))
        {
            return Enumerable.Range(0, node.Dim).Select(c => Component(a[0], Int(ints[0] + c))).ToArray();
        }

        return null;
    }

    /// <summary>
    /// A loop over <paramref name="count"/> components updating <paramref name="outputs"/>
    /// accumulators, each split into <paramref name="partials"/> partial sums (independent
    /// dependency chains), then summed pairwise. <paramref name="step"/> gives an accumulator's
    /// new value from a component index, an output number and the accumulator.
    /// </summary>
    private string[] Accumulate(int count, int outputs, int partials, Func<string, int, string, string> step)
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

            result[o] = Bind(new[] { terms[0] }, "t", always: false)[0];
        }

        return result;
    }

    /// <summary>Min/Max (or their index) of a wide vector: a running best, the first index kept on ties as in the unrolled form.</summary>
    private string Best(Formula f, bool max, bool index)
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
            string position = _lane.Broadcast($"(({_lane.ScalarType}){k})");
            _w.Line($"{at} = {LaneContext.Math("IfElse", keep, at, position)};");
        }

        _w.Line($"{best} = {LaneContext.Math("IfElse", keep, best, x)};");
        _scopes.RemoveAt(_scopes.Count - 1);
        _w.Close();
        return index ? at : best;
    }

    /// <summary>Component <paramref name="index"/> (a C# int expression) of a node, computed in the innermost open scope.</summary>
    private string Component(Formula node, string index)
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
        Operation op = node.Op;
        Formula[] a = node.Args;
        IntArgs ints = IntArgs.Decode(node.Ints);
        if (op.IsComponentwise)
        {
            string[][] args = a.Select(arg => new[] { Component(arg, index) }).ToArray();
            string value = op.Lower!(_lane, args, ints, 1)[0];
            Flush();
            return value;
        }

        if (op == Ops.SumT)
        {
            return Component(a[0], "0");
        }

        if (op == Ops.Zero)
        {
            return _lane.Constant(0);
        }

        if (op == Ops.ElemT)
        {
            string f = Component(a[0], "0");
            string zero = _lane.Constant(0);
            return IsLiteral(index, out int c) ? (c == ints[1] ? f : zero) : $"({index} == {Int(ints[1])} ? {f} : {zero})";
        }

        if (op == Ops.Extract)
        {
            return Component(a[0], Add(index, ints[0]));
        }

        if (op == Ops.OneHot)
        {
            // As Ops.OneHot's lowering, with k at run time: (int)(f + 0.5) == k, truncating toward
            // zero, so k ≤ f + 0.5 < k + 1, and -1 < f + 0.5 < 1 for k = 0.
            string shifted = Name("o");
            _w.Line($"var {shifted} = ({Component(a[0], "0")} + {_lane.Constant(0.5)});");
            string k = IsLiteral(index, out int c) ? _lane.Constant(c) : _lane.Broadcast($"(({_lane.ScalarType}){index})");
            string low = $"({index} == 0 ? {LaneContext.Math("LessThan", _lane.Constant(-1), shifted)} : {LaneContext.Math("LessOrEqual", k, shifted)})";
            return $"({low} * {LaneContext.Math("LessThan", shifted, $"({k} + {_lane.Constant(1)})")})";
        }

        if (op == Ops.TensorProd)
        {
            int inner = a[1].Dim;
            return $"({Component(a[0], Div(index, inner))} * {Component(a[1], Mod(index, inner))})";
        }

        if (op == Ops.MatVecMult)
        {
            int p = a[1].Dim;
            string row = Mul(index, p);
            return IsIndexed(a[1])
                ? Accumulate(p, 1, LoopPlan.Partials, (k, _, acc) => LaneContext.Math("Fma", Component(a[0], Add(row, k)), Component(a[1], k), acc))[0]
                : Chain(p, c => Component(a[0], Add(row, Int(c))), c => Components(a[1])[c]);
        }

        if (op == Ops.VecMatMult)
        {
            int m = node.Dim;
            int n = a[0].Dim;
            return IsIndexed(a[0])
                ? Accumulate(n, 1, LoopPlan.Partials, (k, _, acc) => LaneContext.Math("Fma", Component(a[0], k), Component(a[1], Add(Mul(k, m), index)), acc))[0]
                : Chain(n, i => Components(a[0])[i], i => Component(a[1], Add(Int(i * m), index)));
        }

        throw new InvalidOperationException($"internal: {op.Name} was planned as indexed but has no looped form");
    }

    /// <summary>Σ_c a(c)·b(c) as one FMA chain (for at most <see cref="LoopPlan.MaxUnrolledDim"/> terms).</summary>
    private static string Chain(int count, Func<int, string> a, Func<int, string> b)
    {
        string acc = $"({a(0)} * {b(0)})";
        for (int c = 1; c < count; c++)
        {
            acc = LaneContext.Math("Fma", a(c), b(c), acc);
        }

        return acc;
    }

    private void Flush()
    {
        foreach (string statement in _lane.Statements)
        {
            _w.Line(statement);
        }

        _lane.Statements.Clear();
    }

    private string[] Bind(string[] components, string letter, bool always)
    {
        string id = Name(letter);
        var bound = new string[components.Length];
        for (int c = 0; c < components.Length; c++)
        {
            if (!always && CpuEmitter.IsSimple(components[c]))
            {
                bound[c] = components[c];
                continue;
            }

            bound[c] = $"{id}_{Int(c)}";
            _w.Line($"var {bound[c]} = {components[c]};");
        }

        return bound;
    }

    private string Name(string letter) => _prefix + letter + Int(_next++);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsLiteral(string index, out int value) => int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static int Literal(string index)
        => IsLiteral(index, out int value) ? value : throw new InvalidOperationException($"internal: a component of an unrolled node was asked at run-time index {index}");

    private static string Add(string index, int offset)
        => offset == 0 ? index : IsLiteral(index, out int value) ? Int(value + offset) : $"({index} + {Int(offset)})";

    private static string Add(string left, string right)
        => IsLiteral(left, out int l) && IsLiteral(right, out int r) ? Int(l + r) : IsLiteral(left, out int z) && z == 0 ? right : $"({left} + {right})";

    private static string Mul(string index, int factor)
        => factor == 1 ? index : IsLiteral(index, out int value) ? Int(value * factor) : $"({index} * {Int(factor)})";

    private static string Div(string index, int divisor)
        => divisor == 1 ? index : IsLiteral(index, out int value) ? Int(value / divisor) : $"({index} / {Int(divisor)})";

    private static string Mod(string index, int divisor)
        => divisor == 1 ? "0" : IsLiteral(index, out int value) ? Int(value % divisor) : $"({index} % {Int(divisor)})";
}
