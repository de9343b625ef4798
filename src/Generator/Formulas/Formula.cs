namespace KeOpsGen.Generator.Formulas;

/// <summary>Category of a variable, as in KeOps: i-indexed, j-indexed or a parameter.</summary>
internal enum VariableCategory
{
    I = 0,
    J = 1,
    Parameter = 2,
}

/// <summary>
/// A node of the typed formula IR: an operation from the table, its formula arguments, its integer
/// arguments and its compile-time dimension. Immutable with structural equality, so identical
/// sub-formulas are recognized (CSE) and models that hold formulas stay cacheable. Build nodes
/// only through <see cref="F"/>, whose constructors simplify.
/// </summary>
internal sealed class Formula : IEquatable<Formula>
{
    private static readonly Formula[] NoArgs = Array.Empty<Formula>();
    private readonly int _hash;

    internal Formula(Operation op, Formula[]? args, int[]? ints, int dim, double value = 0, string? name = null)
    {
        Op = op;
        Args = args ?? NoArgs;
        Ints = ints ?? Array.Empty<int>();
        Dim = dim;
        Value = value;
        Name = name;
        int hash = (op.Name.GetHashCode() * 397) ^ dim;
        hash = (hash * 31) ^ value.GetHashCode();
        foreach (int i in Ints)
        {
            hash = (hash * 31) ^ i;
        }

        foreach (Formula a in Args)
        {
            hash = (hash * 31) ^ a._hash;
        }

        _hash = hash;
        // Saturates: repeated differentiation shares sub-trees, so the tree size can pass int.MaxValue.
        long size = 1;
        foreach (Formula a in Args)
        {
            size += a.Size;
        }

        Size = size > int.MaxValue ? int.MaxValue : (int)size;
    }

    public Operation Op { get; }

    public Formula[] Args { get; }

    public int[] Ints { get; }

    public int Dim { get; }

    /// <summary>The value of a constant node.</summary>
    public double Value { get; }

    /// <summary>The declared name of a variable node (printing only).</summary>
    public string? Name { get; }

    /// <summary>Number of nodes in the tree (shared sub-trees counted each time).</summary>
    public int Size { get; }

    public bool IsConstant => ReferenceEquals(Op, Ops.Constant);

    public bool IsZero => ReferenceEquals(Op, Ops.Zero) || (IsConstant && Value == 0);

    public bool IsOne => IsConstant && Value == 1;

    public bool IsVariable => ReferenceEquals(Op, Ops.Var);

    public int VariablePosition => Ints[1];

    public int VariableDim => Ints[3];

    public VariableCategory VariableCategory => (VariableCategory)Ints[5];

    public bool Equals(Formula? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || !SameNode(other))
        {
            return false;
        }

        if (Size < SharedComparisonThreshold)
        {
            for (int i = 0; i < Args.Length; i++)
            {
                if (!Args[i].Equals(other.Args[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return SameDag(this, other);
    }

    /// <summary>
    /// Above this many tree nodes, comparisons remember the pairs already visited: derivatives
    /// share sub-formulas heavily, and a plain recursive comparison of two equal DAGs would walk
    /// every path, exponentially many for nested Grad.
    /// </summary>
    private const int SharedComparisonThreshold = 256;

    private bool SameNode(Formula other)
        => other._hash == _hash && ReferenceEquals(other.Op, Op) && other.Dim == Dim && other.Value.Equals(Value)
           && other.Args.Length == Args.Length && other.Ints.SequenceEqual(Ints);

    private static bool SameDag(Formula a, Formula b)
    {
        var visited = new HashSet<(Formula, Formula)>(PairByReference.Instance);
        var pending = new Stack<(Formula, Formula)>();
        pending.Push((a, b));
        while (pending.Count > 0)
        {
            (Formula x, Formula y) = pending.Pop();
            if (ReferenceEquals(x, y) || !visited.Add((x, y)))
            {
                continue;
            }

            if (!x.SameNode(y))
            {
                return false;
            }

            for (int i = 0; i < x.Args.Length; i++)
            {
                pending.Push((x.Args[i], y.Args[i]));
            }
        }

        return true;
    }

    private sealed class PairByReference : IEqualityComparer<(Formula, Formula)>
    {
        public static readonly PairByReference Instance = new();

        public bool Equals((Formula, Formula) x, (Formula, Formula) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Formula, Formula) pair)
            => (System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item1) * 397) ^ System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item2);
    }

    public override bool Equals(object? obj) => obj is Formula f && Equals(f);

    public override int GetHashCode() => _hash;

    /// <summary>KeOps-syntax text of the formula (parsable again).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Print(builder, 0);
        return builder.ToString();
    }

    internal void Print(StringBuilder builder, int parentPrecedence) => Op.Print(this, builder, parentPrecedence);

    internal static string FormatNumber(double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Visits every distinct node once, children before parents.</summary>
    public IEnumerable<Formula> PostOrder() => PostOrder(new[] { this }, null);

    /// <summary>
    /// Distinct nodes of <paramref name="roots"/>, children first, not descending below the nodes
    /// <paramref name="stop"/> accepts (the lowering's leaves); null descends everywhere.
    /// </summary>
    internal static List<Formula> PostOrder(IEnumerable<Formula> roots, Func<Formula, bool>? stop)
    {
        var seen = new HashSet<Formula>();
        var order = new List<Formula>();

        // Iterative to survive deep formulas produced by repeated differentiation.
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
                var (node, next) = stack.Pop();
                if ((stop is null || !stop(node)) && next < node.Args.Length)
                {
                    stack.Push((node, next + 1));
                    Formula child = node.Args[next];
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
}
