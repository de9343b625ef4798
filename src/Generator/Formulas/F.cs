namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// Typed shortcuts to the operations' smart constructors: the only way formulas are built. The
/// rewrites themselves (constant folding, dropping zeros and ones, KeOps's x+x=2x,
/// Exp(a)Exp(b)=Exp(a+b), Sum(f*g)=(f|g), ...) live in each operation's entry, as its
/// <see cref="Operation.Simplify"/>; every rule preserves the value and the dimension, so symbolic
/// gradients stay compact.
/// </summary>
internal static class F
{
    private static readonly IntArgs None = new(Array.Empty<int[]>());

    public static Formula Const(double value) => new(Ops.Constant, null, null, 1, value);

    public static Formula Zero(int dim) => new(Ops.Zero, null, IntArgs.Of(dim).Encode(), dim);

    public static Formula Var(int position, int dim, VariableCategory category, string? name)
        => new(Ops.Var, null, IntArgs.Of(position, dim, (int)category).Encode(), dim, 0, name);

    /// <summary>Repeats a scalar to dimension <paramref name="dim"/> (identity when it already has it).</summary>
    public static Formula Broadcast(Formula f, int dim) => Ops.SumT.Create(new[] { f }, IntArgs.Of(dim));

    public static Formula Add(Formula a, Formula b) => Binary(Ops.Add, a, b);

    public static Formula Subtract(Formula a, Formula b) => Binary(Ops.Subtract, a, b);

    public static Formula Minus(Formula a) => Unary(Ops.Minus, a);

    public static Formula Mult(Formula a, Formula b) => Binary(Ops.Mult, a, b);

    public static Formula Divide(Formula a, Formula b) => Binary(Ops.Divide, a, b);

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

    public static Formula Pow(Formula a, int m) => Ops.Pow.Create(new[] { a }, IntArgs.Of(m));

    public static Formula Sum(Formula a) => Unary(Ops.Sum, a);

    public static Formula Scalprod(Formula a, Formula b) => Binary(Ops.Scalprod, a, b);

    public static Formula SqNorm2(Formula a) => Unary(Ops.SqNorm2, a);

    public static Formula Elem(Formula a, int m) => Ops.Elem.Create(new[] { a }, IntArgs.Of(m));

    public static Formula Extract(Formula a, int start, int length) => Ops.Extract.Create(new[] { a }, IntArgs.Of(start, length));

    public static Formula ElemT(Formula a, int dim, int m) => Ops.ElemT.Create(new[] { a }, IntArgs.Of(dim, m));

    public static Formula ExtractT(Formula a, int start, int dim) => Ops.ExtractT.Create(new[] { a }, IntArgs.Of(start, dim));

    public static Formula Concat(Formula a, Formula b) => Binary(Ops.Concat, a, b);

    public static Formula MatVecMult(Formula a, Formula b) => Binary(Ops.MatVecMult, a, b);

    public static Formula VecMatMult(Formula b, Formula a) => Binary(Ops.VecMatMult, b, a);

    public static Formula TensorProd(Formula a, Formula b) => Binary(Ops.TensorProd, a, b);

    public static Formula TensorDot(Formula f, Formula g, TensorDotShape shape) => Ops.TensorDotOf(f, g, shape);

    private static Formula Unary(Operation op, Formula a) => op.Create(new[] { a }, None);

    private static Formula Binary(Operation op, Formula a, Formula b) => op.Create(new[] { a, b }, None);
}
