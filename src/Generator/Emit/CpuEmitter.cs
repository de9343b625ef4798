using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Emits the CPU kernel struct of a <see cref="KernelPlan"/>: pointers to the caller's data, the
/// gathers the engine asks for, and the formula lowered once, generic over the runtime's lane
/// type (the engine runs it as scalar, Vector256 or Vector512 lanes). Identical sub-formulas are computed once (CSE by
/// structural equality), and sub-formulas that depend on one side only are computed once per
/// row at gather time instead of once per pair (see <see cref="Hoisting"/>).
/// </summary>
internal static class CpuEmitter
{
    /// <summary>The type parameter of <c>Evaluate</c>: the lane type.</summary>
    private const string Lane = "TLane";

    public static void EmitKernel(IndentedWriter w, KernelPlan plan, string t)
    {
        plan = plan with { Formula = NegateParameters(plan) };
        var hoisting = new Hoisting(plan);
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"private unsafe struct {plan.KernelName} : global::KeOpsGen.Cpu.ICpuKernel<{t}>");
        foreach (VariableModel v in plan.Outer.Concat(plan.Inner).Concat(plan.Parameters))
        {
            w.Line($"public {t}* {Field(v)};");
        }

        w.Line();
        w.Line($"public static int OuterDim => {plan.OuterDim + hoisting.Width(Side.Outer)};");
        w.Line($"public static int InnerDim => {plan.InnerDim + hoisting.Width(Side.Inner)};");
        w.Line($"public static int ParamDim => {plan.ParamDim + hoisting.Width(Side.Parameter)};");
        w.Line($"public static int FormulaDim => {plan.Formula.Dim};");
        w.Line($"public static int Axis => {plan.Axis.ToString(CultureInfo.InvariantCulture)};");
        w.Line();

        w.Open($"public void GatherOuter(int row, {t}* destination)");
        int offset = 0;
        foreach (VariableModel v in plan.Outer)
        {
            w.Line($"global::System.Buffer.MemoryCopy({Field(v)} + ((nint)row * {v.Dim}), destination + {offset}, {v.Dim} * sizeof({t}), {v.Dim} * sizeof({t}));");
            offset += v.Dim;
        }

        EmitPrecomputed(w, plan, hoisting, Side.Outer, t, "row", index => $"destination[{index}]");
        w.Close();
        w.Line();
        w.Open($"public void GatherInner(int start, int count, {t}* destination, nint stride)");
        if (plan.Inner.Count > 0 || hoisting.Width(Side.Inner) > 0)
        {
            w.Open("for (int r = 0; r < count; r++)");
            w.Line("nint row = (nint)start + r;");
            offset = 0;
            foreach (VariableModel v in plan.Inner)
            {
                w.Line($"{t}* {Field(v)}Row = {Field(v)} + (row * {v.Dim});");
                w.Open($"for (int k = 0; k < {v.Dim}; k++)");
                w.Line($"destination[((nint)({offset} + k) * stride) + r] = {Field(v)}Row[k];");
                w.Close();
                offset += v.Dim;
            }

            EmitPrecomputed(w, plan, hoisting, Side.Inner, t, "row", index => $"destination[((nint){index} * stride) + r]");
            w.Close();
        }

        w.Close();
        w.Line();
        w.Open($"public void GatherParams({t}* destination)");
        offset = 0;
        foreach (VariableModel v in plan.Parameters)
        {
            w.Line($"global::System.Buffer.MemoryCopy({Field(v)}, destination + {offset}, {v.Dim} * sizeof({t}), {v.Dim} * sizeof({t}));");
            offset += v.Dim;
        }

        EmitPrecomputed(w, plan, hoisting, Side.Parameter, t, "0", index => $"destination[{index}]");
        w.Close();

        w.Line();
        EmitEvaluate(w, plan, hoisting, new LaneContext(t, Lane));

        w.Close();
    }

    internal static string Field(VariableModel v) => "V" + v.Position.ToString(CultureInfo.InvariantCulture);

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
                ? SideOf(plan, node.VariablePosition) == Side.Parameter
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

    private sealed class ReferenceEqualityComparer : IEqualityComparer<Formula>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(Formula? x, Formula? y) => ReferenceEquals(x, y);

        public int GetHashCode(Formula obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>
    /// Computes the hoisted sub-formulas of one side, in scalar code reading the caller's data
    /// directly, and stores their components after the side's variables.
    /// </summary>
    private static void EmitPrecomputed(IndentedWriter w, KernelPlan plan, Hoisting hoisting, Side side, string t, string row, Func<string, string> destination)
    {
        List<Formula> nodes = hoisting.Nodes(side);
        if (nodes.Count == 0)
        {
            return;
        }

        var lane = new LaneContext(t, null);
        int baseOffset = side switch
        {
            Side.Outer => plan.OuterDim,
            Side.Inner => plan.InnerDim,
            _ => plan.ParamDim,
        };

        // Variables come straight from the caller's spans: the gathered copies of other sides
        // (parameters, when gathering rows) are not available here.
        if (LoopPlan.NeedsLoops(nodes))
        {
            var looped = new LoopedLowering(w, nodes, lane, "h", node => node.IsVariable ? LoopPlan.Kind.Indexed : null, (node, index) =>
            {
                VariableModel v = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
                // nint: rows × a wide dimension passes int.MaxValue from about 2 M rows at D = 1024.
                return v.Category != VariableCategory.Parameter ? $"{Field(v)}[((nint){row} * {v.Dim}) + {index}]" : $"{Field(v)}[{index}]";
            });
            foreach (Formula node in nodes)
            {
                int first = baseOffset + hoisting.Offset(node);
                looped.Write(node, index => destination(IsNumber(index) ? (first + int.Parse(index, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) : $"({first} + {index})"));
            }

            return;
        }

        Dictionary<Formula, string[]> values = EmitValues(w, nodes, lane, "h", node =>
        {
            if (!node.IsVariable)
            {
                return null;
            }

            VariableModel v = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
            bool isRowVariable = v.Category != VariableCategory.Parameter;
            return Enumerable.Range(0, node.Dim)
                .Select(c => isRowVariable ? $"{Field(v)}[({row} * {v.Dim}) + {c}]" : $"{Field(v)}[{c}]")
                .ToArray();
        });
        foreach (Formula node in nodes)
        {
            int slot = baseOffset + hoisting.Offset(node);
            string[] components = values[node];
            for (int c = 0; c < components.Length; c++)
            {
                w.Line($"{destination((slot + c).ToString(CultureInfo.InvariantCulture))} = {components[c]};");
            }
        }
    }

    private static void EmitEvaluate(IndentedWriter w, KernelPlan plan, Hoisting hoisting, LaneContext lane)
    {
        string t = lane.ScalarType;
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        // One body for every width: the engine picks the lane type (scalar, Vector256, Vector512)
        // and the JIT specializes this method for it.
        w.Line($"public static void Evaluate<{Lane}>(ref {t} parameters, ref {t} outer, ref {t} inner, nint stride, ref {Lane} result)");
        w.Open($"    where {Lane} : struct, global::KeOpsGen.Cpu.ILane<{Lane}, {t}>");
        if (LoopPlan.NeedsLoops(new[] { plan.Formula }))
        {
            // Wide vectors: loops over components, reading the gathered row and tile in place.
            var looped = new LoopedLowering(w, new[] { plan.Formula }, lane, string.Empty, node => hoisting.TryGetSlot(node, out _, out _) || node.IsVariable ? LoopPlan.Kind.Indexed : null, (node, index) =>
            {
                if (hoisting.TryGetSlot(node, out Side hoistedSide, out int slot))
                {
                    int baseOffset = hoistedSide switch
                    {
                        Side.Outer => plan.OuterDim,
                        Side.Inner => plan.InnerDim,
                        _ => plan.ParamDim,
                    };
                    return LoadAt(lane, hoistedSide, baseOffset + slot, index);
                }

                return LoadAt(lane, SideOf(plan, node.VariablePosition), plan.OffsetOf(node.VariablePosition), index);
            });
            looped.Write(plan.Formula, index => index == "0" ? "result" : $"global::System.Runtime.CompilerServices.Unsafe.Add(ref result, {index})");
            w.Close();
            return;
        }

        Dictionary<Formula, string[]> values = EmitValues(w, new[] { plan.Formula }, lane, string.Empty, node =>
        {
            if (hoisting.TryGetSlot(node, out Side side, out int slot))
            {
                int baseOffset = side switch
                {
                    Side.Outer => plan.OuterDim,
                    Side.Inner => plan.InnerDim,
                    _ => plan.ParamDim,
                };
                return Enumerable.Range(0, node.Dim).Select(c => Load(lane, side, baseOffset + slot + c)).ToArray();
            }

            if (!node.IsVariable)
            {
                return null;
            }

            Side variableSide = SideOf(plan, node.VariablePosition);
            int offset = plan.OffsetOf(node.VariablePosition);
            return Enumerable.Range(0, node.Dim).Select(c => Load(lane, variableSide, offset + c)).ToArray();
        });

        string[] final = values[plan.Formula];
        for (int c = 0; c < final.Length; c++)
        {
            w.Line(c == 0
                ? $"result = {final[c]};"
                : $"global::System.Runtime.CompilerServices.Unsafe.Add(ref result, {c}) = {final[c]};");
        }

        w.Close();
    }

    /// <summary>
    /// Writes locals for the values of <paramref name="roots"/>: children before parents, each
    /// distinct node once. <paramref name="leaf"/> supplies the load expressions of the nodes
    /// that are read rather than computed (variables, precomputed sub-formulas); the walk does
    /// not descend below them.
    /// </summary>
    internal static Dictionary<Formula, string[]> EmitValues(IndentedWriter w, IEnumerable<Formula> roots, LaneContext lane, string prefix, Func<Formula, string[]?> leaf)
    {
        if (LoopPlan.NeedsLoops(roots))
        {
            return LoopedLowering.EmitWithLocalLeaves(w, roots, lane, prefix, leaf);
        }

        var names = new Dictionary<Formula, string[]>();
        int next = 0;
        foreach (Formula node in PostOrder(roots, n => leaf(n) is not null))
        {
            string[]? loads = leaf(node);
            string[] components;
            if (loads is not null)
            {
                components = loads;
                for (int c = 0; c < components.Length; c++)
                {
                    string local = $"{prefix}x{next}_{c}";
                    w.Line($"var {local} = {components[c]};");
                    components[c] = local;
                }

                next++;
            }
            else if (node.IsConstant)
            {
                components = new[] { lane.Constant(node.Value) };
            }
            else
            {
                string[][] args = node.Args.Select(a => names[a]).ToArray();
                components = node.Op.Lower!(lane, args, IntArgs.Decode(node.Ints), node.Dim);
                foreach (string statement in lane.Statements)
                {
                    w.Line(statement);
                }

                lane.Statements.Clear();
                int id = next++;
                for (int c = 0; c < components.Length; c++)
                {
                    if (IsSimple(components[c]))
                    {
                        continue;
                    }

                    string local = $"{prefix}t{id}_{c}";
                    w.Line($"var {local} = {components[c]};");
                    components[c] = local;
                }
            }

            names[node] = components;
        }

        return names;
    }

    /// <summary>Distinct nodes, children first, not descending below <paramref name="stop"/> nodes.</summary>
    internal static List<Formula> PostOrder(IEnumerable<Formula> roots, Func<Formula, bool> stop)
    {
        var seen = new HashSet<Formula>();
        var order = new List<Formula>();
        var stack = new Stack<(Formula Node, int Next)>();
        foreach (Formula root in roots)
        {
            if (!seen.Add(root))
            {
                continue;
            }

            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, nextChild) = stack.Pop();
                if (!stop(node) && nextChild < node.Args.Length)
                {
                    stack.Push((node, nextChild + 1));
                    Formula child = node.Args[nextChild];
                    if (seen.Add(child))
                    {
                        stack.Push((child, 0));
                    }
                }
                else
                {
                    order.Add(node);
                }
            }
        }

        return order;
    }

    internal static bool IsSimple(string expression)
        => expression.All(ch => char.IsLetterOrDigit(ch) || ch == '_')
           || (expression.StartsWith(Lane + ".Create(", StringComparison.Ordinal) && expression.IndexOf('(') == expression.LastIndexOf('('));

    internal static Side SideOf(KernelPlan plan, int position)
        => plan.Outer.Any(v => v.Position == position) ? Side.Outer
            : plan.Inner.Any(v => v.Position == position) ? Side.Inner
            : Side.Parameter;

    /// <summary>The load of component <paramref name="index"/> (a C# int expression) past <paramref name="offset"/> of one side's gathered data.</summary>
    private static string LoadAt(LaneContext lane, Side side, int offset, string index)
    {
        if (IsNumber(index))
        {
            return Load(lane, side, offset + int.Parse(index, CultureInfo.InvariantCulture));
        }

        string at = offset == 0 ? index : $"({offset.ToString(CultureInfo.InvariantCulture)} + {index})";
        return side == Side.Inner
            ? $"{lane.LaneType}.Load(in inner, (nint){at} * stride)"
            : $"{lane.LaneType}.Broadcast(in {(side == Side.Outer ? "outer" : "parameters")}, {at})";
    }

    private static bool IsNumber(string index) => index.Length > 0 && index.All(char.IsDigit);

    // Inner values are consecutive rows of one component (a vector load of TLane.Count values);
    // outer values and parameters are one value for every lane.
    private static string Load(LaneContext lane, Side side, int index)
        => side == Side.Inner
            ? (index == 0 ? $"{lane.LaneType}.Load(in inner)" : $"{lane.LaneType}.Load(in inner, {index} * stride)")
            : $"{lane.LaneType}.Broadcast(in {(side == Side.Outer ? "outer" : "parameters")}, {index})";

    internal enum Side
    {
        Outer,
        Inner,
        Parameter,
    }

    /// <summary>
    /// Which sub-formulas are worth computing once per row at gather time instead of once per
    /// (outer, inner) pair: the largest ones that depend on one side only (plus parameters), or
    /// on parameters only, and whose arithmetic costs more than reloading their components.
    /// KeOps evaluates everything per pair; for <c>Square(p-a_j)*Exp(x_i+y_j)</c> this takes
    /// <c>Square(p-a_j)</c> out of the N·M loop, for <c>Sin(X_i)*Cos(Y_j)</c> both factors.
    /// </summary>
    internal sealed class Hoisting
    {
        [Flags]
        private enum Dependence
        {
            None = 0,
            Outer = 1,
            Inner = 2,
            Parameter = 4,
        }

        private readonly Dictionary<Formula, (Side Side, int Offset)> _slots = new();
        private readonly Dictionary<Side, List<Formula>> _nodes = new()
        {
            [Side.Outer] = new List<Formula>(),
            [Side.Inner] = new List<Formula>(),
            [Side.Parameter] = new List<Formula>(),
        };

        private readonly Dictionary<Side, int> _widths = new() { [Side.Outer] = 0, [Side.Inner] = 0, [Side.Parameter] = 0 };

        public Hoisting(KernelPlan plan, bool enabled = true)
        {
            if (!enabled)
            {
                return;
            }

            var dependence = new Dictionary<Formula, Dependence>();
            var cost = new Dictionary<Formula, int>();
            foreach (Formula node in plan.Formula.PostOrder())
            {
                Dependence d = Dependence.None;
                if (node.IsVariable)
                {
                    d = SideOf(plan, node.VariablePosition) switch
                    {
                        Side.Outer => Dependence.Outer,
                        Side.Inner => Dependence.Inner,
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

            var visited = new HashSet<Formula>();
            var pending = new Stack<Formula>();
            pending.Push(plan.Formula);
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
                    Side side = (d & Dependence.Outer) != 0 ? Side.Outer : (d & Dependence.Inner) != 0 ? Side.Inner : Side.Parameter;
                    _slots[node] = (side, _widths[side]);
                    _nodes[side].Add(node);
                    _widths[side] += node.Dim;
                    continue;
                }

                foreach (Formula arg in node.Args)
                {
                    pending.Push(arg);
                }
            }
        }

        public int Width(Side side) => _widths[side];

        public List<Formula> Nodes(Side side) => _nodes[side];

        public int Offset(Formula node) => _slots[node].Offset;

        public bool TryGetSlot(Formula node, out Side side, out int offset)
        {
            if (_slots.TryGetValue(node, out var slot))
            {
                (side, offset) = slot;
                return true;
            }

            side = default;
            offset = 0;
            return false;
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
    }
}
