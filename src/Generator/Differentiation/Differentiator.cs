namespace KeOpsGen.Generator.Differentiation;

/// <summary>Raised when a formula has no derivative with respect to the requested variable.</summary>
internal sealed class NotDifferentiableException : Exception
{
    public NotDifferentiableException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Symbolic reverse-mode differentiation over the formula DAG: each operation's vector-Jacobian
/// rule (from the table) pushes adjoints to its arguments, adjoints of shared nodes are added
/// through the simplifying constructors, and only nodes that depend on the variable are visited.
/// </summary>
internal static class Differentiator
{
    /// <summary>[∂f/∂v]ᵀ·e: the gradient of f with respect to variable v, contracted with e (dim f).</summary>
    public static Formula Gradient(Formula f, Formula v, Formula e)
    {
        if (!v.IsVariable)
        {
            throw new ArgumentException("can only differentiate with respect to a variable", nameof(v));
        }

        if (e.Dim != f.Dim && e.Dim != 1)
        {
            throw new ArgumentException($"the adjoint must have the formula's dimension {f.Dim}", nameof(e));
        }

        List<Formula> order = f.PostOrder().ToList();
        var dependsOnV = new HashSet<Formula>();
        foreach (Formula node in order)
        {
            if (node.Equals(v) || node.Args.Any(dependsOnV.Contains))
            {
                dependsOnV.Add(node);
            }
        }

        if (!dependsOnV.Contains(f))
        {
            return F.Zero(v.Dim);
        }

        var adjoints = new Dictionary<Formula, Formula> { [f] = F.Broadcast(e, f.Dim) };
        for (int index = order.Count - 1; index >= 0; index--)
        {
            Formula node = order[index];
            if (node.IsVariable || !dependsOnV.Contains(node) || !adjoints.TryGetValue(node, out Formula? adjoint))
            {
                continue;
            }

            if (node.Op.Vjp is null)
            {
                throw new NotDifferentiableException(node.Op.NotDifferentiableReason
                    ?? $"{node.Op.Name} has no derivative rule, so this formula cannot be differentiated with respect to {v}");
            }

            Formula?[] contributions = node.Op.Vjp(node, adjoint);
            for (int a = 0; a < node.Args.Length; a++)
            {
                Formula arg = node.Args[a];
                Formula? contribution = a < contributions.Length ? contributions[a] : null;
                if (dependsOnV.Contains(arg) && Array.IndexOf(node.Op.NotDifferentiableArguments, a) >= 0)
                {
                    throw new NotDifferentiableException(node.Op.NotDifferentiableReason
                        ?? $"{node.Op.Name} has no derivative rule for its argument {a + 1}, so this formula cannot be differentiated with respect to {v}");
                }

                if (contribution is null || !dependsOnV.Contains(arg))
                {
                    continue;
                }

                adjoints[arg] = adjoints.TryGetValue(arg, out Formula? existing) ? F.Add(existing, contribution) : contribution;
            }
        }

        return adjoints.TryGetValue(v, out Formula? result) ? result : F.Zero(v.Dim);
    }

    /// <summary>
    /// Forward mode, J·u: the gradient of the linear map e ↦ Jᵀe, contracted with u. A fresh
    /// adjoint variable stands for e; linearity guarantees it disappears from the result.
    /// </summary>
    public static Formula Differential(Formula f, Formula v, Formula u)
    {
        // Negative positions are never parameters; below every one in use keeps nesting distinct
        // and the result deterministic (the incremental cache compares formulas).
        int freshPosition = -1;
        foreach (Formula node in f.PostOrder().Concat(u.PostOrder()))
        {
            if (node.IsVariable && node.VariablePosition <= freshPosition)
            {
                freshPosition = node.VariablePosition - 1;
            }
        }

        Formula e = F.Var(freshPosition, f.Dim, v.VariableCategory, "__e" + (-freshPosition).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Formula transposed = Gradient(f, v, e);
        Formula result = Gradient(transposed, e, u);
        if (result.PostOrder().Any(n => n.Equals(e)))
        {
            throw new NotDifferentiableException("Diff could not eliminate its adjoint variable; the derivative is not linear as built");
        }

        return result;
    }

    /// <summary>Concatenation over k of Grad(f, v, e_k): the transposed Jacobian, row-major (dim f × dim v).</summary>
    public static Formula GradMatrix(Formula f, Formula v)
    {
        Formula? result = null;
        for (int k = 0; k < f.Dim; k++)
        {
            Formula row = Gradient(f, v, Basis(f.Dim, k));
            result = result is null ? row : F.Concat(result, row);
        }

        return result!;
    }

    /// <summary>Trace of ∂f/∂v (dim f = dim v).</summary>
    public static Formula Divergence(Formula f, Formula v)
    {
        Formula? result = null;
        for (int k = 0; k < f.Dim; k++)
        {
            Formula term = F.Elem(Gradient(f, v, Basis(f.Dim, k)), k);
            result = result is null ? term : F.Add(result, term);
        }

        return result!;
    }

    private static Formula Basis(int dim, int k) => F.ElemT(F.Const(1), dim, k);
}
