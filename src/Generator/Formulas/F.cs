using System;

namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// Smart constructors: the only way formulas are built. They fold constants, drop zeros and ones
/// and apply KeOps's algebraic rewrites (x+x=2x, Exp(a)Exp(b)=Exp(a+b), Sum(f*g)=(f|g), ...), so
/// symbolic gradients stay compact. Every rule preserves the value and the dimension.
/// </summary>
internal static class F
{
    private static readonly IntArgs None = new(Array.Empty<int[]>());

    public static Formula Const(double value) => new(Ops.Constant, null, null, 1, value);

    public static Formula Zero(int dim) => new(Ops.Zero, null, IntArgs.Of(dim).Encode(), dim);

    public static Formula Var(int position, int dim, VariableCategory category, string? name)
        => new(Ops.Var, null, IntArgs.Of(position, dim, (int)category).Encode(), dim, 0, name);

    /// <summary>Repeats a scalar to dimension <paramref name="dim"/> (identity when it already has it).</summary>
    public static Formula Broadcast(Formula f, int dim)
    {
        if (f.Dim == dim)
        {
            return f;
        }

        if (f.IsZero)
        {
            return Zero(dim);
        }

        return Ops.SumT.Node(new[] { f }, IntArgs.Of(dim));
    }

    public static Formula Add(Formula a, Formula b)
    {
        int dim = Math.Max(a.Dim, b.Dim);
        if (a.IsZero)
        {
            return Broadcast(b, dim);
        }

        if (b.IsZero)
        {
            return Broadcast(a, dim);
        }

        if (a.IsConstant && b.IsConstant)
        {
            return Const(a.Value + b.Value);
        }

        if (a.Equals(b))
        {
            return Mult(Const(2), a);
        }

        // c*x + x and x + c*x: gather coefficients of the same term.
        if (Coefficient(a, out Formula ta) is double ca && Coefficient(b, out Formula tb) is double cb && ta.Equals(tb))
        {
            return Mult(Const(ca + cb), ta);
        }

        // (s + c1·t) + c2·t and (c1·t + s) + c2·t: adjoints reaching a node along several paths
        // are summed one at a time, so like terms must be gathered across the sum chain too.
        if (a.Op == Ops.Add && Coefficient(b, out Formula term) is double cb2)
        {
            if (Coefficient(a.Args[1], out Formula t1) is double c1 && t1.Equals(term))
            {
                return Add(a.Args[0], Mult(Const(c1 + cb2), term));
            }

            if (Coefficient(a.Args[0], out Formula t0) is double c0 && t0.Equals(term))
            {
                return Add(Mult(Const(c0 + cb2), term), a.Args[1]);
            }
        }

        if (b.Op == Ops.Minus)
        {
            return Subtract(a, b.Args[0]);
        }

        // Constants go left, so that 1+x and x+1 are one node.
        if (b.IsConstant && !a.IsConstant)
        {
            return Ops.Add.Node(new[] { b, a }, None);
        }

        return Ops.Add.Node(new[] { a, b }, None);
    }

    public static Formula Subtract(Formula a, Formula b)
    {
        int dim = Math.Max(a.Dim, b.Dim);
        if (b.IsZero)
        {
            return Broadcast(a, dim);
        }

        if (a.IsZero)
        {
            return Broadcast(Minus(b), dim);
        }

        if (a.IsConstant && b.IsConstant)
        {
            return Const(a.Value - b.Value);
        }

        if (a.Equals(b))
        {
            return Zero(dim);
        }

        if (b.Op == Ops.Minus)
        {
            return Add(a, b.Args[0]);
        }

        return Ops.Subtract.Node(new[] { a, b }, None);
    }

    public static Formula Minus(Formula a)
    {
        if (a.IsZero)
        {
            return a;
        }

        if (a.IsConstant)
        {
            return Const(-a.Value);
        }

        if (a.Op == Ops.Minus)
        {
            return a.Args[0];
        }

        if (a.Op == Ops.Mult && a.Args[0].IsConstant)
        {
            return Mult(Const(-a.Args[0].Value), a.Args[1]);
        }

        return Ops.Minus.Node(new[] { a }, None);
    }

    public static Formula Mult(Formula a, Formula b)
    {
        int dim = Math.Max(a.Dim, b.Dim);
        if (a.IsZero || b.IsZero)
        {
            return Zero(dim);
        }

        if (a.IsConstant && b.IsConstant)
        {
            return Const(a.Value * b.Value);
        }

        if (b.IsConstant)
        {
            (a, b) = (b, a);
        }

        if (a.IsOne)
        {
            return Broadcast(b, dim);
        }

        if (a.IsConstant && a.Value == -1)
        {
            return Broadcast(Minus(b), dim);
        }

        if (a.IsConstant && b.Op == Ops.Mult && b.Args[0].IsConstant)
        {
            return Mult(Const(a.Value * b.Args[0].Value), b.Args[1]);
        }

        if (a.IsConstant && b.Op == Ops.Minus)
        {
            return Mult(Const(-a.Value), b.Args[0]);
        }

        if (a.Op == Ops.Minus && b.Op == Ops.Minus)
        {
            return Mult(a.Args[0], b.Args[0]);
        }

        if (a.Op == Ops.Minus)
        {
            return Minus(Mult(a.Args[0], b));
        }

        if (b.Op == Ops.Minus)
        {
            return Minus(Mult(a, b.Args[0]));
        }

        if (a.Op == Ops.Exp && b.Op == Ops.Exp && a.Dim == b.Dim)
        {
            return Exp(Add(a.Args[0], b.Args[0]));
        }

        if (a.Equals(b))
        {
            return Square(a);
        }

        // Pull constant factors out front: x*(c*y) = c*(x*y).
        if (b.Op == Ops.Mult && b.Args[0].IsConstant)
        {
            return Mult(b.Args[0], Mult(a, b.Args[1]));
        }

        if (a.Op == Ops.Mult && a.Args[0].IsConstant && !ReferenceEquals(a.Args[0], a))
        {
            return Mult(a.Args[0], Mult(a.Args[1], b));
        }

        return Ops.Mult.Node(new[] { a, b }, None);
    }

    public static Formula Divide(Formula a, Formula b)
    {
        int dim = Math.Max(a.Dim, b.Dim);
        if (a.IsZero)
        {
            return Zero(dim);
        }

        if (b.IsConstant && b.Value != 0)
        {
            return Mult(Const(1 / b.Value), a);
        }

        if (a.IsOne)
        {
            return Inv(b);
        }

        return Ops.Divide.Node(new[] { a, b }, None);
    }

    public static Formula Square(Formula a) => Unary(Ops.Square, a);

    public static Formula Inv(Formula a) => Unary(Ops.Inv, a);

    public static Formula Exp(Formula a) => Unary(Ops.Exp, a);

    public static Formula Log(Formula a) => Unary(Ops.Log, a);

    public static Formula Sqrt(Formula a) => Unary(Ops.Sqrt, a);

    public static Formula Rsqrt(Formula a) => Unary(Ops.Rsqrt, a);

    public static Formula Sin(Formula a) => Unary(Ops.Sin, a);

    public static Formula Cos(Formula a) => Unary(Ops.Cos, a);

    public static Formula Sign(Formula a) => Unary(Ops.Sign, a);

    public static Formula Step(Formula a) => Unary(Ops.Step, a);

    public static Formula Floor(Formula a) => Unary(Ops.Floor, a);

    public static Formula Pow(Formula a, int m)
    {
        if (m == 0)
        {
            return Broadcast(Const(1), a.Dim);
        }

        if (m == 1)
        {
            return a;
        }

        if (m == 2)
        {
            return Square(a);
        }

        if (m == -1)
        {
            return Inv(a);
        }

        if (a.IsConstant)
        {
            return Const(Math.Pow(a.Value, m));
        }

        return Ops.Pow.Node(new[] { a }, IntArgs.Of(m));
    }

    /// <summary>Creates an elementwise node, folding it when every argument is a constant.</summary>
    public static Formula Elementwise(Operation op, Formula[] args, IntArgs ints)
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

            return Const(op.Evaluate(values, ints, 1)[0]);
        }

        return op.Node(args, ints);
    }

    public static Formula Unary(Operation op, Formula a) => Elementwise(op, new[] { a }, None);

    public static Formula Sum(Formula a)
    {
        if (a.Dim == 1)
        {
            return a;
        }

        if (a.IsZero)
        {
            return Zero(1);
        }

        if (a.Op == Ops.SumT)
        {
            return Mult(Const(a.Dim), a.Args[0]);
        }

        if (a.Op == Ops.Mult)
        {
            Formula x = a.Args[0];
            Formula y = a.Args[1];
            if (x.Dim == 1)
            {
                return Mult(x, Sum(y));
            }

            if (y.Dim == 1)
            {
                return Mult(y, Sum(x));
            }

            return Scalprod(x, y);
        }

        if (a.Op == Ops.Minus)
        {
            return Minus(Sum(a.Args[0]));
        }

        return Ops.Sum.Node(new[] { a }, None);
    }

    public static Formula Scalprod(Formula a, Formula b)
    {
        if (a.IsZero || b.IsZero)
        {
            return Zero(1);
        }

        if (a.Dim == 1 && b.Dim == 1)
        {
            return Mult(a, b);
        }

        if (a.Op == Ops.SumT)
        {
            return Mult(a.Args[0], Sum(b));
        }

        if (b.Op == Ops.SumT)
        {
            return Mult(b.Args[0], Sum(a));
        }

        if (a.Equals(b))
        {
            return Ops.Scalprod.Node(new[] { a, a }, None);
        }

        return Ops.Scalprod.Node(new[] { a, b }, None);
    }

    public static Formula SqNorm2(Formula a) => a.Dim == 1 ? Square(a) : Scalprod(a, a);

    public static Formula Elem(Formula a, int m)
    {
        if (a.Dim == 1)
        {
            return a;
        }

        if (a.IsZero)
        {
            return Zero(1);
        }

        if (a.Op == Ops.SumT)
        {
            return a.Args[0];
        }

        return Ops.Elem.Node(new[] { a }, IntArgs.Of(m));
    }

    public static Formula Extract(Formula a, int start, int length)
    {
        if (start == 0 && length == a.Dim)
        {
            return a;
        }

        if (a.IsZero)
        {
            return Zero(length);
        }

        if (length == 1)
        {
            return Elem(a, start);
        }

        return Ops.Extract.Node(new[] { a }, IntArgs.Of(start, length));
    }

    public static Formula ElemT(Formula a, int dim, int m)
    {
        if (a.IsZero)
        {
            return Zero(dim);
        }

        return dim == 1 ? a : Ops.ElemT.Node(new[] { a }, IntArgs.Of(dim, m));
    }

    public static Formula ExtractT(Formula a, int start, int dim)
    {
        if (a.IsZero)
        {
            return Zero(dim);
        }

        return start == 0 && a.Dim == dim ? a : Ops.ExtractT.Node(new[] { a }, IntArgs.Of(start, dim));
    }

    public static Formula Concat(Formula a, Formula b)
    {
        if (a.IsZero && b.IsZero)
        {
            return Zero(a.Dim + b.Dim);
        }

        return Ops.Concat.Node(new[] { a, b }, None);
    }

    public static Formula MatVecMult(Formula a, Formula b)
        => a.IsZero || b.IsZero ? Zero(a.Dim / b.Dim) : Ops.MatVecMult.Node(new[] { a, b }, None);

    public static Formula VecMatMult(Formula b, Formula a)
        => a.IsZero || b.IsZero ? Zero(a.Dim / b.Dim) : Ops.VecMatMult.Node(new[] { b, a }, None);

    public static Formula TensorProd(Formula a, Formula b)
        => a.IsZero || b.IsZero ? Zero(a.Dim * b.Dim) : Ops.TensorProd.Node(new[] { a, b }, None);

    public static Formula TensorDot(Formula f, Formula g, TensorDotShape shape)
    {
        int dim = 1;
        foreach (int s in shape.OutShape)
        {
            dim *= s;
        }

        return f.IsZero || g.IsZero ? Zero(dim) : Ops.TensorDot.Node(new[] { f, g }, shape.ToIntArgs());
    }

    /// <summary>c for c*t (or 1 for t), so c1*t + c2*t can be merged.</summary>
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
