using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Formulas;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// Decides, node by node, whether a kernel's formula is lowered unrolled (one local per
/// component, the fastest form for small vectors) or looped over its components (generated
/// code O(formula size) instead of O(dimension)).
/// </summary>
/// <remarks>
/// The cost model: unrolled code costs the C# compiler and the JIT about dim × (body) of source
/// and IL per node, and past a few hundred locals the JIT falls back to MinOpts; a loop costs a
/// counter, a compare and a branch per component (a few percent against an FMA per component
/// once several partial sums keep the pipes busy) and gives up cross-component scheduling, which
/// only pays while the whole vector fits in the 32 vector registers. Hence a threshold on the
/// dimension: at most <see cref="MaxUnrolledDim"/> components stay unrolled.
/// </remarks>
internal static class LoopPlan
{
    /// <summary>Widest node kept unrolled: 16 components fit AVX-512's 32 registers with room for the formula's temporaries.</summary>
    public const int MaxUnrolledDim = 16;

    /// <summary>Partial sums a looped reduction keeps: four FMA chains cover the FMA latency of today's x64 cores.</summary>
    public const int Partials = 4;

    public static bool IsWide(Formula node) => node.Dim > MaxUnrolledDim;

    /// <summary>True when some node of the roots is wide: the kernel is then lowered through loops.</summary>
    public static bool NeedsLoops(IEnumerable<Formula> roots) => roots.Any(r => r.PostOrder().Any(IsWide));

    /// <summary>
    /// Operations whose folds over components the looped lowering writes as loops or as one
    /// statement per component, never as one nested expression: the C# compiler's limit on
    /// expression depth (KEOPS0305) does not apply to them. (MatVecMult and VecMatMult are loops
    /// too, but fall back to one FMA chain when an argument has no looped form.)
    /// </summary>
    public static bool FoldsWithoutNesting(Operation op)
        => op == Ops.Sum || op == Ops.Scalprod
           || op == Ops.Min || op == Ops.Max || op == Ops.ArgMin || op == Ops.ArgMax
           || op == Ops.SqNorm2 || op == Ops.Norm2 || op == Ops.Normalize || op == Ops.SqDist
           || op == Ops.SqNormIso || op == Ops.SqNormDiag || op == Ops.SymSqNorm
           || op == Ops.WeightedSqNorm || op == Ops.WeightedSqDist;

    /// <summary>How the looped lowering computes one node.</summary>
    public enum Kind
    {
        /// <summary>At most <see cref="MaxUnrolledDim"/> components: one local per component.</summary>
        Small,

        /// <summary>Wide and indexable: component k is computed where it is used, inside the consumer's loop.</summary>
        Indexed,

        /// <summary>Wide, but its operation has no looped form: one local per component (correct, O(dim) code).</summary>
        Unrolled,
    }

    /// <summary>
    /// Classifies every node below <paramref name="roots"/>, children first. <paramref name="leaf"/>
    /// tells which nodes are read rather than computed, and whether a wide leaf can be indexed by
    /// a run-time component index (variables in memory) or only by constants (values in locals).
    /// </summary>
    public static Dictionary<Formula, Kind> Classify(IEnumerable<Formula> roots, Func<Formula, Kind?> leaf)
    {
        var kinds = new Dictionary<Formula, Kind>();
        foreach (Formula root in roots)
        {
            Visit(root);
        }

        return kinds;

        Kind Visit(Formula node)
        {
            if (kinds.TryGetValue(node, out Kind known))
            {
                return known;
            }

            Kind? asLeaf = leaf(node);
            Kind kind;
            if (asLeaf is { } k)
            {
                kind = IsWide(node) ? k : Kind.Small;
            }
            else
            {
                Kind[] args = node.Args.Select(Visit).ToArray();
                kind = !IsWide(node) ? Kind.Small : IsIndexable(node, args) ? Kind.Indexed : Kind.Unrolled;
            }

            kinds[node] = kind;
            return kind;
        }
    }

    private static bool IsIndexable(Formula node, Kind[] args)
    {
        // A scalar argument is broadcast; a wide one must be indexable itself.
        bool Each() => node.Args.Select((a, i) => a.Dim == 1 || args[i] == Kind.Indexed).All(x => x);
        Operation op = node.Op;
        if (op.IsComponentwise || op == Ops.SumT || op == Ops.TensorProd)
        {
            return Each();
        }

        if (op == Ops.Zero || op == Ops.ElemT || op == Ops.OneHot)
        {
            return true;
        }

        if (op == Ops.Extract)
        {
            return args[0] == Kind.Indexed;
        }

        if (op == Ops.MatVecMult)
        {
            // A (n·p) is wide whenever the result is; b is read by constant index when small.
            return args[0] == Kind.Indexed && (args[1] == Kind.Indexed || args[1] == Kind.Small);
        }

        if (op == Ops.VecMatMult)
        {
            return args[1] == Kind.Indexed && (args[0] == Kind.Indexed || args[0] == Kind.Small);
        }

        return false;
    }
}
