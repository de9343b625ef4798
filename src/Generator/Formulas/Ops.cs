using System;
using System.Linq;

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

    public static readonly Operation Var = new Operation("Var", OpGroup.Constant, new[] { ParamKind.Int, ParamKind.Int, ParamKind.Int },
        "Var(pos,dim,cat)", "input variable #pos of dimension dim; cat 0 = i, 1 = j, 2 = parameter")
    {
        Dim = (_, ints) => ints[1] > 0 ? DimResult.Ok(ints[1]) : DimResult.Fail("Var dimension must be positive", 1),
        Cost = 0,
        Tests = new()
        {
            NotRunBecause = "a leaf: every case reads its variables through it",
            NotDifferentiatedBecause = "a leaf: its derivative is the seed itself, exercised by every other case",
        },
    }.Documented("dim", "input variable #pos of dimension dim; cat 0 = i, 1 = j, 2 = parameter. As in KeOps, a Var at a position no declaration has declares itself (binds parameter pos, like an unnamed declaration); its uses must agree on dim and cat (KEOPS0122) and positions must have no gaps (KEOPS0123)");

    public static readonly Operation Constant = new Operation("Constant", OpGroup.Internal, Array.Empty<ParamKind>(), "1.5", "a numeric literal")
    {
        Lower = (lane, _, _, _) => throw new InvalidOperationException("constants are lowered by the emitter"),
        Cost = 0,
    };

    public static readonly Operation Zero = new Operation("Zero", OpGroup.Constant, new[] { ParamKind.Int }, "Zero(n)", "the zero vector of dimension n")
    {
        Dim = (_, ints) => ints[0] > 0 ? DimResult.Ok(ints[0]) : DimResult.Fail("Zero(n) needs n >= 1", 0),
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
    }.Documented("n");

    public static readonly Operation IntCst = new Operation("IntCst", OpGroup.Constant, new[] { ParamKind.Int }, "IntCst(n)", "the integer constant n (what an integer literal means)")
    {
        Build = (_, ints) => F.Const(ints[0]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "no formula argument: an alias for a constant",
            NotDifferentiatedBecause = "no formula argument: a constant",
        },
    }.Documented("1");

    public static readonly Operation IntInv = new Operation("IntInv", OpGroup.Constant, new[] { ParamKind.Int }, "IntInv(n)", "the constant 1/n")
    {
        Dim = (_, ints) => ints[0] != 0 ? DimResult.Ok(1) : DimResult.Fail("IntInv(0) divides by zero", 0),
        Build = (_, ints) => F.Const(1.0 / ints[0]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "no formula argument: an alias for a constant",
            NotDifferentiatedBecause = "no formula argument: a constant",
        },
    }.Documented("1");

    public static readonly Operation RatCst = new Operation("RatCst", OpGroup.Constant, new[] { ParamKind.Int, ParamKind.Int }, "RatCst(p,q)", "the rational constant p/q")
    {
        Dim = (_, ints) => ints[1] != 0 ? DimResult.Ok(1) : DimResult.Fail("RatCst(p,0) divides by zero", 1),
        Build = (_, ints) => F.Const((double)ints[0] / ints[1]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "no formula argument: an alias for a constant",
            NotDifferentiatedBecause = "no formula argument: a constant",
        },
    }.Documented("1");

    // ---- Arithmetic ---------------------------------------------------------------------------

    public static readonly Operation Add = OpKit.Elementwise("Add", OpGroup.Arithmetic, 2, "f + g", "sum (broadcasting a scalar)",
        a => $"({a[0]} + {a[1]})", a => a[0] + a[1], (args, self, g) => new Formula?[] { g, g },
        build: args => F.Add(args[0], args[1]), infix: "+", precedence: 10).Documented("broadcast → D")
        .Linear(LinearRole.Additive, keepsScalarMultiples: true);

    public static readonly Operation Subtract = OpKit.Elementwise("Subtract", OpGroup.Arithmetic, 2, "f - g", "difference",
        a => $"({a[0]} - {a[1]})", a => a[0] - a[1], (args, self, g) => new Formula?[] { g, F.Minus(g) },
        build: args => F.Subtract(args[0], args[1]), infix: "-", precedence: 10).Documented("broadcast → D")
        .Linear(LinearRole.Additive, keepsScalarMultiples: true);

    public static readonly Operation Mult = OpKit.Elementwise("Mult", OpGroup.Arithmetic, 2, "f * g", "product",
        a => $"({a[0]} * {a[1]})", a => a[0] * a[1], (args, self, g) => new Formula?[] { F.Mult(g, args[1]), F.Mult(g, args[0]) },
        build: args => F.Mult(args[0], args[1]), infix: "*", precedence: 20).Documented("broadcast → D")
        .Linear(LinearRole.Bilinear, keepsScalarMultiples: true);

    public static readonly Operation Divide = OpKit.Elementwise("Divide", OpGroup.Arithmetic, 2, "f / g", "quotient",
        a => $"({a[0]} / {a[1]})", a => a[0] / a[1],
        (args, self, g) => new Formula?[] { F.Divide(g, args[1]), F.Minus(F.Divide(F.Mult(g, args[0]), F.Square(args[1]))) },
        build: args => F.Divide(args[0], args[1]), infix: "/", precedence: 20).Documented("broadcast → D")
        .Linear(LinearRole.Quotient, keepsScalarMultiples: true);

    public static readonly Operation Minus = OpKit.Elementwise("Minus", OpGroup.Arithmetic, 1, "-f", "negation",
        a => $"(-{a[0]})", a => -a[0], (args, self, g) => new Formula?[] { F.Minus(g) },
        build: args => F.Minus(args[0]), infix: "-", precedence: 30).Documented("d(f)")
        .Linear(LinearRole.Map, keepsScalarMultiples: true);

    public static readonly Operation Square = OpKit.Elementwise("Square", OpGroup.Arithmetic, 1, "Square(f)  or  f**2", "f·f",
        a => $"({a[0]} * {a[0]})", a => a[0] * a[0], (args, self, g) => new Formula?[] { F.Mult(F.Mult(F.Const(2), args[0]), g) }).Documented("d(f)");

    public static readonly Operation Inv = OpKit.Elementwise("Inv", OpGroup.Arithmetic, 1, "Inv(f)  or  1/f", "1/f",
        a => LaneContext.Math("Inv", a[0]), a => 1 / a[0], (args, self, g) => new Formula?[] { F.Minus(F.Mult(F.Square(self), g)) }).Documented("d(f)");

    public static readonly Operation Pow = OpKit.Elementwise("Pow", OpGroup.Arithmetic, 1, "Pow(f,m)  or  f**m", "f to the integer power m",
        (a, ints) => LaneContext.Math("Pow", a[0], ints[0].ToString(System.Globalization.CultureInfo.InvariantCulture)),
        (a, ints) => Math.Pow(a[0], ints[0]),
        (args, self, g, ints) => new Formula?[] { F.Mult(F.Mult(F.Const(ints[0]), F.Pow(args[0], ints[0] - 1)), g) },
        intParameters: 1, build: (args, ints) => F.Pow(args[0], ints[0])).Documented("d(f)")
        .Tested(new()
        {
            Ints = new[] { new[] { 3 } },
        });

    public static readonly Operation Powf = OpKit.Elementwise("Powf", OpGroup.Arithmetic, 2, "Powf(f,g)  or  f**g", "f to the power g (f > 0)",
        a => LaneContext.Math("Powf", a[0], a[1]), a => Math.Pow(a[0], a[1]),
        (args, self, g) => new Formula?[]
        {
            F.Mult(F.Mult(args[1], Ops.Powf!.Create(new[] { args[0], F.Subtract(args[1], F.Const(1)) }, OpKit.NoInts)), g),
            F.Mult(F.Mult(F.Log(args[0]), self), g),
        }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.2, 3),
        });

    public static readonly Operation Sqrt = OpKit.Elementwise("Sqrt", OpGroup.Elementwise, 1, "Sqrt(f)", "square root",
        a => LaneContext.Math("Sqrt", a[0]), a => Math.Sqrt(a[0]),
        (args, self, g) => new Formula?[] { F.Mult(F.Mult(F.Const(0.5), F.Rsqrt(args[0])), g) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.05, 4),
        });

    public static readonly Operation Rsqrt = OpKit.Elementwise("Rsqrt", OpGroup.Elementwise, 1, "Rsqrt(f)", "1/√f, and 0 at f = 0",
        a => LaneContext.Math("Rsqrt", a[0]), a => a[0] == 0 ? 0 : 1 / Math.Sqrt(a[0]),
        (args, self, g) => new Formula?[] { F.Mult(F.Mult(F.Const(-0.5), F.Pow(self, 3)), g) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.05, 4),
        });

    public static readonly Operation Exp = OpKit.Elementwise("Exp", OpGroup.Elementwise, 1, "Exp(f)", "exponential",
        a => LaneContext.Math("Exp", a[0]), a => Math.Exp(a[0]), (args, self, g) => new Formula?[] { F.Mult(self, g) }).Documented("broadcast → D");

    public static readonly Operation Log = OpKit.Elementwise("Log", OpGroup.Elementwise, 1, "Log(f)", "natural logarithm",
        a => LaneContext.Math("Log", a[0]), a => Math.Log(a[0]), (args, self, g) => new Formula?[] { F.Divide(g, args[0]) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.05, 4),
        });

    public static readonly Operation XLogX = OpKit.Elementwise("XLogX", OpGroup.Elementwise, 1, "XLogX(f)", "f·log f, and 0 at f = 0",
        a => LaneContext.Math("XLogX", a[0]), a => a[0] == 0 ? 0 : a[0] * Math.Log(a[0]),
        (args, self, g) => new Formula?[] { F.Mult(F.Add(F.Log(args[0]), F.Const(1)), g) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.05, 4),
        });

    public static readonly Operation Sin = OpKit.Elementwise("Sin", OpGroup.Elementwise, 1, "Sin(f)", "sine",
        a => LaneContext.Math("Sin", a[0]), a => Math.Sin(a[0]), (args, self, g) => new Formula?[] { F.Mult(F.Cos(args[0]), g) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (-4, 4),
        });

    public static readonly Operation Cos = OpKit.Elementwise("Cos", OpGroup.Elementwise, 1, "Cos(f)", "cosine",
        a => LaneContext.Math("Cos", a[0]), a => Math.Cos(a[0]), (args, self, g) => new Formula?[] { F.Minus(F.Mult(F.Sin(args[0]), g)) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (-4, 4),
        });

    public static readonly Operation SinXDivX = OpKit.Elementwise("SinXDivX", OpGroup.Elementwise, 1, "SinXDivX(f)", "sin f / f, and 1 at f = 0",
        a => LaneContext.Math("SinXDivX", a[0]), a => a[0] == 0 ? 1 : Math.Sin(a[0]) / a[0],
        (args, self, g) => new Formula?[]
        {
            F.Mult(F.Subtract(F.Divide(F.Cos(args[0]), args[0]), F.Divide(F.Sin(args[0]), F.Square(args[0]))), g),
        }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.1, 4),
        });

    public static readonly Operation Asin = OpKit.Elementwise("Asin", OpGroup.Elementwise, 1, "Asin(f)", "arcsine",
        a => LaneContext.Math("Asin", a[0]), a => Math.Asin(a[0]),
        (args, self, g) => new Formula?[] { F.Mult(F.Rsqrt(F.Subtract(F.Const(1), F.Square(args[0]))), g) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (-0.9, 0.9),
        });

    public static readonly Operation Acos = OpKit.Elementwise("Acos", OpGroup.Elementwise, 1, "Acos(f)", "arccosine",
        a => LaneContext.Math("Acos", a[0]), a => Math.Acos(a[0]),
        (args, self, g) => new Formula?[] { F.Minus(F.Mult(F.Rsqrt(F.Subtract(F.Const(1), F.Square(args[0]))), g)) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (-0.9, 0.9),
        });

    public static readonly Operation Atan = OpKit.Elementwise("Atan", OpGroup.Elementwise, 1, "Atan(f)", "arctangent",
        a => LaneContext.Math("Atan", a[0]), a => Math.Atan(a[0]),
        (args, self, g) => new Formula?[] { F.Divide(g, F.Add(F.Const(1), F.Square(args[0]))) }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (-3, 3),
        });

    public static readonly Operation Atan2 = OpKit.Elementwise("Atan2", OpGroup.Elementwise, 2, "Atan2(f,g)", "atan2(f, g): angle of (g, f)",
        a => LaneContext.Math("Atan2", a[0], a[1]), a => Math.Atan2(a[0], a[1]),
        (args, self, g) =>
        {
            Formula r2 = F.Add(F.Square(args[0]), F.Square(args[1]));
            return new Formula?[] { F.Divide(F.Mult(g, args[1]), r2), F.Minus(F.Divide(F.Mult(g, args[0]), r2)) };
        }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.2, 3),
        });

    public static readonly Operation Abs = OpKit.Elementwise("Abs", OpGroup.Elementwise, 1, "Abs(f)", "absolute value",
        a => LaneContext.Math("Abs", a[0]), a => Math.Abs(a[0]), (args, self, g) => new Formula?[] { F.Mult(F.Sign(args[0]), g) }).Documented("broadcast → D");

    public static readonly Operation Sign = OpKit.Elementwise("Sign", OpGroup.Elementwise, 1, "Sign(f)", "1, 0 or -1 for f > 0, = 0, < 0",
        a => LaneContext.Math("Sign", a[0]), a => a[0] > 0 ? 1 : a[0] < 0 ? -1 : 0, OpKit.PiecewiseConstant).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    public static readonly Operation Step = OpKit.Elementwise("Step", OpGroup.Elementwise, 1, "Step(f)", "0 if f < 0 else 1 (Step(0) = 1)",
        a => LaneContext.Math("Step", a[0]), a => a[0] < 0 ? 0 : 1, OpKit.PiecewiseConstant).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    public static readonly Operation ReLU = OpKit.Elementwise("ReLU", OpGroup.Elementwise, 1, "ReLU(f)", "0 if f < 0 else f",
        a => LaneContext.Math("ReLU", a[0]), a => a[0] < 0 ? 0 : a[0], (args, self, g) => new Formula?[] { F.Mult(F.Step(args[0]), g) }).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    public static readonly Operation Floor = OpKit.Elementwise("Floor", OpGroup.Elementwise, 1, "Floor(f)", "largest integer ≤ f",
        a => LaneContext.Math("Floor", a[0]), a => Math.Floor(a[0]), OpKit.PiecewiseConstant).Documented("broadcast → D");

    public static readonly Operation Round = OpKit.Elementwise("Round", OpGroup.Elementwise, 1, "Round(f,d)", "f rounded to d decimals (half away from zero)",
        (a, ints) => LaneContext.Math("Round", a[0], ints[0].ToString(System.Globalization.CultureInfo.InvariantCulture)),
        (a, ints) => ints[0] == 0 ? Math.Round(a[0], MidpointRounding.AwayFromZero) : Math.Round(a[0] * Math.Pow(10, ints[0]), MidpointRounding.AwayFromZero) / Math.Pow(10, ints[0]),
        (args, self, g, ints) => new Formula?[] { null }, intParameters: 1).Documented("d(f)")
        .Tested(new()
        {
            Ints = new[] { new[] { 1 } },
        });

    public static readonly Operation Clamp = OpKit.Elementwise("Clamp", OpGroup.Elementwise, 3, "Clamp(f,a,b)", "a if f < a, b if f > b, else f",
        a => LaneContext.Math("Clamp", a[0], a[1], a[2]), a => a[0] < a[1] ? a[1] : a[0] > a[2] ? a[2] : a[0],
        (args, self, g) => new Formula?[]
        {
            F.Mult(F.Mult(Compare(Ops.LessOrEqual!, args[1], args[0]), Compare(Ops.LessOrEqual!, args[0], args[2])), g),
            F.Mult(Compare(Ops.LessThan!, args[0], args[1]), g),
            // f > b only matters when f ≥ a: with a > b the lower bound wins, as in the reference.
            F.Mult(F.Mult(Compare(Ops.LessThan!, args[2], args[0]), Compare(Ops.LessOrEqual!, args[1], args[0])), g),
        }).Documented("broadcast → D");

    public static readonly Operation ClampInt = OpKit.Elementwise("ClampInt", OpGroup.Elementwise, 1, "ClampInt(f,a,b)", "clamp with integer bounds a ≤ b",
        (a, ints) => LaneContext.Math("ClampInt", a[0], OpKit.Int(ints[0]), OpKit.Int(ints[1])),
        (a, ints) => a[0] < ints[0] ? ints[0] : a[0] > ints[1] ? ints[1] : a[0],
        (args, self, g, ints) => new Formula?[] { F.Mult(Ops.DiffClampInt!.Create(new[] { args[0] }, ints), g) },
        intParameters: 2).Documented("d(f)")
        .Tested(new()
        {
            Ints = new[] { new[] { -1 }, new[] { 1 } },
        });

    public static readonly Operation DiffClampInt = OpKit.Elementwise("DiffClampInt", OpGroup.Elementwise, 1, "DiffClampInt(f,a,b)", "1 if a ≤ f ≤ b else 0 (derivative of ClampInt)",
        (a, ints) => LaneContext.Math("DiffClampInt", a[0], OpKit.Int(ints[0]), OpKit.Int(ints[1])),
        (a, ints) => a[0] >= ints[0] && a[0] <= ints[1] ? 1 : 0,
        (args, self, g, ints) => new Formula?[] { null }, intParameters: 2).Documented("d(f)")
        .Tested(new()
        {
            Ints = new[] { new[] { -1 }, new[] { 1 } },
        });

    public static readonly Operation IfElse = OpKit.Elementwise("IfElse", OpGroup.Comparison, 3, "IfElse(f,g,h)", "g where f ≥ 0, else h",
        a => LaneContext.Math("IfElse", a[0], a[1], a[2]), a => a[0] >= 0 ? a[1] : a[2],
        (args, self, g) => new Formula?[]
        {
            null,
            F.Mult(F.Step(args[0]), g),
            F.Mult(F.Subtract(F.Const(1), F.Step(args[0])), g),
        }).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        })
        .Linear(LinearRole.Select, keepsScalarMultiples: true);

    public static readonly Operation Mod = OpKit.Elementwise("Mod", OpGroup.Elementwise, 3, "Mod(x,n,d)", "x − n·Floor((x − d)/n)",
        a => LaneContext.Math("Mod", a[0], a[1], a[2]), a => a[0] - (a[1] * Math.Floor((a[0] - a[2]) / a[1])),
        (args, self, g) => new Formula?[]
        {
            g,
            F.Minus(F.Mult(F.Floor(F.Divide(F.Subtract(args[0], args[2]), args[1])), g)),
            null,
        }).Documented("broadcast → D")
        .Tested(new()
        {
            Domain = (0.5, 3),
        });

    public static readonly Operation Equal = OpKit.Elementwise("Equal", OpGroup.Comparison, 2, "Equal(f,g)", "1 if f = g else 0",
        a => LaneContext.Math("Equal", a[0], a[1]), a => a[0] == a[1] ? 1 : 0, OpKit.PiecewiseConstant).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    public static readonly Operation NotEqual = OpKit.Elementwise("NotEqual", OpGroup.Comparison, 2, "NotEqual(f,g)", "1 if f ≠ g else 0",
        a => LaneContext.Math("NotEqual", a[0], a[1]), a => a[0] != a[1] ? 1 : 0, OpKit.PiecewiseConstant).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    public static readonly Operation LessThan = OpKit.Elementwise("LessThan", OpGroup.Comparison, 2, "LessThan(f,g)  or  f < g, g > f", "1 if f < g else 0",
        a => LaneContext.Math("LessThan", a[0], a[1]), a => a[0] < a[1] ? 1 : 0, OpKit.PiecewiseConstant).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    public static readonly Operation LessOrEqual = OpKit.Elementwise("LessOrEqual", OpGroup.Comparison, 2, "LessOrEqual(f,g)  or  f <= g, g >= f", "1 if f ≤ g else 0",
        a => LaneContext.Math("LessOrEqual", a[0], a[1]), a => a[0] <= a[1] ? 1 : 0, OpKit.PiecewiseConstant).Documented("broadcast → D")
        .Tested(new()
        {
            OnHalfSteps = true,
        });

    private static Formula Compare(Operation op, Formula a, Formula b) => op.Create(new[] { a, b }, OpKit.NoInts);
}
