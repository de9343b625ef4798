using KeOpsGen.Generator.Differentiation;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// GradientOrder = 2: the gradient methods of the gradient methods of a Sum reduction. A
/// first-order method M + "Grad" + P is itself the Sum reduction of G = Grad(F, p, e) over the
/// variables and its gradOutput e; its vector-Jacobian product with respect to each of those
/// inputs q, contracted with an adjoint e2 shaped like p's gradient, is again a Sum reduction:
/// Grad(G, q, e2), reduced by q's category exactly as a first-order gradient is. That is what
/// double backward (PyTorch's create_graph) and Hessian-vector products of a kernel energy need.
/// </summary>
internal static partial class ReductionAnalyzer
{
    private static bool CheckGradientOrder(ReductionDeclaration d, Reduction reduction, List<DiagnosticInfo> diagnostics)
    {
        string? problem = d.GradientOrder is not (0 or 1 or 2)
            ? $"GradientOrder must be 0 (no gradient methods, the default), 1 (the gradient methods {d.MethodName}Grad...) or 2 (also their gradients), found {d.GradientOrder}"
            : d.GradientOrder == 2 && ReductionRegistry.Get((int)reduction).Gradient != GradientRule.Sum
                ? $"GradientOrder = 2 is supported for Sum reductions only, not {reduction}: the gradient methods of {reduction} start with a forward pass whose own derivative is not generated (nest Grad inside a Sum formula instead)"
                : null;
        if (problem is null)
        {
            return true;
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedGradientOrder, d.NamedArgumentLocation("GradientOrder"), problem));
        return false;
    }

    /// <summary>M + "Grad" + Pascal(p) + "Grad" + Pascal(q) for every variable p and every input q of M + "Grad" + Pascal(p).</summary>
    private static void AddSecondOrderGradients(ReductionDeclaration d, Formula formula, List<VariableModel> variables, string elementType, List<MethodPlan> methods, List<DiagnosticInfo> diagnostics)
    {
        // The same gradOutput the first-order methods use, so the second-order ones extend their signatures.
        (VariableCategory outerCategory, Formula e, VariableModel gradVariable) = SumAdjoint(d, formula, variables);
        string gradName = gradVariable.ParameterName;
        string grad2Name = UniqueName("gradOutput2", variables.Select(v => v.ParameterName).Concat(new[] { gradName }));
        string resultName = UniqueName("result", variables.Select(v => v.ParameterName).Concat(new[] { gradName, grad2Name }));
        int gradPosition = variables.Count;
        var firstInputs = variables.Concat(new[] { gradVariable }).ToList();

        foreach (VariableModel p in variables)
        {
            string firstName = d.MethodName + "Grad" + Pascal(p.ParameterName);
            Formula first;
            try
            {
                first = Differentiator.Gradient(formula, F.Var(p.Position, p.Dim, p.Category, p.Name), e);
            }
            catch (NotDifferentiableException)
            {
                // The first-order method is already reported as not generated.
                continue;
            }

            // The adjoint of M Grad P's output: indexed like p (one vector when p is a parameter).
            Formula e2 = F.Var(gradPosition + 1, p.Dim, p.Category, grad2Name);
            var grad2Variable = new VariableModel(grad2Name, grad2Name, p.Category, p.Dim, gradPosition + 1);
            var allVariables = firstInputs.Concat(new[] { grad2Variable }).ToList();
            foreach (VariableModel q in firstInputs)
            {
                string name = firstName + "Grad" + Pascal(q.ParameterName);
                if (GradientOrReport(d, diagnostics, name, first, q, e2) is not { } second)
                {
                    continue;
                }

                // As for a first-order gradient: an i-variable's reduces over j, a j-variable's over
                // i; a parameter's is reduced over the axis of whatever else is indexed, then summed.
                VariableCategory rows = p.Category != VariableCategory.Parameter ? p.Category : outerCategory;
                int axis = q.Category switch
                {
                    VariableCategory.I => 1,
                    VariableCategory.J => 0,
                    _ => rows == VariableCategory.I ? 1 : 0,
                };
                methods.Add(SumGradientMethod(d, elementType, name,
                    new MethodDoc(MethodDocKind.SumGradient, nameof(Reduction.Sum), firstName) { WithRespectTo = q.ParameterName, ContractedWith = grad2Name },
                    variables.Count, new[] { gradName, grad2Name }, resultName, allVariables, second, axis, q));
            }
        }
    }

    /// <summary>
    /// The adjoint of a Sum reduction's output that its gradient methods take: <c>gradOutput</c>
    /// (renamed past the parameters' names), the variable after the declared ones, indexed like
    /// the output rows, one value per formula component.
    /// </summary>
    private static (VariableCategory Outer, Formula Adjoint, VariableModel Variable) SumAdjoint(ReductionDeclaration d, Formula formula, List<VariableModel> variables)
    {
        VariableCategory outer = d.Axis == 1 ? VariableCategory.I : VariableCategory.J;
        string name = UniqueName("gradOutput", variables.Select(v => v.ParameterName));
        int position = variables.Count;
        return (outer, F.Var(position, formula.Dim, outer, name), new VariableModel(name, name, outer, formula.Dim, position));
    }

    /// <summary>
    /// A gradient method computed by one Sum kernel: the first <paramref name="variableCount"/> declared
    /// parameters, the adjoint inputs, then a result shaped like <paramref name="target"/> (summed
    /// over all rows when it is a parameter).
    /// </summary>
    private static MethodPlan SumGradientMethod(ReductionDeclaration d, string elementType, string name, MethodDoc doc, int variableCount, string[] adjoints,
        string resultName, List<VariableModel> allVariables, Formula gradient, int axis, VariableModel target)
    {
        var parameters = d.Parameters.Take(variableCount)
            .Concat(adjoints.Select(a => new ParameterInfo(a, ParameterShape.ReadOnlySpan, elementType, $"global::System.ReadOnlySpan<{elementType}>", false, d.MethodLocation)))
            .Concat(new[] { new ParameterInfo(resultName, ParameterShape.Span, elementType, $"global::System.Span<{elementType}>", false, d.MethodLocation) })
            .ToEquatableArray();
        bool total = target.Category == VariableCategory.Parameter;
        return new MethodPlan(
            name,
            IsUserPartial: false,
            doc with { Gradient = gradient, SummedOverRows = total },
            parameters,
            allVariables.ToEquatableArray(),
            Plan(name, gradient, allVariables, axis),
            axis,
            (int)Reduction.Sum,
            0,
            d.SumScheme,
            d.Accumulation,
            resultName,
            target.Dim,
            SumOverRows: total);
    }
}
