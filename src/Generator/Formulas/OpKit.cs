namespace KeOpsGen.Generator.Formulas;

/// <summary>Shared machinery behind operation definitions: broadcasting, per-component lowering, chain rule.</summary>
internal static class OpKit
{
    public static readonly IntArgs NoInts = new(Array.Empty<int[]>());

    // Signatures shared by many operations. They live here, not in the partial Ops class, because
    // static initializers of a partial class run in file order: Ops fields must not read each other.
    public static readonly ParamKind[] F1 = { ParamKind.Formula };
    public static readonly ParamKind[] F2 = { ParamKind.Formula, ParamKind.Formula };
    public static readonly ParamKind[] F3 = { ParamKind.Formula, ParamKind.Formula, ParamKind.Formula };
    public static readonly ParamKind[] FInt = { ParamKind.Formula, ParamKind.Int };
    public static readonly ParamKind[] FIntInt = { ParamKind.Formula, ParamKind.Int, ParamKind.Int };

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The local derivative of a piecewise-constant operation: zero for every argument.</summary>
    public static Formula?[] PiecewiseConstant(Formula[] args, Formula self, Formula gradient, IntArgs ints) => new Formula?[args.Length];

    /// <summary>
    /// KeOps's rule for vectorized scalar operations: all dimensions equal, or a mix of 1 and one D.
    /// </summary>
    public static DimResult Broadcast(string name, int[] dims)
    {
        int d = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 1)
            {
                continue;
            }

            if (d == 1)
            {
                d = dims[i];
            }
            else if (dims[i] != d)
            {
                return DimResult.Fail(
                    $"{name} cannot combine dimensions {string.Join(" and ", dims)}: arguments must have equal dimensions or dimension 1",
                    i);
            }
        }

        return DimResult.Ok(d);
    }

    /// <summary>Folds a contribution back to its argument's dimension (sum over broadcast copies).</summary>
    public static Formula? Unbroadcast(Formula? contribution, int argumentDim)
    {
        if (contribution is null)
        {
            return null;
        }

        return contribution.Dim != argumentDim && argumentDim == 1 ? F.Sum(contribution) : contribution;
    }

    /// <summary>The smart constructor of an elementwise operation with no rewrites of its own: folded when every argument is a constant.</summary>
    public static Formula FoldConstants(Operation op, Formula[] args, IntArgs ints)
    {
        bool allConstant = true;
        foreach (Formula a in args)
        {
            allConstant &= a.IsConstant;
        }

        if (allConstant && op.Evaluate is not null && args.Length > 0)
        {
            double[][] values = new double[args.Length][];
            for (int i = 0; i < args.Length; i++)
            {
                values[i] = new[] { args[i].Value };
            }

            return F.Const(op.Evaluate(values, ints, 1)[0]);
        }

        return op.Node(args, ints);
    }

    /// <summary>
    /// The smart constructor of an operation whose only rewrite is zeros: the zero vector of the
    /// result's dimension when every argument is zero (any argument, for a product:
    /// <paramref name="zeroIfAnyZero"/>), the plain node otherwise.
    /// </summary>
    public static Formula ZeroOrNode(Operation op, Formula[] args, IntArgs ints, bool zeroIfAnyZero = false)
    {
        bool zero = zeroIfAnyZero ? args.Any(a => a.IsZero) : args.All(a => a.IsZero);
        return zero ? F.Zero(op.Dim(args.Select(a => a.Dim).ToArray(), ints).Dim) : op.Node(args, ints);
    }

    /// <summary>Component k of each result from component k of each argument (a scalar argument broadcast).</summary>
    private static T[] PerComponent<T>(T[][] args, int dim, Func<T[], T> component)
    {
        var result = new T[dim];
        var scalarArgs = new T[args.Length];
        for (int k = 0; k < dim; k++)
        {
            for (int a = 0; a < args.Length; a++)
            {
                scalarArgs[a] = args[a].Length == 1 ? args[a][0] : args[a][k];
            }

            result[k] = component(scalarArgs);
        }

        return result;
    }

    /// <summary>The operation an elementwise entry describes: broadcasting, per-component lowering and reference, chain rule.</summary>
    public static Operation Elementwise(ElementwiseOp spec)
    {
        string name = spec.Name;
        var parameters = Enumerable.Repeat(ParamKind.Formula, spec.Arity).Concat(Enumerable.Repeat(ParamKind.Int, spec.IntParameters)).ToArray();
        int intCount = spec.IntParameters;
        // Without a Lower of its own an infix entry is the C# operator of its symbol, and any other
        // the runtime function of its name: a Math/MathF function the lanes provide is called on
        // them directly, any other is KMath's.
        string? infix = spec.Infix;
        Func<string[], IntArgs, string>? own = spec.Lower
            ?? (infix is null ? null : spec.Arity == 1 ? (a, _) => $"({infix}{a[0]})" : (a, _) => $"({a[0]} {infix} {a[1]})");
        Func<LaneContext, string[], IntArgs, string> lower = own is not null
            ? (_, a, ints) => own(a, ints)
            : LaneContext.IsPrimitive(name)
                ? (lane, a, _) => lane.Primitive(name, a)
                : (_, a, ints) => LaneContext.Math(name, a.Concat(Enumerable.Range(0, intCount).Select(i => Int(ints[i]))).ToArray());
        Func<double[], IntArgs, double> reference = spec.Reference;
        ElementwiseVjp vjp = spec.Vjp;
        Operation op = null!;
        op = new Operation
        {
            Name = name,
            Group = spec.Group,
            Parameters = parameters,
            Signature = spec.Signature ?? $"{name}({string.Join(",", "fgh".Take(spec.Arity))})",
            Summary = spec.Summary,
            DimensionRule = spec.DimensionRule,
            Description = spec.Description,
            Dim = (dims, _) => Broadcast(name, dims),
            Lower = (lane, args, ints, dim) => PerComponent(args, dim, a => lower(lane, a, ints)),
            Evaluate = (args, ints, dim) => PerComponent(args, dim, a => reference(a, ints)),
            Vjp = (node, g) =>
            {
                IntArgs ints = IntArgs.Decode(node.Ints);
                Formula?[] local = vjp(node.Args, node, g, ints);
                for (int a = 0; a < local.Length; a++)
                {
                    local[a] = Unbroadcast(local[a], node.Args[a].Dim);
                }

                return local;
            },
            Simplify = spec.Simplify ?? ((args, ints) => FoldConstants(op, args, ints)),
            Infix = spec.Infix,
            Precedence = spec.Precedence,
            Looped = LoopedForm.Componentwise,
            Linearity = spec.Linearity,
            KeepsScalarMultiples = spec.KeepsScalarMultiples,
            Tests = spec.Tests,
        };
        return op;
    }
}
