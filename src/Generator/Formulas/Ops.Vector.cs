using System;
using System.Collections.Generic;
using System.Linq;

namespace KeOpsGen.Generator.Formulas;

/// <summary>Operations that mix components: in-formula reductions, norms, indexing, small tensor algebra.</summary>
internal static partial class Ops
{

    public static readonly Operation Sum = new Operation("Sum", OpGroup.Vector, OpKit.F1, "Sum(f)", "sum of the components of f")
    {
        Dim = (_, _) => DimResult.Ok(1),
        Build = (args, _) => F.Sum(args[0]),
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
    }.Documented("1");

    public static readonly Operation SumT = new Operation("SumT", OpGroup.Vector, OpKit.FInt, "SumT(f,D)", "the scalar f repeated D times (adjoint of Sum)")
    {
        Dim = (dims, ints) => dims[0] != 1 ? DimResult.Fail($"SumT needs a scalar, found dimension {dims[0]}", 0)
            : ints[0] < 1 ? DimResult.Fail("SumT(f,D) needs D >= 1", 1) : DimResult.Ok(ints[0]),
        Build = (args, ints) => F.Broadcast(args[0], ints[0]),
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
        Tests = new()
        {
            Ints = new[] { new[] { 4 } },
            Dims = new[] { new[] { 1 } },
        },
    }.Documented("f scalar → D");

    public static readonly Operation Max = new Operation("Max", OpGroup.Vector, OpKit.F1, "Max(f)", "largest component of f")
    {
        Dim = (_, _) => DimResult.Ok(1),
        Lower = (lane, args, _, _) => new[] { Fold(args[0], (m, x) => lane.Let(LaneContext.Math("IfElse", $"({m} - {x})", m, x))) },
        Evaluate = (args, _, _) => new[] { args[0][ArgBest(args[0], (x, best) => x > best)] },
        Vjp = (node, g) => new Formula?[] { F.Mult(OneHotOf(Ops.ArgMax!, node.Args[0]), g) },
        Looped = BestOfComponents(max: true, index: false),
    }.Documented("1");

    public static readonly Operation Min = new Operation("Min", OpGroup.Vector, OpKit.F1, "Min(f)", "smallest component of f")
    {
        Dim = (_, _) => DimResult.Ok(1),
        Lower = (lane, args, _, _) => new[] { Fold(args[0], (m, x) => lane.Let(LaneContext.Math("IfElse", $"({x} - {m})", m, x))) },
        Evaluate = (args, _, _) => new[] { args[0][ArgBest(args[0], (x, best) => x < best)] },
        Vjp = (node, g) => new Formula?[] { F.Mult(OneHotOf(Ops.ArgMin!, node.Args[0]), g) },
        Looped = BestOfComponents(max: false, index: false),
    }.Documented("1");

    public static readonly Operation ArgMax = new Operation("ArgMax", OpGroup.Vector, OpKit.F1, "ArgMax(f)", "index of the largest component (first on ties)")
    {
        Dim = (_, _) => DimResult.Ok(1),
        Lower = (lane, args, _, _) => new[] { LowerArgBest(lane, args[0], max: true) },
        Evaluate = (args, _, _) => new double[] { ArgBest(args[0], (x, best) => x > best) },
        Vjp = (node, g) => new Formula?[] { null },
        Looped = BestOfComponents(max: true, index: true),
    }.Documented("1");

    public static readonly Operation ArgMin = new Operation("ArgMin", OpGroup.Vector, OpKit.F1, "ArgMin(f)", "index of the smallest component (first on ties)")
    {
        Dim = (_, _) => DimResult.Ok(1),
        Lower = (lane, args, _, _) => new[] { LowerArgBest(lane, args[0], max: false) },
        Evaluate = (args, _, _) => new double[] { ArgBest(args[0], (x, best) => x < best) },
        Vjp = (node, g) => new Formula?[] { null },
        Looped = BestOfComponents(max: false, index: true),
    }.Documented("1");

    public static readonly Operation Scalprod = new Operation("Scalprod", OpGroup.Vector, OpKit.F2, "Scalprod(f,g)  or  (f|g)", "dot product of f and g (equal dimensions)")
    {
        Dim = (dims, _) => dims[0] == dims[1] ? DimResult.Ok(1)
            : DimResult.Fail($"Scalprod needs equal dimensions, found {dims[0]} and {dims[1]}", 1),
        Build = (args, _) => F.Scalprod(args[0], args[1]),
        Lower = (lane, args, _, _) => new[] { Dot(args[0], args[1], 0, 1, 0, 1, args[0].Length) },
        Evaluate = (args, _, _) => new[] { args[0].Zip(args[1], (x, y) => x * y).Sum() },
        Vjp = (node, g) => new Formula?[] { F.Mult(g, node.Args[1]), F.Mult(g, node.Args[0]) },
        Infix = "|",
        Precedence = 5,
        Looped = new()
        {
            FoldsWithoutNesting = true,
            FromLooped = (w, node, _) => !w.IsIndexed(node.Args[0]) || !w.IsIndexed(node.Args[1]) ? null
                : w.Accumulate(node.Args[0].Dim, 1, w.Partials, (k, _, acc) => LaneContext.Math("Fma", w.Component(node.Args[0], k), w.Component(node.Args[1], k), acc)),
            FromLocals = (w, args) => args[0].Length > 1 ? new[] { w.Fold(args[0].Length, c => args[0][c], c => args[1][c]) } : null,
        },
        Linearity = LinearRole.Bilinear,
    }.Documented("d(f) = d(g) → 1");

    public static readonly Operation Elem = new Operation("Elem", OpGroup.Indexing, OpKit.FInt, "Elem(f,m)", "component m of f (from 0)")
    {
        Dim = (dims, ints) => ints[0] >= 0 && ints[0] < dims[0] ? DimResult.Ok(1)
            : DimResult.OutOfRange($"Elem index {ints[0]} is out of range for a formula of dimension {dims[0]} (valid: 0 to {dims[0] - 1})", 1),
        Build = (args, ints) => F.Elem(args[0], ints[0]),
        Lower = (lane, args, ints, _) => new[] { args[0][ints[0]] },
        Evaluate = (args, ints, _) => new[] { args[0][ints[0]] },
        Vjp = (node, g) => new Formula?[] { F.ElemT(g, node.Args[0].Dim, IntArgs.Decode(node.Ints)[0]) },
        Looped = new()
        {
            FromLooped = (w, node, ints) => w.IsIndexed(node.Args[0]) ? new[] { w.Component(node.Args[0], IndexText.Int(ints[0])) } : null,
        },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new()
        {
            Ints = new[] { new[] { 1 } },
        },
    }.Documented("0 ≤ m < d(f) → 1");

    public static readonly Operation ElemT = new Operation("ElemT", OpGroup.Indexing, OpKit.FIntInt, "ElemT(f,n,m)", "vector of dimension n, zero but for f at m")
    {
        Dim = (dims, ints) => dims[0] != 1 ? DimResult.Fail($"ElemT needs a scalar, found dimension {dims[0]}", 0)
            : ints[1] >= 0 && ints[1] < ints[0] ? DimResult.Ok(ints[0])
            : DimResult.OutOfRange($"ElemT position {ints[1]} is out of range for dimension {ints[0]}", 2),
        Build = (args, ints) => F.ElemT(args[0], ints[0], ints[1]),
        Lower = (lane, args, ints, dim) => Enumerable.Range(0, dim).Select(k => k == ints[1] ? args[0][0] : lane.Constant(0)).ToArray(),
        Evaluate = (args, ints, dim) => Enumerable.Range(0, dim).Select(k => k == ints[1] ? args[0][0] : 0).ToArray(),
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
        Tests = new()
        {
            Ints = new[] { new[] { 4 }, new[] { 1 } },
            Dims = new[] { new[] { 1 } },
        },
    }.Documented("f scalar, 0 ≤ m < n → n");

    public static readonly Operation Extract = new Operation("Extract", OpGroup.Indexing, OpKit.FIntInt, "Extract(f,start,len)", "components start to start+len−1 of f")
    {
        Dim = (dims, ints) => ints[1] < 1 ? DimResult.Fail($"Extract length must be at least 1, found {ints[1]}", 2)
            : ints[0] >= 0 && (long)ints[0] + ints[1] <= dims[0] ? DimResult.Ok(ints[1])
            : DimResult.OutOfRange($"Extract range [{ints[0]}, {(long)ints[0] + ints[1]}) is out of range for a formula of dimension {dims[0]}", 1),
        Build = (args, ints) => F.Extract(args[0], ints[0], ints[1]),
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
        Tests = new()
        {
            Ints = new[] { new[] { 1 }, new[] { 2 } },
        },
    }.Documented("start+len ≤ d(f) → len");

    public static readonly Operation ExtractT = new Operation("ExtractT", OpGroup.Indexing, OpKit.FIntInt, "ExtractT(f,start,D)", "f placed at start in a zero vector of dimension D")
    {
        Dim = (dims, ints) => ints[0] >= 0 && (long)ints[0] + dims[0] <= ints[1] ? DimResult.Ok(ints[1])
            : DimResult.OutOfRange($"ExtractT cannot place dimension {dims[0]} at {ints[0]} in dimension {ints[1]}", 1),
        Build = (args, ints) => F.ExtractT(args[0], ints[0], ints[1]),
        Lower = (lane, args, ints, dim) => Enumerable.Range(0, dim)
            .Select(k => k >= ints[0] && k < ints[0] + args[0].Length ? args[0][k - ints[0]] : lane.Constant(0)).ToArray(),
        Evaluate = (args, ints, dim) => Enumerable.Range(0, dim)
            .Select(k => k >= ints[0] && k < ints[0] + args[0].Length ? args[0][k - ints[0]] : 0).ToArray(),
        Vjp = (node, g) => new Formula?[] { F.Extract(g, IntArgs.Decode(node.Ints)[0], node.Args[0].Dim) },
        Cost = 0,
        Linearity = LinearRole.Map,
        Tests = new()
        {
            Ints = new[] { new[] { 1 }, new[] { 5 } },
        },
    }.Documented("start+d(f) ≤ D → D");

    public static readonly Operation Concat = new Operation("Concat", OpGroup.Indexing, OpKit.F2, "Concat(f,g)", "f followed by g")
    {
        Dim = (dims, _) => DimResult.Ok(dims[0] + dims[1]),
        Build = (args, _) => F.Concat(args[0], args[1]),
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
    }.Documented("d(f)+d(g)");

    public static readonly Operation OneHot = new Operation("OneHot", OpGroup.Indexing, OpKit.FInt, "OneHot(f,D)", "one-hot vector of dimension D at index (int)(f + 0.5)")
    {
        Dim = (dims, ints) => dims[0] != 1 ? DimResult.Fail($"OneHot needs a scalar, found dimension {dims[0]}", 0)
            : ints[0] < 1 ? DimResult.Fail("OneHot(f,D) needs D >= 1", 1) : DimResult.Ok(ints[0]),
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
    }.Documented("f scalar → D");

    public static readonly Operation MatVecMult = new Operation("MatVecMult", OpGroup.Tensor, OpKit.F2, "MatVecMult(A,b)", "A·b with A an n×p matrix (row-major) and b of dimension p")
    {
        Dim = (dims, _) => dims[0] % dims[1] == 0 ? DimResult.Ok(dims[0] / dims[1])
            : DimResult.Fail($"MatVecMult needs dim(A) = {dims[0]} to be a multiple of dim(b) = {dims[1]}", 1),
        Build = (args, _) => F.MatVecMult(args[0], args[1]),
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
        Tests = new()
        {
            Dims = new[] { new[] { 6, 3 }, new[] { 6, 2 } },
        },
    }.Documented("d(A) % d(b) = 0 → d(A)/d(b)");

    public static readonly Operation VecMatMult = new Operation("VecMatMult", OpGroup.Tensor, OpKit.F2, "VecMatMult(b,A)", "bᵀ·A with A an n×p matrix (row-major) and b of dimension n")
    {
        Dim = (dims, _) => dims[1] % dims[0] == 0 ? DimResult.Ok(dims[1] / dims[0])
            : DimResult.Fail($"VecMatMult needs dim(A) = {dims[1]} to be a multiple of dim(b) = {dims[0]}", 1),
        Build = (args, _) => F.VecMatMult(args[0], args[1]),
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
        Tests = new()
        {
            Dims = new[] { new[] { 2, 6 }, new[] { 3, 6 } },
        },
    }.Documented("d(A) % d(b) = 0 → d(A)/d(b)");

    public static readonly Operation TensorProd = new Operation("TensorProd", OpGroup.Tensor, OpKit.F2, "TensorProd(f,g)", "outer product f·gᵀ, row-major")
    {
        Dim = (dims, _) => DimResult.Ok(dims[0] * dims[1]),
        Build = (args, _) => F.TensorProd(args[0], args[1]),
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
        Tests = new()
        {
            Dims = new[] { new[] { 2, 3 }, new[] { 3, 1 } },
        },
    }.Documented("d(f)·d(g)");

    // ---- Aliases: expanded at bind time into the operations above ------------------------------

    public static readonly Operation SqNorm2 = Alias("SqNorm2", OpGroup.Norm, OpKit.F1, "SqNorm2(f)", "squared Euclidean norm (f|f)",
        (dims, _) => DimResult.Ok(1), (a, _) => F.SqNorm2(a[0])).Documented("1");

    public static readonly Operation Norm2 = Alias("Norm2", OpGroup.Norm, OpKit.F1, "Norm2(f)", "Euclidean norm √(f|f)",
        (dims, _) => DimResult.Ok(1), (a, _) => F.Sqrt(F.SqNorm2(a[0]))).Documented("1");

    public static readonly Operation Normalize = Alias("Normalize", OpGroup.Norm, OpKit.F1, "Normalize(f)", "f/|f| (0 for the zero vector)",
        (dims, _) => DimResult.Ok(dims[0]), (a, _) => F.Mult(F.Rsqrt(F.SqNorm2(a[0])), a[0])).Documented("d(f)");

    public static readonly Operation SqDist = Alias("SqDist", OpGroup.Norm, OpKit.F2, "SqDist(f,g)", "squared distance |f − g|²",
        (dims, _) => dims[0] == dims[1] || dims[0] == 1 || dims[1] == 1 ? DimResult.Ok(1) : OpKit.Broadcast("SqDist", dims),
        (a, _) => F.SqNorm2(F.Subtract(a[0], a[1]))).Documented("d(f) = d(g) (or one is 1) → 1");

    public static readonly Operation SqNormIso = Alias("SqNormIso", OpGroup.Norm, OpKit.F2, "SqNormIso(s,f)", "s·|f|² for a scalar s",
        (dims, _) => dims[0] == 1 ? DimResult.Ok(1) : DimResult.Fail($"SqNormIso needs a scalar weight s, found dimension {dims[0]}", 0),
        (a, _) => F.Mult(a[0], F.SqNorm2(a[1]))).Documented("d(s) = 1 → 1");

    public static readonly Operation SqNormDiag = Alias("SqNormDiag", OpGroup.Norm, OpKit.F2, "SqNormDiag(s,f)", "Σ s_k f_k² for a diagonal weight s",
        (dims, _) => dims[0] == dims[1] ? DimResult.Ok(1) : DimResult.Fail($"SqNormDiag needs dim(s) = dim(f), found {dims[0]} and {dims[1]}", 0),
        (a, _) => F.Sum(F.Mult(a[0], F.Square(a[1])))).Documented("d(s) = d(f) → 1");

    public static readonly Operation SymSqNorm = Alias("SymSqNorm", OpGroup.Norm, OpKit.F2, "SymSqNorm(A,f)", "Σ A_kl f_k f_l for a full matrix A (dim(A) = dim(f)²)",
        (dims, _) => dims[0] == dims[1] * dims[1] ? DimResult.Ok(1)
            : DimResult.Fail($"SymSqNorm needs dim(A) = dim(f)² = {dims[1] * dims[1]}, found {dims[0]}", 0),
        (a, _) => F.Scalprod(a[0], F.TensorProd(a[1], a[1]))).Documented("d(A) = d(f)² → 1")
        .Tested(new()
        {
            Dims = new[] { new[] { 9, 3 } },
        });

    public static readonly Operation WeightedSqNorm = Alias("WeightedSqNorm", OpGroup.Norm, OpKit.F2, "WeightedSqNorm(s,f)", "SqNormIso, SqNormDiag or SymSqNorm by dim(s): 1, dim(f) or dim(f)²",
        (dims, _) => WeightedDim("WeightedSqNorm", dims[0], dims[1]),
        (a, _) => WeightedSqNormOf(a[0], a[1])).Documented("d(s) ∈ {1, d(f), d(f)²} → 1")
        .Tested(new()
        {
            Dims = new[] { new[] { 1, 3 }, new[] { 3, 3 }, new[] { 9, 3 } },
        });

    public static readonly Operation WeightedSqDist = Alias("WeightedSqDist", OpGroup.Norm, OpKit.F3, "WeightedSqDist(s,f,g)", "WeightedSqNorm(s, f − g)",
        (dims, _) => dims[1] != dims[2] ? DimResult.Fail($"WeightedSqDist needs dim(f) = dim(g), found {dims[1]} and {dims[2]}", 2) : WeightedDim("WeightedSqDist", dims[0], dims[1]),
        (a, _) => WeightedSqNormOf(a[0], F.Subtract(a[1], a[2]))).Documented("d(f) = d(g), d(s) ∈ {1, d(f), d(f)²} → 1")
        .Tested(new()
        {
            Dims = new[] { new[] { 1, 3, 3 }, new[] { 3, 3, 3 }, new[] { 9, 3, 3 } },
        });

    private static DimResult WeightedDim(string name, int s, int f)
        => s == 1 || s == f || s == f * f ? DimResult.Ok(1)
            : DimResult.Fail($"{name} needs dim(s) to be 1, dim(f) = {f} or dim(f)² = {f * f}, found {s}", 0);

    private static Formula WeightedSqNormOf(Formula s, Formula f)
        => s.Dim == 1 ? F.Mult(s, F.SqNorm2(f))
            : s.Dim == f.Dim ? F.Sum(F.Mult(s, F.Square(f)))
            : F.Scalprod(s, F.TensorProd(f, f));

    /// <summary>
    /// A norm alias: it expands into Sum and Scalprod of its arguments, whose folds are loops when
    /// wide, so the binder (which checks the alias before expanding it) lets it fold any length.
    /// </summary>
    private static Operation Alias(string name, OpGroup group, ParamKind[] parameters, string signature, string summary, DimRule dim, BuildRule build)
        => new(name, group, parameters, signature, summary) { Dim = dim, Build = build, IsAlias = true, Looped = new() { FoldsWithoutNesting = true } };

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
        => Ops.OneHot.Node(new[] { arg.Node(new[] { f }, OpKit.NoInts) }, IntArgs.Of(f.Dim));
}
