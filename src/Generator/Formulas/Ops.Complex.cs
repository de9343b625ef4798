namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// KeOps's complex operations. A complex vector is a real vector of even dimension holding
/// interleaved (re, im) pairs, so the IR stays real: each derivative rule is the transpose of the
/// real Jacobian, which for a holomorphic map z ↦ h(z) is multiplication by conj(h'(z)).
/// </summary>
internal static partial class Ops
{
    // ---- Dimension rules ----------------------------------------------------------------------

    /// <summary>Test dimensions of one complex argument (even: a vector of 3 complex numbers, a complex scalar).</summary>
    private static int[][] OneComplexArgument => new[] { new[] { 6 }, new[] { 2 } };

    /// <summary>Test dimensions of two complex arguments: equal, or either one a complex scalar (it broadcasts).</summary>
    private static int[][] TwoComplexArguments => new[] { new[] { 6, 6 }, new[] { 2, 6 }, new[] { 6, 2 } };

    private static DimResult EvenFail(string name, int dim, int argument)
        => DimResult.Fail($"{name}: complex formulas have even dimension (re, im pairs), found dimension {dim}", argument);

    private static DimResult Even(string name, int dim, int argument) => dim % 2 == 0 ? DimResult.Ok(dim) : EvenFail(name, dim, argument);

    private static DimResult Halved(string name, int dim) => dim % 2 == 0 ? DimResult.Ok(dim / 2) : EvenFail(name, dim, 0);

    /// <summary>Equal even dimensions, or a complex scalar (dimension 2) against a complex vector.</summary>
    private static DimResult ComplexBroadcast(string name, int[] dims)
    {
        for (int a = 0; a < dims.Length; a++)
        {
            if (dims[a] % 2 != 0)
            {
                return EvenFail(name, dims[a], a);
            }
        }

        if (dims[0] == dims[1] || dims[1] == 2)
        {
            return DimResult.Ok(dims[0]);
        }

        return dims[0] == 2 ? DimResult.Ok(dims[1])
            : DimResult.Fail($"{name} cannot combine complex dimensions {dims[0]} and {dims[1]}: they must be equal, or one must be a complex scalar (dimension 2)", 1);
    }

    // ---- Smart construction -------------------------------------------------------------------

    /// <summary>
    /// The node, or a zero when the arguments make it one: every complex op but the exponentials
    /// maps zero to zero, products as soon as one factor is zero.
    /// </summary>
    private static Formula Cx(Operation op, Formula a) => op.Create(new[] { a }, OpKit.NoInts);

    private static Formula CMult(Formula a, Formula b) => Ops.ComplexMult.Create(new[] { a, b }, OpKit.NoInts);

    private static Formula CSumT(Formula a, int dim)
        => WholeOrZero(a, start: 0, dim: dim) ?? Ops.ComplexSumT.Node(new[] { a }, IntArgs.Of(dim));

    /// <summary>An adjoint folded back to a broadcast complex scalar argument by summing its copies.</summary>
    private static Formula FoldTo(Formula argument, Formula adjoint)
        => argument.Dim == 2 && adjoint.Dim > 2 ? Cx(Ops.ComplexSum!, adjoint) : adjoint;

    // ---- Lowering helpers ---------------------------------------------------------------------

    /// <summary>(re, im) pairs from separate parts; a missing part is <paramref name="zero"/>.</summary>
    private static string[] Interleave(string[]? re, string[]? im, string zero)
    {
        int n = (re ?? im)!.Length;
        var result = new string[2 * n];
        for (int k = 0; k < n; k++)
        {
            result[2 * k] = re is null ? zero : re[k];
            result[(2 * k) + 1] = im is null ? zero : im[k];
        }

        return result;
    }

    /// <summary>
    /// Applies a two-argument complex template pair by pair, a complex scalar repeating: the
    /// template gets the (re, im) of each factor and whether it writes the real part.
    /// </summary>
    private static string[] PerPair(string[][] args, int dim, Func<string[], string[], bool, string> component)
    {
        var result = new string[dim];
        for (int p = 0; p < dim / 2; p++)
        {
            string[] a = Pair(args[0], p);
            string[] b = Pair(args[1], p);
            result[2 * p] = component(a, b, true);
            result[(2 * p) + 1] = component(a, b, false);
        }

        return result;
    }

    /// <summary>One-argument complex template, with a shared value computed once per pair.</summary>
    private static string[] PerPair(string[][] args, int dim, Func<string[], string, string[]> pair, Func<string[], string> shared)
    {
        var result = new string[dim];
        for (int p = 0; p < dim / 2; p++)
        {
            string[] a = Pair(args[0], p);
            string[] both = pair(a, shared(a));
            result[2 * p] = both[0];
            result[(2 * p) + 1] = both[1];
        }

        return result;
    }

    private static string[] Pair(string[] components, int p)
        => components.Length == 2 ? components : new[] { components[2 * p], components[(2 * p) + 1] };

    private static double[] EvaluatePairs(double[][] args, int dim, Func<(double Re, double Im), (double Re, double Im), (double Re, double Im)> op)
    {
        var result = new double[dim];
        for (int p = 0; p < dim / 2; p++)
        {
            int a = args[0].Length == 2 ? 0 : 2 * p;
            int b = args[1].Length == 2 ? 0 : 2 * p;
            (double re, double im) = op((args[0][a], args[0][a + 1]), (args[1][b], args[1][b + 1]));
            result[2 * p] = re;
            result[(2 * p) + 1] = im;
        }

        return result;
    }

    private static string[] RealScal(string[][] args, Func<string, string, string> times)
    {
        int scalar = args[0].Length == 1 ? 0 : 1;
        return args[1 - scalar].Select(x => times(args[scalar][0], x)).ToArray();
    }

    private static string SumEvery(string[] components, int parity, string plus)
        => "(" + string.Join(plus, components.Where((_, k) => k % 2 == parity)) + ")";

    public static readonly Operation ComplexReal = ComplexPart(
        name: "ComplexReal", summary: "real parts of the complex vector f", parity: 0, adjoint: () => Ops.Real2Complex!);

    public static readonly Operation ComplexImag = ComplexPart(
        name: "ComplexImag", summary: "imaginary parts of the complex vector f", parity: 1, adjoint: () => Ops.Imag2Complex!);

    public static readonly Operation Real2Complex = ComplexEmbedding(
        name: "Real2Complex", summary: "the complex vector f + 0i", parity: 0, adjoint: () => Ops.ComplexReal!);

    public static readonly Operation Imag2Complex = ComplexEmbedding(
        name: "Imag2Complex", summary: "the complex vector 0 + f·i", parity: 1, adjoint: () => Ops.ComplexImag!);

    /// <summary>
    /// ComplexReal and ComplexImag: the components of <paramref name="parity"/> (0 for re, 1 for
    /// im) of each pair; the adjoint puts a real vector back in that place (<paramref name="adjoint"/>,
    /// read when differentiating, after every field is set).
    /// </summary>
    private static Operation ComplexPart(string name, string summary, int parity, Func<Operation> adjoint)
    {
        Operation op = null!;
        op = new Operation
        {
            Name = name, Group = OpGroup.Complex, Parameters = OpKit.F1,
            Signature = $"{name}(f)", Summary = summary,
            Dim = (dims, _) => Halved(name, dims[0]),
            DimensionRule = "d(f) even → d(f)/2",
            Simplify = (args, ints) => OpKit.ZeroOrNode(op, args, ints),
            Lower = (lane, args, _, dim) => Enumerable.Range(0, dim).Select(k => args[0][(2 * k) + parity]).ToArray(),
            Evaluate = (args, _, dim) => Enumerable.Range(0, dim).Select(k => args[0][(2 * k) + parity]).ToArray(),
            Vjp = (node, g) => new Formula?[] { Cx(adjoint(), g) },
            Linearity = LinearRole.Map,
            Tests = new() { Dims = OneComplexArgument },
        };
        return op;
    }

    /// <summary>
    /// Real2Complex and Imag2Complex: a real vector as the components of <paramref name="parity"/>
    /// of a complex one, zeros in the others; the adjoint is the matching <see cref="ComplexPart"/>.
    /// </summary>
    private static Operation ComplexEmbedding(string name, string summary, int parity, Func<Operation> adjoint)
    {
        Operation op = null!;
        op = new Operation
        {
            Name = name, Group = OpGroup.Complex, Parameters = OpKit.F1,
            Signature = $"{name}(f)", Summary = summary,
            Dim = (dims, _) => DimResult.Ok(2 * dims[0]),
            DimensionRule = "2·d(f)",
            Simplify = (args, ints) => OpKit.ZeroOrNode(op, args, ints),
            Lower = (lane, args, _, dim) => parity == 0 ? Interleave(args[0], null, lane.Constant(0)) : Interleave(null, args[0], lane.Constant(0)),
            Evaluate = (args, _, dim) => Enumerable.Range(0, dim).Select(k => k % 2 == parity ? args[0][k / 2] : 0).ToArray(),
            Vjp = (node, g) => new Formula?[] { Cx(adjoint(), g) },
            Linearity = LinearRole.Map,
        };
        return op;
    }

    public static readonly Operation Conj = new Operation
    {
        Name = "Conj", Group = OpGroup.Complex, Parameters = OpKit.F1,
        Signature = "Conj(f)", Summary = "complex conjugate of f",
        Dim = (dims, _) => Even("Conj", dims[0], 0),
        DimensionRule = "d(f) even → d(f)",
        Simplify = (args, ints) => args[0].Op == Ops.Conj ? args[0].Args[0] : OpKit.ZeroOrNode(Ops.Conj!, args, ints),
        Lower = (lane, args, _, dim) => args[0].Select((x, k) => k % 2 == 0 ? x : $"(-{x})").ToArray(),
        Evaluate = (args, _, dim) => args[0].Select((x, k) => k % 2 == 0 ? x : -x).ToArray(),
        Vjp = (node, g) => new Formula?[] { Cx(Ops.Conj!, g) },
        Linearity = LinearRole.Map,
        Tests = new() { Dims = OneComplexArgument },
    };

    public static readonly Operation ComplexAdd = ComplexAddition(
        name: "ComplexAdd", summary: "complex sum (a complex scalar broadcasts)", subtract: false);

    public static readonly Operation ComplexSubtract = ComplexAddition(
        name: "ComplexSubtract", summary: "complex difference (a complex scalar broadcasts)", subtract: true);

    /// <summary>
    /// ComplexAdd and ComplexSubtract: pairwise f ± g, a complex scalar broadcasting. A zero g (of
    /// at most f's dimension) drops out of both; a zero f only out of the sum.
    /// </summary>
    private static Operation ComplexAddition(string name, string summary, bool subtract)
    {
        string sign = subtract ? " - " : " + ";
        Operation op = null!;
        op = new Operation
        {
            Name = name, Group = OpGroup.Complex, Parameters = OpKit.F2,
            Signature = $"{name}(f,g)", Summary = summary,
            Dim = (dims, _) => ComplexBroadcast(name, dims),
            DimensionRule = "even, d(f) = d(g) or one is 2 → max",
            Simplify = (args, ints) => !subtract && args[0].IsZero && args[1].Dim >= args[0].Dim ? args[1]
                : args[1].IsZero && args[0].Dim >= args[1].Dim ? args[0]
                : OpKit.ZeroOrNode(op, args, ints),
            Lower = (lane, args, _, dim) => PerPair(args, dim, (a, b, re) => re ? $"({a[0]}{sign}{b[0]})" : $"({a[1]}{sign}{b[1]})"),
            Evaluate = (args, _, dim) => EvaluatePairs(args, dim, (a, b) => subtract ? (a.Re - b.Re, a.Im - b.Im) : (a.Re + b.Re, a.Im + b.Im)),
            Vjp = (node, g) => new Formula?[] { FoldTo(node.Args[0], g), FoldTo(node.Args[1], subtract ? F.Minus(g) : g) },
            Linearity = LinearRole.Additive,
            Tests = new() { Dims = TwoComplexArguments },
        };
        return op;
    }

    public static readonly Operation ComplexMult = new Operation
    {
        Name = "ComplexMult", Group = OpGroup.Complex, Parameters = OpKit.F2,
        Signature = "ComplexMult(f,g)", Summary = "complex product (a complex scalar broadcasts)",
        Dim = (dims, _) => ComplexBroadcast("ComplexMult", dims),
        DimensionRule = "even, d(f) = d(g) or one is 2 → max",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.ComplexMult!, args, ints, zeroIfAnyZero: true),
        // a, b are (re, im) of each factor; re selects the component written.
        Lower = (lane, args, _, dim) => PerPair(args, dim, (a, b, re) => re
            ? $"({a[0]} * {b[0]} - {a[1]} * {b[1]})"
            : $"({a[0]} * {b[1]} + {a[1]} * {b[0]})"),
        Evaluate = (args, _, dim) => EvaluatePairs(args, dim, (a, b) => ((a.Re * b.Re) - (a.Im * b.Im), (a.Re * b.Im) + (a.Im * b.Re))),
        Vjp = (node, g) => new Formula?[]
        {
            FoldTo(node.Args[0], CMult(Cx(Ops.Conj!, node.Args[1]), g)),
            FoldTo(node.Args[1], CMult(Cx(Ops.Conj!, node.Args[0]), g)),
        },
        Linearity = LinearRole.Bilinear,
        Tests = new() { Dims = TwoComplexArguments },
    };

    public static readonly Operation ComplexDivide = new Operation
    {
        Name = "ComplexDivide", Group = OpGroup.Complex, Parameters = OpKit.F2,
        Signature = "ComplexDivide(f,g)", Summary = "complex quotient f/g (a complex scalar broadcasts)",
        Dim = (dims, _) => ComplexBroadcast("ComplexDivide", dims),
        // f/g = f·conj(g)/|g|², as KeOps expands it.
        DimensionRule = "even, d(f) = d(g) or one is 2 → max",
        Description = "complex quotient f/g, expanded as ComplexMult(Real2Complex(1/ComplexSquareAbs(g)), ComplexMult(f, Conj(g)))",
        Expand = (args, _) => CMult(
            Cx(Ops.Real2Complex!, F.Inv(Cx(Ops.ComplexSquareAbs!, args[1]))),
            CMult(args[0], Cx(Ops.Conj!, args[1]))),
        Linearity = LinearRole.Quotient,
        Tests = new() { Domain = (0.3, 2), Dims = TwoComplexArguments },
    };

    public static readonly Operation ComplexRealScal = new Operation
    {
        Name = "ComplexRealScal", Group = OpGroup.Complex, Parameters = OpKit.F2,
        Signature = "ComplexRealScal(s,f)", Summary = "real scalar s times complex vector f (either order)",
        Dim = (dims, _) => dims[0] == 1 && dims[1] != 1 ? Even("ComplexRealScal", dims[1], 1)
            : dims[1] == 1 && dims[0] != 1 ? Even("ComplexRealScal", dims[0], 0)
            : DimResult.Fail($"ComplexRealScal needs one real scalar (dimension 1) and one complex vector, found dimensions {dims[0]} and {dims[1]}", 0),
        DimensionRule = "one argument of dimension 1, the other even → its dimension",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.ComplexRealScal!, args, ints, zeroIfAnyZero: true),
        Lower = (lane, args, _, dim) => RealScal(args, (s, x) => $"({s} * {x})"),
        Evaluate = (args, _, dim) =>
        {
            int scalar = args[0].Length == 1 ? 0 : 1;
            return args[1 - scalar].Select(x => args[scalar][0] * x).ToArray();
        },
        Vjp = (node, g) =>
        {
            int scalar = node.Args[0].Dim == 1 ? 0 : 1;
            var result = new Formula?[2];
            result[scalar] = F.Scalprod(node.Args[1 - scalar], g);
            result[1 - scalar] = F.Mult(node.Args[scalar], g);
            return result;
        },
        Linearity = LinearRole.Bilinear,
        Tests = new() { Dims = new[] { new[] { 1, 6 }, new[] { 6, 1 } } },
    };

    public static readonly Operation ComplexSquareAbs = new Operation
    {
        Name = "ComplexSquareAbs", Group = OpGroup.Complex, Parameters = OpKit.F1,
        Signature = "ComplexSquareAbs(f)", Summary = "squared moduli re² + im² of the complex vector f",
        Dim = (dims, _) => Halved("ComplexSquareAbs", dims[0]),
        DimensionRule = "d(f) even → d(f)/2",
        Simplify = (args, ints) => OpKit.ZeroOrNode(Ops.ComplexSquareAbs!, args, ints),
        Lower = (lane, args, _, dim) => Enumerable.Range(0, dim)
            .Select(k => LaneContext.Math("Fma", args[0][2 * k], args[0][2 * k], $"({args[0][(2 * k) + 1]} * {args[0][(2 * k) + 1]})")).ToArray(),
        Evaluate = (args, _, dim) => Enumerable.Range(0, dim).Select(k => (args[0][2 * k] * args[0][2 * k]) + (args[0][(2 * k) + 1] * args[0][(2 * k) + 1])).ToArray(),
        // d|z|² = 2·Re(conj(z) dz): the adjoint of g_k is 2·g_k·z_k, written as a complex product with g + 0i.
        Vjp = (node, g) => new Formula?[] { F.Mult(F.Const(2), CMult(Cx(Ops.Real2Complex!, g), node.Args[0])) },
        Tests = new() { Dims = OneComplexArgument },
    };

    public static readonly Operation ComplexAbs = PerPairExpansion(
        name: "ComplexAbs", summary: "moduli √(re² + im²) of the complex vector f",
        description: "moduli √(re² + im²), Sqrt(ComplexSquareAbs(f))",
        expand: f => F.Sqrt(Cx(Ops.ComplexSquareAbs!, f)));

    public static readonly Operation ComplexAngle = PerPairExpansion(
        name: "ComplexAngle", summary: "arguments atan2(im, re) of the complex vector f",
        description: "arguments Atan2(ComplexImag(f), ComplexReal(f))",
        expand: f => Ops.Atan2!.Create(new[] { Cx(Ops.ComplexImag!, f), Cx(Ops.ComplexReal!, f) }, OpKit.NoInts));

    /// <summary>
    /// ComplexAbs and ComplexAngle: one real value per (re, im) pair, written in other operations
    /// (an alias). Tested away from the origin, where the modulus has no derivative and the angle
    /// is singular.
    /// </summary>
    private static Operation PerPairExpansion(string name, string summary, string description, Func<Formula, Formula> expand) => new()
    {
        Name = name, Group = OpGroup.Complex, Parameters = OpKit.F1,
        Signature = $"{name}(f)", Summary = summary,
        Dim = (dims, _) => Halved(name, dims[0]),
        DimensionRule = "d(f) even → d(f)/2",
        Description = description,
        Expand = (args, _) => expand(args[0]),
        Tests = new() { Domain = (0.2, 2), Dims = OneComplexArgument },
    };

    public static readonly Operation ComplexExp = new Operation
    {
        Name = "ComplexExp", Group = OpGroup.Complex, Parameters = OpKit.F1,
        Signature = "ComplexExp(f)", Summary = "complex exponential of each component of f",
        Dim = (dims, _) => Even("ComplexExp", dims[0], 0),
        DimensionRule = "d(f) even → d(f)",
        Lower = (lane, args, _, dim) => PerPair(args, dim, (a, modulus) => new[]
        {
            $"({modulus} * {lane.Primitive("Cos", a[1])})",
            $"({modulus} * {lane.Primitive("Sin", a[1])})",
        }, a => lane.Let(lane.Primitive("Exp", a[0]))),
        Evaluate = (args, _, dim) => Enumerable.Range(0, dim)
            .Select(k => Math.Exp(args[0][k - (k % 2)]) * (k % 2 == 0 ? Math.Cos(args[0][k + 1]) : Math.Sin(args[0][k]))).ToArray(),
        // exp' = exp: the adjoint is conj(exp z)·g.
        Vjp = (node, g) => new Formula?[] { CMult(Cx(Ops.Conj!, node), g) },
        Tests = new() { Dims = OneComplexArgument },
    };

    public static readonly Operation ComplexExp1j = new Operation
    {
        Name = "ComplexExp1j", Group = OpGroup.Complex, Parameters = OpKit.F1,
        Signature = "ComplexExp1j(f)", Summary = "e^(i·f) = cos f + i sin f for the real vector f",
        Dim = (dims, _) => DimResult.Ok(2 * dims[0]),
        DimensionRule = "2·d(f)",
        Lower = (lane, args, _, dim) => Enumerable.Range(0, dim)
            .Select(k => lane.Primitive(k % 2 == 0 ? "Cos" : "Sin", args[0][k / 2])).ToArray(),
        Evaluate = (args, _, dim) => Enumerable.Range(0, dim).Select(k => k % 2 == 0 ? Math.Cos(args[0][k / 2]) : Math.Sin(args[0][k / 2])).ToArray(),
        // d/df (cos f, sin f)·(g_re, g_im) = −sin f·g_re + cos f·g_im = Im(conj(e^(if))·g).
        Vjp = (node, g) => new Formula?[] { Cx(Ops.ComplexImag!, CMult(Cx(Ops.Conj!, node), g)) },
    };

    public static readonly Operation ComplexSum = new Operation
    {
        Name = "ComplexSum", Group = OpGroup.Complex, Parameters = OpKit.F1,
        Signature = "ComplexSum(f)", Summary = "sum of the complex components of f (a complex scalar)",
        Dim = (dims, _) => dims[0] % 2 != 0 ? EvenFail("ComplexSum", dims[0], 0) : DimResult.Ok(2),
        DimensionRule = "d(f) even → 2",
        Simplify = (args, ints) => args[0].Dim == 2 ? args[0] : OpKit.ZeroOrNode(Ops.ComplexSum!, args, ints),
        Lower = (lane, args, _, _) => new[] { SumEvery(args[0], 0, " + "), SumEvery(args[0], 1, " + ") },
        Evaluate = (args, _, _) => new[] { args[0].Where((_, k) => k % 2 == 0).Sum(), args[0].Where((_, k) => k % 2 == 1).Sum() },
        Vjp = (node, g) => new Formula?[] { CSumT(g, node.Args[0].Dim) },
        Linearity = LinearRole.Map,
        Tests = new() { Dims = OneComplexArgument },
    };

    public static readonly Operation ComplexSumT = new Operation
    {
        Name = "ComplexSumT", Group = OpGroup.Complex, Parameters = OpKit.FInt,
        Signature = "ComplexSumT(f,D)", Summary = "the complex scalar f repeated to dimension D (adjoint of ComplexSum)",
        Dim = (dims, ints) => dims[0] != 2 ? DimResult.Fail($"ComplexSumT needs a complex scalar (dimension 2), found dimension {dims[0]}", 0)
            : ints[0] < 2 || ints[0] % 2 != 0 ? DimResult.Fail($"ComplexSumT(f,D) needs an even D >= 2 (complex formulas have even dimension (re, im pairs)), found {ints[0]}", 1)
            : DimResult.Ok(ints[0]),
        DimensionRule = "d(f) = 2, D even → D",
        Simplify = (args, ints) => CSumT(args[0], ints[0]),
        Lower = (lane, args, _, dim) => Enumerable.Range(0, dim).Select(k => args[0][k % 2]).ToArray(),
        Evaluate = (args, _, dim) => Enumerable.Range(0, dim).Select(k => args[0][k % 2]).ToArray(),
        Vjp = (node, g) => new Formula?[] { Cx(Ops.ComplexSum!, g) },
        Linearity = LinearRole.Map,
        Tests = new() { Ints = new[] { new[] { 6 } }, Dims = new[] { new[] { 2 } } },
    };
}
