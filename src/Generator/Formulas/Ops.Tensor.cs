namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// numpy-style tensor contraction on flat row-major vectors. The shapes are compile-time integer
/// lists, so every index loop is unrolled into one FMA chain per output component.
/// </summary>
internal static partial class Ops
{
    // The signature lives in a nested class so that it is initialized before the entry reads it.
    private static class TensorDotParameters
    {
        public static readonly ParamKind[] All =
        {
            ParamKind.Formula, ParamKind.Formula, ParamKind.IntList, ParamKind.IntList, ParamKind.IntList, ParamKind.IntList, ParamKind.IntList,
        };
    }

    public static readonly Operation TensorDot = new Operation
    {
        Name = "TensorDot", Group = OpGroup.Tensor, Parameters = TensorDotParameters.All,
        Signature = "TensorDot(f,g,dimsf,dimsg,contf,contg[,permute])", Summary = "numpy.tensordot of f (shape dimsf) and g (shape dimsg) over axes contf of f and contg of g, row-major; the kept axes of f then of g, reordered as KeOps does: kept axis k becomes output axis permute[k] (numpy.transpose with the inverse permutation)",
        DimensionRule = "Π dimsf = d(f), Π dimsg = d(g), contracted sizes equal → Π kept sizes",
        Description = "numpy.tensordot of f (shape dimsf) and g (shape dimsg) over axes contf of f and contg of g, row-major; the kept axes of f then of g, reordered as KeOps does: kept axis k becomes output axis permute[k], i.e. numpy.transpose(T, argsort(permute)) (KeOps's test_TensorDot_with_permute; before this release KeOpsGen applied numpy.transpose(T, permute), which differs whenever permute is not its own inverse)",
        RequiredParameters = 6,
        Dim = (dims, ints) => TensorDotShape.Check(dims[0], dims[1], ints),
        Simplify = (args, ints) => TensorDotOf(args[0], args[1], TensorDotShape.Of(args[0].Dim, args[1].Dim, ints)),
        Lower = (lane, args, ints, _) => TensorDotShape.Of(args[0].Length, args[1].Length, ints).Terms()
            .Select(terms => Dot(args[0], args[1], terms)).ToArray(),
        Evaluate = (args, ints, _) => TensorDotShape.Of(args[0].Length, args[1].Length, ints).Terms()
            .Select(terms => terms.Sum(t => args[0][t.F] * args[1][t.G])).ToArray(),
        Vjp = (node, g) => TensorDotShape.Of(node.Args[0].Dim, node.Args[1].Dim, IntArgs.Decode(node.Ints)).Vjp(node.Args[0], node.Args[1], g),
        Linearity = LinearRole.Bilinear,
        Tests = new()
        {
            // A 2×3 by 3×2 matrix product: contract f's axis 1 with g's axis 0.
            Ints = new[] { new[] { 2, 3 }, new[] { 3, 2 }, new[] { 1 }, new[] { 0 } },
            Dims = new[] { new[] { 6, 6 } },
        },
    };

    public static readonly Operation Kron = new Operation
    {
        Name = "Kron", Group = OpGroup.Tensor, Parameters = new[] { ParamKind.Formula, ParamKind.Formula, ParamKind.IntList, ParamKind.IntList },
        Signature = "Kron(f,g,dimsf,dimsg)", Summary = "numpy.kron of f (shape dimsf) and g (shape dimsg), same number of axes; row-major",
        Dim = (dims, ints) => KronCheck(dims[0], dims[1], ints),
        DimensionRule = "same number of axes, Π dimsf = d(f), Π dimsg = d(g) → d(f)·d(g)",
        Expand = (args, ints) =>
        {
            int[] dimsf = ints.List(0), dimsg = ints.List(1);
            int n = dimsf.Length;
            // kron = outer product whose axes are interleaved f0,g0,f1,g1,... before flattening.
            int[] permute = Enumerable.Range(0, 2 * n).Select(k => (k % 2 == 0 ? 0 : n) + (k / 2)).ToArray();
            return F.TensorDot(args[0], args[1], new TensorDotShape(dimsf, dimsg, Array.Empty<int>(), Array.Empty<int>(), permute));
        },
        Tests = new() { Ints = new[] { new[] { 2, 2 }, new[] { 1, 3 } }, Dims = new[] { new[] { 4, 3 } } },
    };

    /// <summary>TensorDot's smart constructor over a decoded shape (the derivative rules build their contractions through it).</summary>
    internal static Formula TensorDotOf(Formula f, Formula g, TensorDotShape shape)
    {
        int dim = 1;
        foreach (int s in shape.OutShape)
        {
            dim *= s;
        }

        return f.IsZero || g.IsZero ? F.Zero(dim) : Ops.TensorDot.Node(new[] { f, g }, shape.ToIntArgs());
    }

    private static DimResult KronCheck(int df, int dg, IntArgs ints)
    {
        int[] dimsf = ints.List(0), dimsg = ints.List(1);
        if (dimsf.Length != dimsg.Length)
        {
            return DimResult.Fail($"Kron needs shapes with the same number of axes, found [{string.Join(",", dimsf)}] and [{string.Join(",", dimsg)}]", 3);
        }

        DimResult f = TensorDotShape.CheckShape("Kron", "f", dimsf, df, 2);
        if (f.IsError)
        {
            return f;
        }

        DimResult g = TensorDotShape.CheckShape("Kron", "g", dimsg, dg, 3);
        return g.IsError ? g : DimResult.Ok(df * dg);
    }

    private static string Dot(string[] f, string[] g, (int F, int G)[] terms)
    {
        string acc = $"({f[terms[0].F]} * {g[terms[0].G]})";
        for (int k = 1; k < terms.Length; k++)
        {
            acc = LaneContext.Math("Fma", f[terms[k].F], g[terms[k].G], acc);
        }

        return acc;
    }
}

/// <summary>The shapes, contracted axes and output permutation of one TensorDot.</summary>
internal sealed class TensorDotShape
{
    public TensorDotShape(int[] dimsF, int[] dimsG, int[] contF, int[] contG, int[] permute)
    {
        DimsF = dimsF;
        DimsG = dimsG;
        ContF = contF;
        ContG = contG;
        KeptF = Enumerable.Range(0, dimsF.Length).Where(a => Array.IndexOf(contF, a) < 0).ToArray();
        KeptG = Enumerable.Range(0, dimsG.Length).Where(a => Array.IndexOf(contG, a) < 0).ToArray();
        Permute = permute.Length == 0 ? Enumerable.Range(0, KeptF.Length + KeptG.Length).ToArray() : permute;
    }

    public int[] DimsF { get; }

    public int[] DimsG { get; }

    public int[] ContF { get; }

    public int[] ContG { get; }

    public int[] KeptF { get; }

    public int[] KeptG { get; }

    /// <summary>
    /// Output axis k is axis Permute[k] of (kept axes of f, then kept axes of g): numpy.transpose's
    /// convention, the inverse of the list a KeOps formula writes.
    /// </summary>
    public int[] Permute { get; }

    /// <summary>Output shape, after the permutation.</summary>
    public int[] OutShape
    {
        get
        {
            int[] unpermuted = KeptF.Select(a => DimsF[a]).Concat(KeptG.Select(a => DimsG[a])).ToArray();
            return Permute.Select(p => unpermuted[p]).ToArray();
        }
    }

    /// <summary>
    /// Decodes the arguments as written in a formula (and stored on the node). KeOps's permute
    /// says where each unpermuted axis goes (unpermuted axis k becomes output axis permute[k]):
    /// the inverse of numpy.transpose's convention, which <see cref="Permute"/> uses.
    /// </summary>
    public static TensorDotShape Of(int df, int dg, IntArgs ints)
        => new(ints.List(0), ints.List(1), ints.List(2), ints.List(3), ints.Has(4) && ints.List(4).Length > 0 ? InverseOf(ints.List(4)) : Array.Empty<int>());

    /// <summary>The formula-level arguments (KeOps's permute convention, see <see cref="Of"/>).</summary>
    public IntArgs ToIntArgs() => new(new[] { DimsF, DimsG, ContF, ContG, InverseOf(Permute) });

    private static int[] InverseOf(int[] permutation) => Inverse(permutation.ToList());

    public static DimResult CheckShape(string op, string name, int[] shape, int dim, int argument)
    {
        if (shape.Any(s => s < 1))
        {
            return DimResult.Fail($"{op}: every axis of the shape of {name} must be at least 1, found [{string.Join(",", shape)}]", argument);
        }

        long product = 1;
        foreach (int s in shape)
        {
            product *= s;
            if (product > int.MaxValue)
            {
                break;
            }
        }

        return product == dim ? DimResult.Ok(dim)
            : DimResult.Fail($"{op}: the shape [{string.Join(",", shape)}] of {name} has {product} components but {name} has dimension {dim}", argument);
    }

    public static DimResult Check(int df, int dg, IntArgs ints)
    {
        int[] dimsF = ints.List(0), dimsG = ints.List(1), contF = ints.List(2), contG = ints.List(3);
        DimResult check = CheckShape("TensorDot", "f", dimsF, df, 2);
        if (check.IsError)
        {
            return check;
        }

        check = CheckShape("TensorDot", "g", dimsG, dg, 3);
        if (check.IsError)
        {
            return check;
        }

        if (contF.Length != contG.Length)
        {
            return DimResult.Fail($"TensorDot contracts {contF.Length} axes of f but {contG.Length} of g: the two lists must have the same length", 5);
        }

        DimResult axes = CheckAxes("contf", contF, dimsF.Length, 4);
        if (axes.IsError)
        {
            return axes;
        }

        axes = CheckAxes("contg", contG, dimsG.Length, 5);
        if (axes.IsError)
        {
            return axes;
        }

        for (int k = 0; k < contF.Length; k++)
        {
            if (dimsF[contF[k]] != dimsG[contG[k]])
            {
                return DimResult.Fail($"TensorDot contracts axis {contF[k]} of f (size {dimsF[contF[k]]}) with axis {contG[k]} of g (size {dimsG[contG[k]]}): sizes must be equal", 5);
            }
        }

        int kept = dimsF.Length - contF.Length + dimsG.Length - contG.Length;
        if (ints.Has(4) && ints.List(4).Length > 0)
        {
            int[] permute = ints.List(4);
            if (permute.Length != kept || permute.Any(p => p < 0 || p >= kept) || permute.Distinct().Count() != kept)
            {
                return DimResult.OutOfRange($"TensorDot permute must be a permutation of 0..{kept - 1} (one entry per kept axis), found [{string.Join(",", permute)}]", 6);
            }
        }

        long dim = 1;
        foreach (int s in dimsF.Where((_, a) => Array.IndexOf(contF, a) < 0).Concat(dimsG.Where((_, a) => Array.IndexOf(contG, a) < 0)))
        {
            dim *= s;
        }

        return dim <= int.MaxValue ? DimResult.Ok((int)dim) : DimResult.Fail($"TensorDot output has {dim} components, too many", -1);
    }

    private static DimResult CheckAxes(string name, int[] axes, int rank, int argument)
    {
        foreach (int a in axes)
        {
            if (a < 0 || a >= rank)
            {
                return DimResult.OutOfRange($"TensorDot: axis {a} in {name} is out of range for a shape with {rank} axes", argument);
            }
        }

        return axes.Distinct().Count() == axes.Length ? DimResult.Ok(1)
            : DimResult.Fail($"TensorDot: {name} [{string.Join(",", axes)}] names an axis twice", argument);
    }

    /// <summary>For each output component (row-major), the (f index, g index) products to sum, in order.</summary>
    public (int F, int G)[][] Terms()
    {
        int[] outShape = OutShape;
        int outSize = Product(outShape);
        int[] contShape = ContF.Select(a => DimsF[a]).ToArray();
        int contSize = Product(contShape);
        var result = new (int F, int G)[outSize][];
        var fIndex = new int[DimsF.Length];
        var gIndex = new int[DimsG.Length];
        int[] outIndex = new int[outShape.Length];
        int[] contIndex = new int[contShape.Length];
        int keptCount = KeptF.Length;
        for (int o = 0; o < outSize; o++)
        {
            Unflatten(o, outShape, outIndex);
            for (int k = 0; k < outIndex.Length; k++)
            {
                int u = Permute[k];
                if (u < keptCount)
                {
                    fIndex[KeptF[u]] = outIndex[k];
                }
                else
                {
                    gIndex[KeptG[u - keptCount]] = outIndex[k];
                }
            }

            var terms = new (int F, int G)[contSize];
            for (int c = 0; c < contSize; c++)
            {
                Unflatten(c, contShape, contIndex);
                for (int k = 0; k < contIndex.Length; k++)
                {
                    fIndex[ContF[k]] = contIndex[k];
                    gIndex[ContG[k]] = contIndex[k];
                }

                terms[c] = (Flatten(fIndex, DimsF), Flatten(gIndex, DimsG));
            }

            result[o] = terms;
        }

        return result;
    }

    /// <summary>
    /// Contributions to f and g of the output gradient: each is itself a TensorDot of the gradient
    /// (shaped like the output) with the other operand, followed by the permutation that puts the
    /// result's axes back in the operand's order.
    /// </summary>
    public Formula?[] Vjp(Formula f, Formula g, Formula gradient)
    {
        int p = KeptF.Length;
        int[] outShape = OutShape;

        // d/df: contract the gradient's g-kept axes with those axes of g.
        int[] gradAxesOfG = Enumerable.Range(0, Permute.Length).Where(k => Permute[k] >= p).ToArray();
        int[] gAxesKept = gradAxesOfG.Select(k => KeptG[Permute[k] - p]).ToArray();
        // Result axes: remaining gradient axes (f-kept, in output order), then g's contracted axes (ascending).
        var fAxisOfResult = new List<int>();
        fAxisOfResult.AddRange(Enumerable.Range(0, Permute.Length).Where(k => Permute[k] < p).Select(k => KeptF[Permute[k]]));
        fAxisOfResult.AddRange(Enumerable.Range(0, DimsG.Length).Where(a => Array.IndexOf(ContG, a) >= 0).Select(a => ContF[Array.IndexOf(ContG, a)]));
        var forF = new TensorDotShape(outShape, DimsG, gradAxesOfG, gAxesKept, Inverse(fAxisOfResult));

        // d/dg: contract f's kept axes with the gradient's f-kept axes.
        int[] gradAxesOfF = Enumerable.Range(0, Permute.Length).Where(k => Permute[k] < p).ToArray();
        int[] fAxesKept = gradAxesOfF.Select(k => KeptF[Permute[k]]).ToArray();
        // Result axes: f's contracted axes (ascending), then remaining gradient axes (g-kept, in output order).
        var gAxisOfResult = new List<int>();
        gAxisOfResult.AddRange(Enumerable.Range(0, DimsF.Length).Where(a => Array.IndexOf(ContF, a) >= 0).Select(a => ContG[Array.IndexOf(ContF, a)]));
        gAxisOfResult.AddRange(Enumerable.Range(0, Permute.Length).Where(k => Permute[k] >= p).Select(k => KeptG[Permute[k] - p]));
        var forG = new TensorDotShape(DimsF, outShape, fAxesKept, gradAxesOfF, Inverse(gAxisOfResult));

        return new Formula?[] { F.TensorDot(gradient, g, forF), F.TensorDot(f, gradient, forG) };
    }

    private static int[] Inverse(List<int> map)
    {
        var inverse = new int[map.Count];
        for (int k = 0; k < map.Count; k++)
        {
            inverse[map[k]] = k;
        }

        return inverse;
    }

    private static int Product(int[] shape)
    {
        int product = 1;
        foreach (int s in shape)
        {
            product *= s;
        }

        return product;
    }

    private static void Unflatten(int flat, int[] shape, int[] index)
    {
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            index[k] = flat % shape[k];
            flat /= shape[k];
        }
    }

    private static int Flatten(int[] index, int[] shape)
    {
        int flat = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            flat = (flat * shape[k]) + index[k];
        }

        return flat;
    }
}
