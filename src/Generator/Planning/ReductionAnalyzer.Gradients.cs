using KeOpsGen.Generator.Differentiation;

namespace KeOpsGen.Generator.Planning;

/// <summary>Gradient methods of the reductions other than Sum.</summary>
internal static partial class ReductionAnalyzer
{
    /// <summary>Values of KeOpsGen.Cpu.PairGradientTarget.</summary>
    private const int OuterRowTarget = 0;
    private const int InnerRowTarget = 1;
    private const int TotalTarget = 2;

    /// <summary>
    /// M + "Grad" + Pascal(p) for the LogSumExp family and the selecting reductions, each starting
    /// with a forward pass whose result (one row per output row) the gradient kernel reads.
    /// <list type="bullet">
    /// <item>LogSumExp, weighted or not, and SumSoftMaxWeight: a Sum kernel whose formula reads the
    /// saved forward through an extra outer variable S, reduced like a Sum gradient.</item>
    /// <item>Min, Max, MinArgMin, MaxArgMax, KMin, KMinArgKMin: out_ik = F_k(i, j*_ik), so the
    /// gradient is Grad(F, v, g_ik e_k) at the selected pairs only, with the adjoint E a parameter
    /// the engine sets per pair.</item>
    /// </list>
    /// MaxSumShiftExpWeight gets KeOps's gradient of the raw pair (the shift m held constant).
    /// ArgMin, ArgMax and ArgKMin are piecewise constant (zero gradient, as in KeOps) and
    /// MaxSumShiftExp is an intermediate whose only KeOps gradient is valid after finalization:
    /// none of them gets gradient methods.
    /// </summary>
    private static void AddReductionGradients(ReductionDeclaration d, Reduction reduction, Formula formula, Formula? weight, List<VariableModel> variables, string elementType, List<MethodPlan> methods, List<DiagnosticInfo> diagnostics)
    {
        GradientRule rule = ReductionRegistry.Get((int)reduction).Gradient;
        bool selecting = rule == GradientRule.SelectedPairs;
        bool shiftExp = rule == GradientRule.SavedForward;
        if (!selecting && !shiftExp)
        {
            return;
        }

        VariableCategory outerCategory = d.Axis == 1 ? VariableCategory.I : VariableCategory.J;
        string gradName = UniqueName("gradOutput", variables.Select(v => v.ParameterName));
        string resultName = UniqueName("result", variables.Select(v => v.ParameterName).Concat(new[] { gradName }));
        int gradPosition = variables.Count;
        KernelPlan forwardKernel = methods[0].Kernel;
        OutputShape shape = Outputs(reduction, formula.Dim, weight?.Dim ?? 0, d.K);

        Formula adjointVariable;
        VariableModel gradVariable;
        VariableModel? saved = null;
        Formula differentiated;
        Formula adjoint;
        if (selecting)
        {
            // The engine writes g_ik on component k of E at each selected pair (i, j*_ik).
            adjointVariable = F.Var(gradPosition, formula.Dim, VariableCategory.Parameter, gradName);
            gradVariable = new VariableModel(gradName, gradName, VariableCategory.Parameter, formula.Dim, gradPosition);
            differentiated = formula;
            adjoint = adjointVariable;
        }
        else
        {
            int width = shape.ValueWidth;
            int savedWidth = reduction == Reduction.SumSoftMaxWeight ? 1 + width : width;
            string savedName = UniqueName("forward", variables.Select(v => v.ParameterName).Concat(new[] { gradName, resultName }));
            Formula g = F.Var(gradPosition, width, outerCategory, gradName);
            Formula s = F.Var(gradPosition + 1, savedWidth, outerCategory, savedName);
            gradVariable = new VariableModel(gradName, gradName, outerCategory, width, gradPosition);
            saved = new VariableModel(savedName, savedName, outerCategory, savedWidth, gradPosition + 1);
            adjointVariable = g;
            if (weight is null)
            {
                // out = log Σ e^F: ∂out = Σ e^{F − out} ∂F.
                differentiated = formula;
                adjoint = F.Mult(g, F.Exp(F.Subtract(formula, s)));
            }
            else if (reduction == Reduction.MaxSumShiftExpWeight)
            {
                // KeOps's gradient of the raw pair (m, s), s_k = Σ e^{F − m} G_k: m is held as the
                // constant shift, so ∂⟨g, out⟩ = Σ e^{F − m} ((g_s·G) ∂F + g_s·∂G) and g_m is unused.
                // It is the exact gradient of any use of (m, s) that a shift (m + c, s e^{−c})
                // leaves unchanged (log-sum-exp, softmax), i.e. when g_m = g_s·s; see docs/reductions.md.
                Formula w = F.Mult(F.Extract(g, 1, width - 1), F.Exp(F.Subtract(formula, F.Elem(s, 0))));
                differentiated = F.Concat(formula, weight!);
                adjoint = F.Concat(F.Scalprod(w, weight!), w);
            }
            else if (reduction == Reduction.LogSumExp)
            {
                // out_k = log Σ e^F G_k: ∂out_k = Σ e^{F − out_k} (G_k ∂F + ∂G_k).
                Formula w = F.Mult(g, F.Exp(F.Subtract(formula, s)));
                differentiated = F.Concat(formula, weight);
                adjoint = F.Concat(F.Scalprod(w, weight), w);
            }
            else
            {
                // out = Σ σ G with σ = e^{F − lse}: ∂out = Σ σ (∂G + (G − out) ∂F).
                Formula sigma = F.Exp(F.Subtract(formula, F.Elem(s, 0)));
                Formula output = F.Extract(s, 1, width);
                differentiated = F.Concat(formula, weight);
                adjoint = F.Concat(F.Mult(sigma, F.Scalprod(g, F.Subtract(weight, output))), F.Mult(sigma, g));
            }
        }

        var allVariables = variables.Concat(new[] { gradVariable }).Concat(saved is null ? Enumerable.Empty<VariableModel>() : new[] { saved }).ToList();
        foreach (VariableModel v in variables)
        {
            string name = d.MethodName + "Grad" + Pascal(v.ParameterName);
            if (GradientOrReport(d, diagnostics, name, differentiated, v, adjoint) is not { } gradient)
            {
                continue;
            }

            // Index pairs keep the forward axis (the engine walks its output rows); a saved-value
            // gradient reduces like a Sum gradient: an i-variable's over j, a j-variable's over i.
            int axis = selecting ? d.Axis : v.Category switch
            {
                VariableCategory.I => 1,
                VariableCategory.J => 0,
                _ => d.Axis,
            };
            int target = v.Category == outerCategory ? OuterRowTarget : v.Category == VariableCategory.Parameter ? TotalTarget : InnerRowTarget;
            var parameters = d.Parameters.Take(variables.Count)
                .Concat(new[]
                {
                    new ParameterInfo(gradName, ParameterShape.ReadOnlySpan, elementType, $"global::System.ReadOnlySpan<{elementType}>", false, d.MethodLocation),
                    new ParameterInfo(resultName, ParameterShape.Span, elementType, $"global::System.Span<{elementType}>", false, d.MethodLocation),
                })
                .ToEquatableArray();
            methods.Add(new MethodPlan(
                name,
                IsUserPartial: false,
                new MethodDoc(selecting ? MethodDocKind.SelectedPairsGradient : MethodDocKind.ForwardPassGradient, reduction.ToString(), d.MethodName)
                {
                    WithRespectTo = v.ParameterName,
                    Gradient = gradient,
                    Adjoint = gradName,
                    Saved = saved?.Name,
                    SavesSoftMax = reduction == Reduction.SumSoftMaxWeight,
                    SummedOverRows = v.Category == VariableCategory.Parameter,
                },
                parameters,
                allVariables.ToEquatableArray(),
                Plan(name, gradient, allVariables, axis, keep: selecting ? gradPosition : -1) with { ParametersVaryPerEvaluation = selecting },
                axis,
                selecting ? d.Op : (int)Reduction.Sum,
                selecting ? d.K : 0,
                d.SumScheme,
                d.Accumulation,
                resultName,
                v.Dim,
                SumOverRows: !selecting && v.Category == VariableCategory.Parameter)
            {
                Saved = new ForwardPass(forwardKernel, d.Axis, d.Op, d.K, selecting ? shape.ValueWidth : saved!.Dim, saved, formula.Dim, selecting ? target : OuterRowTarget),
            });
        }
    }

    /// <summary>
    /// The vector-Jacobian product of <paramref name="formula"/> with respect to <paramref name="v"/>
    /// contracted with <paramref name="adjoint"/>, or null after KEOPS0114 says why
    /// <paramref name="method"/> is not generated.
    /// </summary>
    private static Formula? GradientOrReport(ReductionDeclaration d, List<DiagnosticInfo> diagnostics, string method, Formula formula, VariableModel v, Formula adjoint)
    {
        try
        {
            return Differentiator.Gradient(formula, F.Var(v.Position, v.Dim, v.Category, v.Name), adjoint);
        }
        catch (NotDifferentiableException error)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNotGenerated, d.MethodLocation, method, error.Message));
            return null;
        }
    }
}
