namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// The operations of the KeOps formula language, one definition each. Elementwise operations
/// are declared by their scalar lowering, scalar reference and local partial derivatives; the
/// shared helpers in <see cref="OpKit"/> turn that into broadcasting, lowering per component and
/// the chain rule.
/// </summary>
internal static partial class Ops
{

    // ---- Leaves -------------------------------------------------------------------------------

    public static readonly Operation Var = new Operation
    {
        Name = "Var", Group = OpGroup.Constant, Parameters = new[] { ParamKind.Int, ParamKind.Int, ParamKind.Int },
        Signature = "Var(pos,dim,cat)", Summary = "input variable #pos of dimension dim; cat 0 = i, 1 = j, 2 = parameter",
        Dim = DimRules.AtLeastOne("Var", 1, "dim", argument: 1, then: DimRules.GivenDimension(1)),
        DimensionRule = "dim",
        Description = "input variable #pos of dimension dim; cat 0 = i, 1 = j, 2 = parameter. As in KeOps, a Var at a position no declaration has declares itself (binds parameter pos, like an unnamed declaration); its uses must agree on dim and cat (KEOPS0122) and positions must have no gaps (KEOPS0123)",
        Cost = 0,
        Tests = new()
        {
            NotRunBecause = "a leaf: every case reads its variables through it",
            NotDifferentiatedBecause = "a leaf: its derivative is the seed itself, exercised by every other case",
        },
    };

    public static readonly Operation Constant = new Operation
    {
        Name = "Constant", Group = OpGroup.Internal, Parameters = Array.Empty<ParamKind>(),
        Signature = "1.5", Summary = "a numeric literal",
        Dim = DimRules.Scalar,
        DimensionRule = "1",
        Lower = (lane, _, _, _) => throw new InvalidOperationException("constants are lowered by the emitter"),
        Cost = 0,
    };

    public static readonly Operation Zero = new Operation
    {
        Name = "Zero", Group = OpGroup.Constant, Parameters = new[] { ParamKind.Int },
        Signature = "Zero(n)", Summary = "the zero vector of dimension n",
        Dim = DimRules.AtLeastOne("Zero", 0, "n", argument: 0, then: DimRules.GivenDimension(0)),
        DimensionRule = "n",
        Lower = (lane, _, _, dim) => Enumerable.Repeat(lane.Constant(0), dim).ToArray(),
        Evaluate = (_, _, dim) => new double[dim],
        Vjp = (_, _) => Array.Empty<Formula?>(),
        Looped = new()
        {
            Indexable = _ => true,
            Component = (w, _, _, _) => w.Lane.Constant(0),
        },
        Cost = 0,
        Tests = new()
        {
            NotRunBecause = "no formula argument: folded to constants by the smart constructors before lowering",
            NotDifferentiatedBecause = "no formula argument: nothing to differentiate",
        },
    };

    public static readonly Operation IntCst = NumericConstant(
        name: "IntCst", parameters: new[] { ParamKind.Int },
        signature: "IntCst(n)", summary: "the integer constant n (what an integer literal means)",
        dim: DimRules.Scalar,
        value: ints => ints[0]);

    public static readonly Operation IntInv = NumericConstant(
        name: "IntInv", parameters: new[] { ParamKind.Int },
        signature: "IntInv(n)", summary: "the constant 1/n",
        dim: (_, ints) => ints[0] != 0 ? DimResult.Ok(1) : DimResult.Fail("IntInv(0) divides by zero", 0),
        value: ints => 1.0 / ints[0]);

    public static readonly Operation RatCst = NumericConstant(
        name: "RatCst", parameters: new[] { ParamKind.Int, ParamKind.Int },
        signature: "RatCst(p,q)", summary: "the rational constant p/q",
        dim: (_, ints) => ints[1] != 0 ? DimResult.Ok(1) : DimResult.Fail("RatCst(p,0) divides by zero", 1),
        value: ints => (double)ints[0] / ints[1]);

    /// <summary>
    /// A constant written with integer arguments: an alias, expanded at bind time into the literal
    /// <paramref name="value"/> computes, once <paramref name="dim"/> has accepted the integers.
    /// </summary>
    private static Operation NumericConstant(string name, ParamKind[] parameters, string signature, string summary, DimRule dim, Func<IntArgs, double> value) => new()
    {
        Name = name, Group = OpGroup.Constant, Parameters = parameters,
        Signature = signature, Summary = summary,
        Dim = dim,
        DimensionRule = "1",
        Expand = (_, ints) => F.Const(value(ints)),
        Tests = new()
        {
            NotRunBecause = "no formula argument: an alias for a constant",
            NotDifferentiatedBecause = "no formula argument: a constant",
        },
    };

    // ---- Arithmetic ---------------------------------------------------------------------------

    public static readonly Operation Add = OpKit.Elementwise(new()
    {
        Name = "Add", Group = OpGroup.Arithmetic, Arity = 2,
        Signature = "f + g", Summary = "sum (broadcasting a scalar)",
        Reference = (a, _) => a[0] + a[1],
        Vjp = (args, self, g, _) => new Formula?[] { g, g },
        Simplify = (args, _) =>
        {
            Formula a = args[0], b = args[1];

            if (FoldAdditive(a, b, subtract: false) is Formula folded)
            {
                return folded;
            }

            // c*x + x and x + c*x: gather coefficients of the same term.
            if (Coefficient(a, out Formula ta) is double ca && Coefficient(b, out Formula tb) is double cb && ta.Equals(tb))
            {
                return F.Mult(F.Const(ca + cb), ta);
            }

            // (s + c1·t) + c2·t and (c1·t + s) + c2·t: adjoints reaching a node along several paths
            // are summed one at a time, so like terms must be gathered across the sum chain too.
            if (a.Op == Ops.Add && Coefficient(b, out Formula term) is double cb2)
            {
                if (Coefficient(a.Args[1], out Formula t1) is double c1 && t1.Equals(term))
                {
                    return F.Add(a.Args[0], F.Mult(F.Const(c1 + cb2), term));
                }

                if (Coefficient(a.Args[0], out Formula t0) is double c0 && t0.Equals(term))
                {
                    return F.Add(F.Mult(F.Const(c0 + cb2), term), a.Args[1]);
                }
            }

            if (b.Op == Ops.Minus)
            {
                return F.Subtract(a, b.Args[0]);
            }

            // Constants go left, so that 1+x and x+1 are one node.
            if (b.IsConstant && !a.IsConstant)
            {
                return Ops.Add!.Node(new[] { b, a }, OpKit.NoInts);
            }

            return Ops.Add!.Node(new[] { a, b }, OpKit.NoInts);
        },
        Infix = "+", Precedence = 10,
        Linearity = LinearRole.Additive, KeepsScalarMultiples = true,
    });

    public static readonly Operation Subtract = OpKit.Elementwise(new()
    {
        Name = "Subtract", Group = OpGroup.Arithmetic, Arity = 2,
        Signature = "f - g", Summary = "difference",
        Reference = (a, _) => a[0] - a[1],
        Vjp = (args, self, g, _) => new Formula?[] { g, F.Minus(g) },
        Simplify = (args, _) =>
        {
            Formula a = args[0], b = args[1];

            if (FoldAdditive(a, b, subtract: true) is Formula folded)
            {
                return folded;
            }

            if (b.Op == Ops.Minus)
            {
                return F.Add(a, b.Args[0]);
            }

            return Ops.Subtract!.Node(new[] { a, b }, OpKit.NoInts);
        },
        Infix = "-", Precedence = 10,
        Linearity = LinearRole.Additive, KeepsScalarMultiples = true,
    });

    public static readonly Operation Mult = OpKit.Elementwise(new()
    {
        Name = "Mult", Group = OpGroup.Arithmetic, Arity = 2,
        Signature = "f * g", Summary = "product",
        Reference = (a, _) => a[0] * a[1],
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(g, args[1]), F.Mult(g, args[0]) },
        Simplify = (args, _) =>
        {
            Formula a = args[0], b = args[1];

            int dim = Math.Max(a.Dim, b.Dim);
            if (a.IsZero || b.IsZero)
            {
                return F.Zero(dim);
            }

            if (a.IsConstant && b.IsConstant)
            {
                return F.Const(a.Value * b.Value);
            }

            if (b.IsConstant)
            {
                (a, b) = (b, a);
            }

            if (a.IsOne)
            {
                return F.Broadcast(b, dim);
            }

            if (a.IsConstant && a.Value == -1)
            {
                return F.Broadcast(F.Minus(b), dim);
            }

            if (a.IsConstant && b.Op == Ops.Mult && b.Args[0].IsConstant)
            {
                return F.Mult(F.Const(a.Value * b.Args[0].Value), b.Args[1]);
            }

            if (a.IsConstant && b.Op == Ops.Minus)
            {
                return F.Mult(F.Const(-a.Value), b.Args[0]);
            }

            if (a.Op == Ops.Minus && b.Op == Ops.Minus)
            {
                return F.Mult(a.Args[0], b.Args[0]);
            }

            if (a.Op == Ops.Minus)
            {
                return F.Minus(F.Mult(a.Args[0], b));
            }

            if (b.Op == Ops.Minus)
            {
                return F.Minus(F.Mult(a, b.Args[0]));
            }

            if (a.Op == Ops.Exp && b.Op == Ops.Exp && a.Dim == b.Dim)
            {
                return F.Exp(F.Add(a.Args[0], b.Args[0]));
            }

            if (a.Equals(b))
            {
                return F.Square(a);
            }

            // Pull constant factors out front: x*(c*y) = c*(x*y).
            if (b.Op == Ops.Mult && b.Args[0].IsConstant)
            {
                return F.Mult(b.Args[0], F.Mult(a, b.Args[1]));
            }

            if (a.Op == Ops.Mult && a.Args[0].IsConstant && !ReferenceEquals(a.Args[0], a))
            {
                return F.Mult(a.Args[0], F.Mult(a.Args[1], b));
            }

            return Ops.Mult!.Node(new[] { a, b }, OpKit.NoInts);
        },
        Infix = "*", Precedence = 20,
        Linearity = LinearRole.Bilinear, KeepsScalarMultiples = true,
    });

    public static readonly Operation Divide = OpKit.Elementwise(new()
    {
        Name = "Divide", Group = OpGroup.Arithmetic, Arity = 2,
        Signature = "f / g", Summary = "quotient",
        Reference = (a, _) => a[0] / a[1],
        Vjp = (args, self, g, _) => new Formula?[] { F.Divide(g, args[1]), F.Minus(F.Divide(F.Mult(g, args[0]), F.Square(args[1]))) },
        Simplify = (args, _) =>
        {
            Formula a = args[0], b = args[1];

            int dim = Math.Max(a.Dim, b.Dim);
            if (a.IsZero)
            {
                return F.Zero(dim);
            }

            if (b.IsConstant && b.Value != 0)
            {
                return F.Mult(F.Const(1 / b.Value), a);
            }

            if (a.IsOne)
            {
                return F.Inv(b);
            }

            return Ops.Divide!.Node(new[] { a, b }, OpKit.NoInts);
        },
        Infix = "/", Precedence = 20,
        Linearity = LinearRole.Quotient, KeepsScalarMultiples = true,
    });

    public static readonly Operation Minus = OpKit.Elementwise(new()
    {
        Name = "Minus", Group = OpGroup.Arithmetic,
        Signature = "-f", Summary = "negation",
        DimensionRule = "d(f)",
        Reference = (a, _) => -a[0],
        Vjp = (args, self, g, _) => new Formula?[] { F.Minus(g) },
        Simplify = (args, _) =>
        {
            Formula a = args[0];

            if (a.IsZero)
            {
                return a;
            }

            if (a.IsConstant)
            {
                return F.Const(-a.Value);
            }

            if (a.Op == Ops.Minus)
            {
                return a.Args[0];
            }

            if (a.Op == Ops.Mult && a.Args[0].IsConstant)
            {
                return F.Mult(F.Const(-a.Args[0].Value), a.Args[1]);
            }

            return Ops.Minus!.Node(new[] { a }, OpKit.NoInts);
        },
        Infix = "-", Precedence = 30,
        Linearity = LinearRole.Map, KeepsScalarMultiples = true,
    });

    public static readonly Operation Square = OpKit.Elementwise(new()
    {
        Name = "Square", Group = OpGroup.Arithmetic,
        Signature = "Square(f)  or  f**2", Summary = "f·f",
        DimensionRule = "d(f)",
        Lower = (a, _) => $"({a[0]} * {a[0]})",
        Reference = (a, _) => a[0] * a[0],
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Mult(F.Const(2), args[0]), g) },
    });

    public static readonly Operation Inv = OpKit.Elementwise(new()
    {
        Name = "Inv", Group = OpGroup.Arithmetic,
        Signature = "Inv(f)  or  1/f", Summary = "1/f",
        DimensionRule = "d(f)",
        Reference = (a, _) => 1 / a[0],
        Vjp = (args, self, g, _) => new Formula?[] { F.Minus(F.Mult(F.Square(self), g)) },
    });

    public static readonly Operation Pow = OpKit.Elementwise(new()
    {
        Name = "Pow", Group = OpGroup.Arithmetic, IntParameters = 1,
        Signature = "Pow(f,m)  or  f**m", Summary = "f to the integer power m",
        DimensionRule = "d(f)",
        Reference = (a, ints) => Math.Pow(a[0], ints[0]),
        Vjp = (args, self, g, ints) => new Formula?[] { F.Mult(F.Mult(F.Const(ints[0]), F.Pow(args[0], ints[0] - 1)), g) },
        Simplify = (args, ints) =>
        {
            Formula a = args[0];
            int m = ints[0];

            if (m == 0)
            {
                return F.Broadcast(F.Const(1), a.Dim);
            }

            if (m == 1)
            {
                return a;
            }

            if (m == 2)
            {
                return F.Square(a);
            }

            if (m == -1)
            {
                return F.Inv(a);
            }

            if (a.IsConstant)
            {
                return F.Const(Math.Pow(a.Value, m));
            }

            return Ops.Pow!.Node(new[] { a }, IntArgs.Of(m));
        },
        Tests = new() { Ints = new[] { new[] { 3 } } },
    });

    public static readonly Operation Powf = OpKit.Elementwise(new()
    {
        Name = "Powf", Group = OpGroup.Arithmetic, Arity = 2,
        Signature = "Powf(f,g)  or  f**g", Summary = "f to the power g (f > 0)",
        Reference = (a, _) => Math.Pow(a[0], a[1]),
        Vjp = (args, self, g, _) => new Formula?[]
        {
            F.Mult(F.Mult(args[1], Ops.Powf!.Create(new[] { args[0], F.Subtract(args[1], F.Const(1)) }, OpKit.NoInts)), g),
            F.Mult(F.Mult(F.Log(args[0]), self), g),
        },
        Tests = new() { Domain = (0.2, 3) },
    });

    public static readonly Operation Sqrt = OpKit.Elementwise(new()
    {
        Name = "Sqrt", Summary = "square root",
        Reference = (a, _) => Math.Sqrt(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Mult(F.Const(0.5), F.Rsqrt(args[0])), g) },
        Tests = new() { Domain = (0.05, 4) },
    });

    public static readonly Operation Rsqrt = OpKit.Elementwise(new()
    {
        Name = "Rsqrt", Summary = "1/√f, and 0 at f = 0",
        Reference = (a, _) => a[0] == 0 ? 0 : 1 / Math.Sqrt(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Mult(F.Const(-0.5), F.Pow(self, 3)), g) },
        Tests = new() { Domain = (0.05, 4) },
    });

    public static readonly Operation Exp = OpKit.Elementwise(new()
    {
        Name = "Exp", Summary = "exponential",
        Reference = (a, _) => Math.Exp(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(self, g) },
    });

    public static readonly Operation Log = OpKit.Elementwise(new()
    {
        Name = "Log", Summary = "natural logarithm",
        Reference = (a, _) => Math.Log(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Divide(g, args[0]) },
        Tests = new() { Domain = (0.05, 4) },
    });

    public static readonly Operation XLogX = OpKit.Elementwise(new()
    {
        Name = "XLogX", Summary = "f·log f, and 0 at f = 0",
        Reference = (a, _) => a[0] == 0 ? 0 : a[0] * Math.Log(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Add(F.Log(args[0]), F.Const(1)), g) },
        Tests = new() { Domain = (0.05, 4) },
    });

    public static readonly Operation Sin = OpKit.Elementwise(new()
    {
        Name = "Sin", Summary = "sine",
        Reference = (a, _) => Math.Sin(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Cos(args[0]), g) },
        Tests = new() { Domain = (-4, 4) },
    });

    public static readonly Operation Cos = OpKit.Elementwise(new()
    {
        Name = "Cos", Summary = "cosine",
        Reference = (a, _) => Math.Cos(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Minus(F.Mult(F.Sin(args[0]), g)) },
        Tests = new() { Domain = (-4, 4) },
    });

    public static readonly Operation SinXDivX = OpKit.Elementwise(new()
    {
        Name = "SinXDivX", Summary = "sin f / f, and 1 at f = 0",
        Reference = (a, _) => a[0] == 0 ? 1 : Math.Sin(a[0]) / a[0],
        Vjp = (args, self, g, _) => new Formula?[]
        {
            F.Mult(F.Subtract(F.Divide(F.Cos(args[0]), args[0]), F.Divide(F.Sin(args[0]), F.Square(args[0]))), g),
        },
        Tests = new() { Domain = (0.1, 4) },
    });

    public static readonly Operation Asin = OpKit.Elementwise(new()
    {
        Name = "Asin", Summary = "arcsine",
        Reference = (a, _) => Math.Asin(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Rsqrt(F.Subtract(F.Const(1), F.Square(args[0]))), g) },
        Tests = new() { Domain = (-0.9, 0.9) },
    });

    public static readonly Operation Acos = OpKit.Elementwise(new()
    {
        Name = "Acos", Summary = "arccosine",
        Reference = (a, _) => Math.Acos(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Minus(F.Mult(F.Rsqrt(F.Subtract(F.Const(1), F.Square(args[0]))), g)) },
        Tests = new() { Domain = (-0.9, 0.9) },
    });

    public static readonly Operation Atan = OpKit.Elementwise(new()
    {
        Name = "Atan", Summary = "arctangent",
        Reference = (a, _) => Math.Atan(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Divide(g, F.Add(F.Const(1), F.Square(args[0]))) },
        Tests = new() { Domain = (-3, 3) },
    });

    public static readonly Operation Atan2 = OpKit.Elementwise(new()
    {
        Name = "Atan2", Arity = 2,
        Summary = "atan2(f, g): angle of (g, f)",
        Reference = (a, _) => Math.Atan2(a[0], a[1]),
        Vjp = (args, self, g, _) =>
        {
            Formula r2 = F.Add(F.Square(args[0]), F.Square(args[1]));
            return new Formula?[] { F.Divide(F.Mult(g, args[1]), r2), F.Minus(F.Divide(F.Mult(g, args[0]), r2)) };
        },
        Tests = new() { Domain = (0.2, 3) },
    });

    public static readonly Operation Abs = OpKit.Elementwise(new()
    {
        Name = "Abs", Summary = "absolute value",
        Reference = (a, _) => Math.Abs(a[0]),
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Sign(args[0]), g) },
    });

    public static readonly Operation Sign = OpKit.Elementwise(new()
    {
        Name = "Sign", Summary = "1, 0 or -1 for f > 0, = 0, < 0",
        Reference = (a, _) => a[0] > 0 ? 1 : a[0] < 0 ? -1 : 0,
        Vjp = OpKit.PiecewiseConstant,
        Tests = new() { OnHalfSteps = true },
    });

    public static readonly Operation Step = OpKit.Elementwise(new()
    {
        Name = "Step", Summary = "0 if f < 0 else 1 (Step(0) = 1)",
        Reference = (a, _) => a[0] < 0 ? 0 : 1,
        Vjp = OpKit.PiecewiseConstant,
        Tests = new() { OnHalfSteps = true },
    });

    public static readonly Operation ReLU = OpKit.Elementwise(new()
    {
        Name = "ReLU", Summary = "0 if f < 0 else f",
        Reference = (a, _) => a[0] < 0 ? 0 : a[0],
        Vjp = (args, self, g, _) => new Formula?[] { F.Mult(F.Step(args[0]), g) },
        Tests = new() { OnHalfSteps = true },
    });

    public static readonly Operation Floor = OpKit.Elementwise(new()
    {
        Name = "Floor", Summary = "largest integer ≤ f",
        Reference = (a, _) => Math.Floor(a[0]),
        Vjp = OpKit.PiecewiseConstant,
    });

    public static readonly Operation Round = OpKit.Elementwise(new()
    {
        Name = "Round", IntParameters = 1,
        Signature = "Round(f,d)", Summary = "f rounded to d decimals (half away from zero)",
        DimensionRule = "d(f)",
        Reference = (a, ints) => ints[0] == 0 ? Math.Round(a[0], MidpointRounding.AwayFromZero) : Math.Round(a[0] * Math.Pow(10, ints[0]), MidpointRounding.AwayFromZero) / Math.Pow(10, ints[0]),
        Vjp = (args, self, g, ints) => new Formula?[] { null },
        Tests = new() { Ints = new[] { new[] { 1 } } },
    });

    public static readonly Operation Clamp = OpKit.Elementwise(new()
    {
        Name = "Clamp", Arity = 3,
        Signature = "Clamp(f,a,b)", Summary = "a if f < a, b if f > b, else f",
        Reference = (a, _) => a[0] < a[1] ? a[1] : a[0] > a[2] ? a[2] : a[0],
        Vjp = (args, self, g, _) => new Formula?[]
        {
            F.Mult(F.Mult(Compare(Ops.LessOrEqual!, args[1], args[0]), Compare(Ops.LessOrEqual!, args[0], args[2])), g),
            F.Mult(Compare(Ops.LessThan!, args[0], args[1]), g),
            // f > b only matters when f ≥ a: with a > b the lower bound wins, as in the reference.
            F.Mult(F.Mult(Compare(Ops.LessThan!, args[2], args[0]), Compare(Ops.LessOrEqual!, args[1], args[0])), g),
        },
    });

    public static readonly Operation ClampInt = OpKit.Elementwise(new()
    {
        Name = "ClampInt", IntParameters = 2,
        Signature = "ClampInt(f,a,b)", Summary = "clamp with integer bounds a ≤ b",
        DimensionRule = "d(f)",
        Reference = (a, ints) => a[0] < ints[0] ? ints[0] : a[0] > ints[1] ? ints[1] : a[0],
        Vjp = (args, self, g, ints) => new Formula?[] { F.Mult(Ops.DiffClampInt!.Create(new[] { args[0] }, ints), g) },
        Tests = new() { Ints = new[] { new[] { -1 }, new[] { 1 } } },
    });

    public static readonly Operation DiffClampInt = OpKit.Elementwise(new()
    {
        Name = "DiffClampInt", IntParameters = 2,
        Signature = "DiffClampInt(f,a,b)", Summary = "1 if a ≤ f ≤ b else 0 (derivative of ClampInt)",
        DimensionRule = "d(f)",
        Reference = (a, ints) => a[0] >= ints[0] && a[0] <= ints[1] ? 1 : 0,
        Vjp = (args, self, g, ints) => new Formula?[] { null },
        Tests = new() { Ints = new[] { new[] { -1 }, new[] { 1 } } },
    });

    public static readonly Operation IfElse = OpKit.Elementwise(new()
    {
        Name = "IfElse", Group = OpGroup.Comparison, Arity = 3,
        Summary = "g where f ≥ 0, else h",
        Reference = (a, _) => a[0] >= 0 ? a[1] : a[2],
        Vjp = (args, self, g, _) => new Formula?[]
        {
            null,
            F.Mult(F.Step(args[0]), g),
            F.Mult(F.Subtract(F.Const(1), F.Step(args[0])), g),
        },
        Tests = new() { OnHalfSteps = true },
        Linearity = LinearRole.Select, KeepsScalarMultiples = true,
    });

    public static readonly Operation Mod = OpKit.Elementwise(new()
    {
        Name = "Mod", Arity = 3,
        Signature = "Mod(x,n,d)", Summary = "x − n·Floor((x − d)/n)",
        Reference = (a, _) => a[0] - (a[1] * Math.Floor((a[0] - a[2]) / a[1])),
        Vjp = (args, self, g, _) => new Formula?[]
        {
            g,
            F.Minus(F.Mult(F.Floor(F.Divide(F.Subtract(args[0], args[2]), args[1])), g)),
            null,
        },
        Tests = new() { Domain = (0.5, 3) },
    });

    public static readonly Operation Equal = OpKit.Elementwise(new()
    {
        Name = "Equal", Group = OpGroup.Comparison, Arity = 2,
        Summary = "1 if f = g else 0",
        Reference = (a, _) => a[0] == a[1] ? 1 : 0,
        Vjp = OpKit.PiecewiseConstant,
        Tests = new() { OnHalfSteps = true },
    });

    public static readonly Operation NotEqual = OpKit.Elementwise(new()
    {
        Name = "NotEqual", Group = OpGroup.Comparison, Arity = 2,
        Summary = "1 if f ≠ g else 0",
        Reference = (a, _) => a[0] != a[1] ? 1 : 0,
        Vjp = OpKit.PiecewiseConstant,
        Tests = new() { OnHalfSteps = true },
    });

    public static readonly Operation LessThan = OpKit.Elementwise(new()
    {
        Name = "LessThan", Group = OpGroup.Comparison, Arity = 2,
        Signature = "LessThan(f,g)  or  f < g, g > f", Summary = "1 if f < g else 0",
        Reference = (a, _) => a[0] < a[1] ? 1 : 0,
        Vjp = OpKit.PiecewiseConstant,
        Tests = new() { OnHalfSteps = true },
    });

    public static readonly Operation LessOrEqual = OpKit.Elementwise(new()
    {
        Name = "LessOrEqual", Group = OpGroup.Comparison, Arity = 2,
        Signature = "LessOrEqual(f,g)  or  f <= g, g >= f", Summary = "1 if f ≤ g else 0",
        Reference = (a, _) => a[0] <= a[1] ? 1 : 0,
        Vjp = OpKit.PiecewiseConstant,
        Tests = new() { OnHalfSteps = true },
    });

    private static Formula Compare(Operation op, Formula a, Formula b) => op.Create(new[] { a, b }, OpKit.NoInts);

    /// <summary>
    /// What Add and Subtract (<paramref name="subtract"/>) fold alike before their own rules: a
    /// zero operand drops out (the other broadcast to the result's dimension, negated when it is
    /// subtracted), two constants fold, and f + f = 2·f, f − f = 0; null otherwise.
    /// </summary>
    private static Formula? FoldAdditive(Formula a, Formula b, bool subtract)
    {
        int dim = Math.Max(a.Dim, b.Dim);
        if (a.IsZero)
        {
            return F.Broadcast(subtract ? F.Minus(b) : b, dim);
        }

        if (b.IsZero)
        {
            return F.Broadcast(a, dim);
        }

        if (a.IsConstant && b.IsConstant)
        {
            return F.Const(subtract ? a.Value - b.Value : a.Value + b.Value);
        }

        if (a.Equals(b))
        {
            return subtract ? F.Zero(dim) : F.Mult(F.Const(2), a);
        }

        return null;
    }

    /// <summary>c for c*t (or 1 for t), so Add can merge c1*t + c2*t.</summary>
    private static double? Coefficient(Formula f, out Formula term)
    {
        if (f.Op == Ops.Mult && f.Args[0].IsConstant)
        {
            term = f.Args[1];
            return f.Args[0].Value;
        }

        if (f.IsConstant)
        {
            term = f;
            return null;
        }

        term = f;
        return 1;
    }
}
