namespace KeOpsGen.Generator.Differentiation;

/// <summary>Raised when TraceOperator or AdjointOperator is given a formula that is not linear in its variable.</summary>
internal sealed class NotLinearException : System.Exception
{
    public NotLinearException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// KeOps's linear-operator helpers (keopscore's TraceOperator and AdjointOperator): for f linear
/// in v, f = A·v with A independent of v, the trace of A and Aᵀ·w. Both are read off the
/// reverse-mode derivative, which for a linear f is exactly Aᵀ; linearity itself is checked
/// symbolically (Aᵀ·e must not mention v, and f must vanish at v = 0) so that a non-linear f is a
/// compile-time error rather than the trace of a Jacobian at an arbitrary point.
/// </summary>
internal static class LinearOperators
{
    /// <summary>trace(A) for f = A·v (dim f = dim v).</summary>
    public static Formula Trace(Formula f, Formula v)
    {
        EnsureLinear(f, v, "TraceOperator");
        return Differentiator.Divergence(f, v);
    }

    /// <summary>Aᵀ·w for f = A·v (dim w = dim f; result dim v).</summary>
    public static Formula Adjoint(Formula f, Formula v, Formula w)
    {
        EnsureLinear(f, v, "AdjointOperator");
        return Differentiator.Gradient(f, v, w);
    }

    private static void EnsureLinear(Formula f, Formula v, string op)
    {
        // A fresh adjoint below every position in use, as Differentiator.Differential does.
        int fresh = -1;
        foreach (Formula node in f.PostOrder())
        {
            if (node.IsVariable && node.VariablePosition <= fresh)
            {
                fresh = node.VariablePosition - 1;
            }
        }

        Formula e = F.Var(fresh, f.Dim, v.VariableCategory, "__e" + (-fresh).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Formula transposed;
        try
        {
            transposed = Differentiator.Gradient(f, v, e);
        }
        catch (NotDifferentiableException error)
        {
            throw new NotLinearException($"{op} needs a formula linear in {v}, and this one cannot even be differentiated: {error.Message}");
        }

        if (transposed.PostOrder().Any(n => n.Equals(v)))
        {
            throw new NotLinearException($"{op} needs a formula linear in {v}, but its derivative with respect to {v} still depends on {v}: {f} is not linear in {v}");
        }

        if (!Substitute(f, v, F.Zero(v.Dim)).IsZero)
        {
            throw new NotLinearException($"{op} needs a formula linear in {v}, but {f} does not vanish at {v} = 0 (an affine term, or operations whose value at zero the simplifier cannot fold)");
        }
    }

    /// <summary>f with every occurrence of v replaced by r, rebuilt through the simplifying constructors.</summary>
    private static Formula Substitute(Formula f, Formula v, Formula r)
    {
        var rebuilt = new Dictionary<Formula, Formula>();
        foreach (Formula node in f.PostOrder())
        {
            if (node.Equals(v))
            {
                rebuilt[node] = r;
                continue;
            }

            Formula[] args = node.Args.Select(a => rebuilt[a]).ToArray();
            rebuilt[node] = args.Where((a, k) => !ReferenceEquals(a, node.Args[k])).Any()
                ? node.Op.Create(args, IntArgs.Decode(node.Ints))
                : node;
        }

        return rebuilt[f];
    }
}
