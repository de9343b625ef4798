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

    /// <summary>Asks the operation's looped form (<see cref="LoopedForm.Indexable"/>) with its arguments' kinds.</summary>
    private static bool IsIndexable(Formula node, Kind[] args)
        => node.Op.Looped.Indexable is { } indexable
           && indexable(new LoopedArguments(node, args.Select(k => k == Kind.Indexed).ToArray(), args.Select(k => k == Kind.Small).ToArray()));
}
