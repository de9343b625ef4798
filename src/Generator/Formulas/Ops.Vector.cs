namespace KeOpsGen.Generator.Formulas;

/// <summary>Operations that mix components: in-formula reductions, norms, indexing, small tensor algebra.</summary>
internal static partial class Ops
{

    public static readonly Operation Sum = new Operation
    {
        Name = "Sum", Group = OpGroup.Vector, Parameters = OpKit.F1,
        Signature = "Sum(f)", Summary = "sum of the components of f",
        Dim = DimRules.Scalar,
        DimensionRule = "1",
        Simplify = (args, _) =>
        {
            Formula a = args[0];

            // The sum of a scalar is the scalar.
            if (WholeOrZero(a, start: 0, dim: 1) is Formula folded)
            {
                return folded;
            }

            if (a.Op == Ops.SumT)
            {
                return F.Mult(F.Const(a.Dim), a.Args[0]);
            }

            if (a.Op == Ops.Mult)
            {
                Formula x = a.Args[0];
                Formula y = a.Args[1];
                if (x.Dim == 1)
                {
                    return F.Mult(x, F.Sum(y));
                }

                if (y.Dim == 1)
                {
                    return F.Mult(y, F.Sum(x));
                }

                return F.Scalprod(x, y);
            }

            if (a.Op == Ops.Minus)
            {
                return F.Minus(F.Sum(a.Args[0]));
            }

            return Ops.Sum!.Node(new[] { a }, OpKit.NoInts);
        },
        Lower = (lane, args, _, _) => new[] { "(" + string.Join(" + ", args[0]) + ")" },
        Evaluate = (args, _, _) => new[] { args[0].Sum() },
        Vjp = (node, g) => new Formula?[] { F.Broadcast(g, node.Args[0].Dim) },
        Looped = new()
        {
            FoldsWithoutNesting = true,
            FromLooped = (w, node, _) => !w.IsIndexed(node.Args[0]) ? null
                : w.Accumulate(node.Args[0].Dim, 1, w.Partials, (k, _, acc) => $"({acc} + {w.Component(node.Args[0], k)})"),
            FromLocals = (w, args) => args[0].Length > 1 ? new[] { w.Fold(args[0].Length, c => args[0][c], null) } : null,
        },
        Linearity = LinearRole.Map,
    };

    public static readonly Operation SumT = new Operation
    {
        Name = "SumT", Group = OpGroup.Vector, Parameters = OpKit.FInt,
        Signature = "SumT(f,D)", Summary = "the scalar f repeated D times (adjoint of Sum)",
        Dim = DimRules.ScalarToDimension("SumT"),
        DimensionRule = "f scalar → D",
        Simplify = (args, ints) => WholeOrZero(args[0], start: 0, dim: ints[0]) ?? Ops.SumT!.Node(args, ints),
        Lower = (lane, args, _, dim) => Enumerable.Repeat(args[0][0], dim).ToArray(),
        Evaluate = (args, _, dim) => Enumerable.Repeat(args[0][0], dim).ToArray(),
        Vjp = (node, g) => new Formula?[] { F.Sum(g) },
        Looped = new()
        {
            Indexable = a => a.EachIndexed,
            Component = (w, node, _, _) => w.Component(node.Args[0], "0"),
        },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new() { Ints = new[] { new[] { 4 } }, Dims = new[] { new[] { 1 } } },
    };

    public static readonly Operation Max = BestComponent(name: "Max", summary: "largest component of f", max: true, index: false);

    public static readonly Operation Min = BestComponent(name: "Min", summary: "smallest component of f", max: false, index: false);

    public static readonly Operation ArgMax = BestComponent(name: "ArgMax", summary: "index of the largest component (first on ties)", max: true, index: true);

    public static readonly Operation ArgMin = BestComponent(name: "ArgMin", summary: "index of the smallest component (first on ties)", max: false, index: true);

    /// <summary>
    /// Max, Min, ArgMax and ArgMin over the components of f: the largest (<paramref name="max"/>)
    /// or smallest component, or its <paramref name="index"/> (the first on ties). The value's
    /// derivative flows to the selected component (a one-hot of the matching Arg operation, read
    /// when differentiating); an index is piecewise constant.
    /// </summary>
    private static Operation BestComponent(string name, string summary, bool max, bool index)
    {
        Func<double, double, bool> better = max ? (x, best) => x > best : (x, best) => x < best;
        return new Operation
        {
            Name = name, Group = OpGroup.Vector, Parameters = OpKit.F1,
            Signature = $"{name}(f)", Summary = summary,
            Dim = DimRules.Scalar,
            DimensionRule = "1",
            Lower = (lane, args, _, _) => new[]
            {
                index ? LowerArgBest(lane, args[0], max)
                    : Fold(args[0], (m, x) => lane.Let(LaneContext.Math("IfElse", max ? $"({m} - {x})" : $"({x} - {m})", m, x))),
            },
            Evaluate = (args, _, _) => new double[] { index ? ArgBest(args[0], better) : args[0][ArgBest(args[0], better)] },
            Vjp = (node, g) => new Formula?[] { index ? null : F.Mult(OneHotOf(max ? Ops.ArgMax! : Ops.ArgMin!, node.Args[0]), g) },
            Looped = BestOfComponents(max, index),
        };
    }

    public static readonly Operation Scalprod = new Operation
    {
        Name = "Scalprod", Group = OpGroup.Vector, Parameters = OpKit.F2,
        Signature = "Scalprod(f,g)  or  (f|g)", Summary = "dot product of f and g (equal dimensions)",
        Dim = DimRules.SameDimension("Scalprod", 1, "g", like: 0, "f", then: DimRules.Scalar),
        DimensionRule = "d(f) = d(g) → 1",
        Simplify = (args, _) =>
        {
            Formula a = args[0], b = args[1];

            if (a.IsZero || b.IsZero)
            {
                return F.Zero(1);
            }

            if (a.Dim == 1 && b.Dim == 1)
            {
                return F.Mult(a, b);
            }

            if (a.Op == Ops.SumT)
            {
                return F.Mult(a.Args[0], F.Sum(b));
            }

            if (b.Op == Ops.SumT)
            {
                return F.Mult(b.Args[0], F.Sum(a));
            }

            if (a.Equals(b))
            {
                return Ops.Scalprod!.Node(new[] { a, a }, OpKit.NoInts);
            }

            return Ops.Scalprod!.Node(new[] { a, b }, OpKit.NoInts);
        },
        Lower = (lane, args, _, _) => new[] { Dot(args[0], args[1], 0, 1, 0, 1, args[0].Length) },
        Evaluate = (args, _, _) => new[] { args[0].Zip(args[1], (x, y) => x * y).Sum() },
        Vjp = (node, g) => new Formula?[] { F.Mult(g, node.Args[1]), F.Mult(g, node.Args[0]) },
        Infix = "|", Precedence = 5,
        Looped = new()
        {
            FoldsWithoutNesting = true,
            FromLooped = (w, node, _) => !w.IsIndexed(node.Args[0]) || !w.IsIndexed(node.Args[1]) ? null
                : w.Accumulate(node.Args[0].Dim, 1, w.Partials, (k, _, acc) => LaneContext.Math("Fma", w.Component(node.Args[0], k), w.Component(node.Args[1], k), acc)),
            FromLocals = (w, args) => args[0].Length > 1 ? new[] { w.Fold(args[0].Length, c => args[0][c], c => args[1][c]) } : null,
        },
        Linearity = LinearRole.Bilinear,
    };

    public static readonly Operation Elem = new Operation
    {
        Name = "Elem", Group = OpGroup.Indexing, Parameters = OpKit.FInt,
        Signature = "Elem(f,m)", Summary = "component m of f (from 0)",
        Dim = (dims, ints) => DimRules.Placement("Elem", ints[0], 1, dims[0], "a formula of dimension", argument: 1, dim: 1),
        DimensionRule = "0 ≤ m < d(f) → 1",
        Simplify = (args, ints) => WholeOrZero(args[0], start: ints[0], dim: 1)
            ?? (args[0].Op == Ops.SumT ? args[0].Args[0] : Ops.Elem!.Node(args, ints)),
        Lower = (lane, args, ints, _) => new[] { args[0][ints[0]] },
        Evaluate = (args, ints, _) => new[] { args[0][ints[0]] },
        Vjp = (node, g) => new Formula?[] { F.ElemT(g, node.Args[0].Dim, IntArgs.Decode(node.Ints)[0]) },
        Looped = new()
        {
            FromLooped = (w, node, ints) => w.IsIndexed(node.Args[0]) ? new[] { w.Component(node.Args[0], IndexText.Int(ints[0])) } : null,
        },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new() { Ints = new[] { new[] { 1 } } },
    };

    public static readonly Operation ElemT = new Operation
    {
        Name = "ElemT", Group = OpGroup.Indexing, Parameters = OpKit.FIntInt,
        Signature = "ElemT(f,n,m)", Summary = "vector of dimension n, zero but for f at m",
        Dim = DimRules.ScalarArgument("ElemT", 0, "f", then: (_, ints) => DimRules.Placement("ElemT", ints[1], 1, ints[0], "dimension", argument: 2, dim: ints[0])),
        DimensionRule = "f scalar, 0 ≤ m < n → n",
        Simplify = (args, ints) => WholeOrZero(args[0], start: ints[1], dim: ints[0]) ?? Ops.ElemT!.Node(args, ints),
        Lower = (lane, args, ints, dim) => PlacedAt(args[0], ints[1], dim, lane.Constant(0)),
        Evaluate = (args, ints, dim) => PlacedAt(args[0], ints[1], dim, 0.0),
        Vjp = (node, g) => new Formula?[] { F.Elem(g, IntArgs.Decode(node.Ints)[1]) },
        Looped = new()
        {
            Indexable = _ => true,
            Component = (w, node, ints, index) =>
            {
                string f = w.Component(node.Args[0], "0");
                string zero = w.Lane.Constant(0);
                return IndexText.IsLiteral(index, out int c) ? (c == ints[1] ? f : zero) : $"({index} == {IndexText.Int(ints[1])} ? {f} : {zero})";
            },
        },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new() { Ints = new[] { new[] { 4 }, new[] { 1 } }, Dims = new[] { new[] { 1 } } },
    };

    public static readonly Operation Extract = new Operation
    {
        Name = "Extract", Group = OpGroup.Indexing, Parameters = OpKit.FIntInt,
        Signature = "Extract(f,start,len)", Summary = "components start to start+len−1 of f",
        Dim = DimRules.AtLeastOne("Extract", 1, "len", argument: 2,
            then: (dims, ints) => DimRules.Placement("Extract", ints[0], ints[1], dims[0], "a formula of dimension", argument: 1, dim: ints[1])),
        DimensionRule = "start+len ≤ d(f) → len",
        Simplify = (args, ints) => WholeOrZero(args[0], start: ints[0], dim: ints[1])
            ?? (ints[1] == 1 ? F.Elem(args[0], ints[0]) : Ops.Extract!.Node(args, ints)),
        Lower = (lane, args, ints, _) => args[0].Skip(ints[0]).Take(ints[1]).ToArray(),
        Evaluate = (args, ints, _) => args[0].Skip(ints[0]).Take(ints[1]).ToArray(),
        Vjp = (node, g) => new Formula?[] { F.ExtractT(g, IntArgs.Decode(node.Ints)[0], node.Args[0].Dim) },
        Looped = new()
        {
            Indexable = a => a.Indexed(0),
            Component = (w, node, ints, index) => w.Component(node.Args[0], IndexText.Add(index, ints[0])),
            FromLooped = (w, node, ints) => !w.IsIndexed(node.Args[0]) ? null
                : Enumerable.Range(0, node.Dim).Select(c => w.Component(node.Args[0], IndexText.Int(ints[0] + c))).ToArray(),
        },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new() { Ints = new[] { new[] { 1 }, new[] { 2 } } },
    };

    public static readonly Operation ExtractT = new Operation
    {
        Name = "ExtractT", Group = OpGroup.Indexing, Parameters = OpKit.FIntInt,
        Signature = "ExtractT(f,start,D)", Summary = "f placed at start in a zero vector of dimension D",
        Dim = (dims, ints) => DimRules.Placement("ExtractT", ints[0], dims[0], ints[1], "dimension", argument: 1, dim: ints[1], placed: $"f of dimension {dims[0]}"),
        DimensionRule = "start+d(f) ≤ D → D",
        Simplify = (args, ints) => WholeOrZero(args[0], start: ints[0], dim: ints[1]) ?? Ops.ExtractT!.Node(args, ints),
        Lower = (lane, args, ints, dim) => PlacedAt(args[0], ints[0], dim, lane.Constant(0)),
        Evaluate = (args, ints, dim) => PlacedAt(args[0], ints[0], dim, 0.0),
        Vjp = (node, g) => new Formula?[] { F.Extract(g, IntArgs.Decode(node.Ints)[0], node.Args[0].Dim) },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new() { Ints = new[] { new[] { 1 }, new[] { 5 } } },
    };

    public static readonly Operation Concat = new Operation
    {
        Name = "Concat", Group = OpGroup.Indexing, Parameters = OpKit.F2,
        Signature = "Concat(f,g)", Summary = "f followed by g",
        Dim = (dims, _) => DimResult.Ok(dims[0] + dims[1]),
        DimensionRule = "d(f)+d(g)",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.Concat!, args, ints),
        Lower = (lane, args, _, _) => args[0].Concat(args[1]).ToArray(),
        Evaluate = (args, _, _) => args[0].Concat(args[1]).ToArray(),
        Vjp = (node, g) => new Formula?[]
        {
            F.Extract(g, 0, node.Args[0].Dim),
            F.Extract(g, node.Args[0].Dim, node.Args[1].Dim),
        },
        Looped = new() { AssembledFromArguments = true },
        Cost = 0,
        Linearity = LinearRole.Additive,
    };

    public static readonly Operation OneHot = new Operation
    {
        Name = "OneHot", Group = OpGroup.Indexing, Parameters = OpKit.FInt,
        Signature = "OneHot(f,D)", Summary = "one-hot vector of dimension D at index (int)(f + 0.5)",
        Dim = DimRules.ScalarToDimension("OneHot"),
        DimensionRule = "f scalar → D",
        Lower = (lane, args, _, dim) => Enumerable.Range(0, dim).Select(k => LowerOneHot(lane, args[0][0], k)).ToArray(),
        Evaluate = (args, _, dim) =>
        {
            // (int) truncates toward zero, as the C cast KeOps uses.
            int index = (int)(args[0][0] + 0.5);
            return Enumerable.Range(0, dim).Select(k => k == index && args[0][0] + 0.5 > -1 ? 1.0 : 0.0).ToArray();
        },
        Vjp = (node, g) => new Formula?[] { null },
        Looped = new()
        {
            Indexable = _ => true,
            Component = (w, node, _, index) =>
            {
                // As the unrolled lowering, with k at run time: (int)(f + 0.5) == k, truncating toward
                // zero, so k ≤ f + 0.5 < k + 1, and -1 < f + 0.5 < 1 for k = 0.
                LaneContext lane = w.Lane;
                string shifted = w.Let("o", $"({w.Component(node.Args[0], "0")} + {lane.Constant(0.5)})");
                string k = w.IndexValue(index);
                string low = $"({index} == 0 ? {LaneContext.Math("LessThan", lane.Constant(-1), shifted)} : {LaneContext.Math("LessOrEqual", k, shifted)})";
                return $"({low} * {LaneContext.Math("LessThan", shifted, $"({k} + {lane.Constant(1)})")})";
            },
        },
        Tests = new()
        {
            Domain = (-0.4, 4.4),
            Ints = new[] { new[] { 5 } },
            // OneHot, SumT, ElemT take a scalar.
            Dims = new[] { new[] { 1 } },
        },
    };

    public static readonly Operation MatVecMult = new Operation
    {
        Name = "MatVecMult", Group = OpGroup.Tensor, Parameters = OpKit.F2,
        Signature = "MatVecMult(A,b)", Summary = "A·b with A an n×p matrix (row-major) and b of dimension p",
        Dim = DimRules.MatrixTimesVector("MatVecMult", matrix: 0, vector: 1),
        DimensionRule = "d(A) % d(b) = 0 → d(A)/d(b)",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.MatVecMult!, args, ints, zeroIfAnyZero: true),
        Lower = (lane, args, _, dim) =>
        {
            int p = args[1].Length;
            return Enumerable.Range(0, dim).Select(i => Dot(args[0], args[1], i * p, 1, 0, 1, p)).ToArray();
        },
        Evaluate = (args, _, dim) =>
        {
            int p = args[1].Length;
            return Enumerable.Range(0, dim).Select(i => Enumerable.Range(0, p).Sum(k => args[0][(i * p) + k] * args[1][k])).ToArray();
        },
        Vjp = (node, g) => new Formula?[] { F.TensorProd(g, node.Args[1]), F.VecMatMult(g, node.Args[0]) },
        Looped = new()
        {
            // A (n·p) is wide whenever the result is; b is read by constant index when small.
            Indexable = a => a.Indexed(0) && (a.Indexed(1) || a.Small(1)),
            Component = (w, node, _, index) =>
            {
                Formula[] a = node.Args;
                int p = a[1].Dim;
                string row = IndexText.Mul(index, p);
                return w.IsIndexed(a[1])
                    ? w.Accumulate(p, 1, w.Partials, (k, _, acc) => LaneContext.Math("Fma", w.Component(a[0], IndexText.Add(row, k)), w.Component(a[1], k), acc))[0]
                    : LoopedForm.FmaChain(p, c => w.Component(a[0], IndexText.Add(row, IndexText.Int(c))), c => w.Components(a[1])[c]);
            },
            FromLooped = (w, node, _) =>
            {
                Formula[] a = node.Args;
                if (!w.IsIndexed(a[0]) || !w.IsIndexed(a[1]))
                {
                    return null;
                }

                // One accumulator per output row, the shared dimension p in the loop.
                int p = a[1].Dim;
                return w.Accumulate(p, node.Dim, 1, (k, i, acc) => LaneContext.Math("Fma", w.Component(a[0], IndexText.Add(IndexText.Int(i * p), k)), w.Component(a[1], k), acc));
            },
        },
        Linearity = LinearRole.Bilinear,
        Tests = new() { Dims = new[] { new[] { 6, 3 }, new[] { 6, 2 } } },
    };

    public static readonly Operation VecMatMult = new Operation
    {
        Name = "VecMatMult", Group = OpGroup.Tensor, Parameters = OpKit.F2,
        Signature = "VecMatMult(b,A)", Summary = "bᵀ·A with A an n×p matrix (row-major) and b of dimension n",
        Dim = DimRules.MatrixTimesVector("VecMatMult", matrix: 1, vector: 0),
        DimensionRule = "d(A) % d(b) = 0 → d(A)/d(b)",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.VecMatMult!, args, ints, zeroIfAnyZero: true),
        Lower = (lane, args, _, dim) =>
        {
            int n = args[0].Length;
            return Enumerable.Range(0, dim).Select(k => Dot(args[0], args[1], 0, 1, k, dim, n)).ToArray();
        },
        Evaluate = (args, _, dim) =>
        {
            int n = args[0].Length;
            return Enumerable.Range(0, dim).Select(k => Enumerable.Range(0, n).Sum(i => args[0][i] * args[1][(i * dim) + k])).ToArray();
        },
        Vjp = (node, g) => new Formula?[] { F.MatVecMult(node.Args[1], g), F.TensorProd(node.Args[0], g) },
        Looped = new()
        {
            Indexable = a => a.Indexed(1) && (a.Indexed(0) || a.Small(0)),
            Component = (w, node, _, index) =>
            {
                Formula[] a = node.Args;
                int m = node.Dim;
                int n = a[0].Dim;
                return w.IsIndexed(a[0])
                    ? w.Accumulate(n, 1, w.Partials, (k, _, acc) => LaneContext.Math("Fma", w.Component(a[0], k), w.Component(a[1], IndexText.Add(IndexText.Mul(k, m), index)), acc))[0]
                    : LoopedForm.FmaChain(n, i => w.Components(a[0])[i], i => w.Component(a[1], IndexText.Add(IndexText.Int(i * m), index)));
            },
            FromLooped = (w, node, _) =>
            {
                Formula[] a = node.Args;
                if (!w.IsIndexed(a[0]) || !w.IsIndexed(a[1]))
                {
                    return null;
                }

                int m = node.Dim;
                return w.Accumulate(a[0].Dim, m, 1, (k, c, acc) => LaneContext.Math("Fma", w.Component(a[0], k), w.Component(a[1], IndexText.Add(IndexText.Mul(k, m), c)), acc));
            },
        },
        Linearity = LinearRole.Bilinear,
        Tests = new() { Dims = new[] { new[] { 2, 6 }, new[] { 3, 6 } } },
    };

    public static readonly Operation TensorProd = new Operation
    {
        Name = "TensorProd", Group = OpGroup.Tensor, Parameters = OpKit.F2,
        Signature = "TensorProd(f,g)", Summary = "outer product f·gᵀ, row-major",
        Dim = DimRules.Product,
        DimensionRule = "d(f)·d(g)",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.TensorProd!, args, ints, zeroIfAnyZero: true),
        Lower = (lane, args, _, _) => args[0].SelectMany(x => args[1].Select(y => $"({x} * {y})")).ToArray(),
        Evaluate = (args, _, _) => args[0].SelectMany(x => args[1].Select(y => x * y)).ToArray(),
        Vjp = (node, g) => new Formula?[] { F.MatVecMult(g, node.Args[1]), F.VecMatMult(node.Args[0], g) },
        Looped = new()
        {
            Indexable = a => a.EachIndexed,
            Component = (w, node, _, index) =>
            {
                int inner = node.Args[1].Dim;
                return $"({w.Component(node.Args[0], IndexText.Div(index, inner))} * {w.Component(node.Args[1], IndexText.Mod(index, inner))})";
            },
        },
        Linearity = LinearRole.Bilinear,
        Tests = new() { Dims = new[] { new[] { 2, 3 }, new[] { 3, 1 } } },
    };

    // ---- Aliases: expanded at bind time into the operations above ------------------------------

    public static readonly Operation SqNorm2 = new Operation
    {
        Name = "SqNorm2", Group = OpGroup.Norm, Parameters = OpKit.F1,
        Signature = "SqNorm2(f)", Summary = "squared Euclidean norm (f|f)",
        Dim = DimRules.Scalar,
        DimensionRule = "1",
        Expand = (a, _) => a[0].Dim == 1 ? F.Square(a[0]) : F.Scalprod(a[0], a[0]),
        Looped = ExpandsIntoFolds,
    };

    public static readonly Operation Norm2 = new Operation
    {
        Name = "Norm2", Group = OpGroup.Norm, Parameters = OpKit.F1,
        Signature = "Norm2(f)", Summary = "Euclidean norm √(f|f)",
        Dim = DimRules.Scalar,
        DimensionRule = "1",
        Expand = (a, _) => F.Sqrt(F.SqNorm2(a[0])),
        Looped = ExpandsIntoFolds,
    };

    public static readonly Operation Normalize = new Operation
    {
        Name = "Normalize", Group = OpGroup.Norm, Parameters = OpKit.F1,
        Signature = "Normalize(f)", Summary = "f/|f| (0 for the zero vector)",
        Dim = DimRules.DimensionOf(0),
        DimensionRule = "d(f)",
        Expand = (a, _) => F.Mult(F.Rsqrt(F.SqNorm2(a[0])), a[0]),
        Looped = ExpandsIntoFolds,
    };

    public static readonly Operation SqDist = new Operation
    {
        Name = "SqDist", Group = OpGroup.Norm, Parameters = OpKit.F2,
        Signature = "SqDist(f,g)", Summary = "squared distance |f − g|²",
        Dim = (dims, _) => dims[0] == dims[1] || dims[0] == 1 || dims[1] == 1 ? DimResult.Ok(1) : OpKit.Broadcast("SqDist", dims),
        DimensionRule = "d(f) = d(g) (or one is 1) → 1",
        Expand = (a, _) => F.SqNorm2(F.Subtract(a[0], a[1])),
        Looped = ExpandsIntoFolds,
    };

    public static readonly Operation SqNormIso = new Operation
    {
        Name = "SqNormIso", Group = OpGroup.Norm, Parameters = OpKit.F2,
        Signature = "SqNormIso(s,f)", Summary = "s·|f|² for a scalar s",
        Dim = DimRules.ScalarArgument("SqNormIso", 0, "weight s", then: DimRules.Scalar),
        DimensionRule = "d(s) = 1 → 1",
        Expand = (a, _) => F.Mult(a[0], F.SqNorm2(a[1])),
        Looped = ExpandsIntoFolds,
    };

    public static readonly Operation SqNormDiag = new Operation
    {
        Name = "SqNormDiag", Group = OpGroup.Norm, Parameters = OpKit.F2,
        Signature = "SqNormDiag(s,f)", Summary = "Σ s_k f_k² for a diagonal weight s",
        Dim = DimRules.SameDimension("SqNormDiag", 0, "s", like: 1, "f", then: DimRules.Scalar),
        DimensionRule = "d(s) = d(f) → 1",
        Expand = (a, _) => F.Sum(F.Mult(a[0], F.Square(a[1]))),
        Looped = ExpandsIntoFolds,
    };

    public static readonly Operation SymSqNorm = new Operation
    {
        Name = "SymSqNorm", Group = OpGroup.Norm, Parameters = OpKit.F2,
        Signature = "SymSqNorm(A,f)", Summary = "Σ A_kl f_k f_l for a full matrix A (dim(A) = dim(f)²)",
        Dim = (dims, _) => dims[0] == dims[1] * dims[1] ? DimResult.Ok(1)
            : DimResult.Fail($"SymSqNorm needs dim(A) = dim(f)² = {dims[1] * dims[1]}, found {dims[0]}", 0),
        DimensionRule = "d(A) = d(f)² → 1",
        Expand = (a, _) => F.Scalprod(a[0], F.TensorProd(a[1], a[1])),
        Looped = ExpandsIntoFolds,
        Tests = new() { Dims = new[] { new[] { 9, 3 } } },
    };

    public static readonly Operation WeightedSqNorm = new Operation
    {
        Name = "WeightedSqNorm", Group = OpGroup.Norm, Parameters = OpKit.F2,
        Signature = "WeightedSqNorm(s,f)", Summary = "SqNormIso, SqNormDiag or SymSqNorm by dim(s): 1, dim(f) or dim(f)²",
        Dim = (dims, _) => WeightedDim("WeightedSqNorm", dims[0], dims[1]),
        DimensionRule = "d(s) ∈ {1, d(f), d(f)²} → 1",
        Expand = (a, _) => WeightedSqNormOf(a[0], a[1]),
        Looped = ExpandsIntoFolds,
        Tests = new() { Dims = new[] { new[] { 1, 3 }, new[] { 3, 3 }, new[] { 9, 3 } } },
    };

    public static readonly Operation WeightedSqDist = new Operation
    {
        Name = "WeightedSqDist", Group = OpGroup.Norm, Parameters = OpKit.F3,
        Signature = "WeightedSqDist(s,f,g)", Summary = "WeightedSqNorm(s, f − g)",
        Dim = DimRules.SameDimension("WeightedSqDist", 2, "g", like: 1, "f", then: (dims, _) => WeightedDim("WeightedSqDist", dims[0], dims[1])),
        DimensionRule = "d(f) = d(g), d(s) ∈ {1, d(f), d(f)²} → 1",
        Expand = (a, _) => WeightedSqNormOf(a[0], F.Subtract(a[1], a[2])),
        Looped = ExpandsIntoFolds,
        Tests = new() { Dims = new[] { new[] { 1, 3, 3 }, new[] { 3, 3, 3 }, new[] { 9, 3, 3 } } },
    };

    /// <summary>
    /// f's components placed from component <paramref name="start"/> in a vector of
    /// <paramref name="dim"/> components, <paramref name="zero"/> elsewhere: ElemT and ExtractT,
    /// lowered (expressions) and evaluated (values) alike.
    /// </summary>
    private static T[] PlacedAt<T>(T[] f, int start, int dim, T zero)
        => Enumerable.Range(0, dim).Select(k => k >= start && k < start + f.Length ? f[k - start] : zero).ToArray();

    /// <summary>
    /// What Sum, SumT, ComplexSumT and the indexing operations (Elem, Extract, ElemT, ExtractT)
    /// fold alike before their own rules: a result of <paramref name="dim"/> components from component
    /// <paramref name="start"/> that is the whole of f (from 0, f's own dimension) is f itself,
    /// and a zero f gives a zero result; null otherwise.
    /// </summary>
    private static Formula? WholeOrZero(Formula f, int start, int dim) => start == 0 && f.Dim == dim ? f : f.IsZero ? F.Zero(dim) : null;

    private static DimResult WeightedDim(string name, int s, int f)
        => s == 1 || s == f || s == f * f ? DimResult.Ok(1)
            : DimResult.Fail($"{name} needs dim(s) to be 1, dim(f) = {f} or dim(f)² = {f * f}, found {s}", 0);

    private static Formula WeightedSqNormOf(Formula s, Formula f)
        => s.Dim == 1 ? F.Mult(s, F.SqNorm2(f))
            : s.Dim == f.Dim ? F.Sum(F.Mult(s, F.Square(f)))
            : F.Scalprod(s, F.TensorProd(f, f));

    /// <summary>
    /// The looped form of a norm alias: it expands into Sum and Scalprod of its arguments, whose
    /// folds are loops when wide, so the binder (which checks the alias before expanding it) lets
    /// it fold any length.
    /// </summary>
    private static LoopedForm ExpandsIntoFolds => new() { FoldsWithoutNesting = true };

    /// <summary>Min, Max, ArgMin and ArgMax of a wide vector: a running best in a loop.</summary>
    private static LoopedForm BestOfComponents(bool max, bool index) => new()
    {
        FoldsWithoutNesting = true,
        FromLooped = (w, node, _) => w.IsIndexed(node.Args[0]) ? new[] { w.Best(node.Args[0], max, index) } : null,
    };

    // ---- Lowering helpers ---------------------------------------------------------------------

    private static string Fold(string[] components, Func<string, string, string> step)
    {
        string acc = components[0];
        for (int k = 1; k < components.Length; k++)
        {
            acc = step(acc, components[k]);
        }

        return acc;
    }

    /// <summary>Σ_k a[aStart + k·aStep] · b[bStart + k·bStep] as an FMA chain, in index order.</summary>
    private static string Dot(string[] a, string[] b, int aStart, int aStep, int bStart, int bStep, int count)
    {
        string acc = $"({a[aStart]} * {b[bStart]})";
        for (int k = 1; k < count; k++)
        {
            acc = LaneContext.Math("Fma", a[aStart + (k * aStep)], b[bStart + (k * bStep)], acc);
        }

        return acc;
    }

    private static string LowerArgBest(LaneContext lane, string[] components, bool max)
    {
        // Strict comparison keeps the first index on ties, as KeOps does. Written as nested IfElse
        // over the running best so it works for every lane type.
        string best = components[0];
        string index = lane.Constant(0);
        for (int k = 1; k < components.Length; k++)
        {
            string keep = max ? $"({best} - {components[k]})" : $"({components[k]} - {best})";
            string difference = lane.Let(keep);
            index = lane.Let(LaneContext.Math("IfElse", difference, index, lane.Constant(k)));
            best = lane.Let(LaneContext.Math("IfElse", difference, best, components[k]));
        }

        return index;
    }

    private static string LowerOneHot(LaneContext lane, string f, int k)
    {
        // (int)(f + 0.5) == k, with C truncation toward zero: k ≤ f+0.5 < k+1, and (-1, 1) for k = 0.
        string shifted = lane.Let($"({f} + {lane.Constant(0.5)})");
        string low = k == 0
            ? LaneContext.Math("LessThan", lane.Constant(-1), shifted)
            : LaneContext.Math("LessOrEqual", lane.Constant(k), shifted);
        return $"({low} * {LaneContext.Math("LessThan", shifted, lane.Constant(k + 1))})";
    }

    private static int ArgBest(double[] values, Func<double, double, bool> better)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (better(values[k], values[best]))
            {
                best = k;
            }
        }

        return best;
    }

    private static Formula OneHotOf(Operation arg, Formula f)
        => Ops.OneHot!.Node(new[] { arg.Node(new[] { f }, OpKit.NoInts) }, IntArgs.Of(f.Dim));
}
