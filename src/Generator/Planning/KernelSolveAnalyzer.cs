using KeOpsGen.Generator.Parsing;

namespace KeOpsGen.Generator.Planning;

/// <summary>All that is emitted for one [KernelSolve] method.</summary>
/// <param name="Operator">The linear operator K·v as a generated Sum reduction named <c>{Method}Operator</c> (with its gradients), emitted by <see cref="Emit.ApiEmitter"/>.</param>
/// <param name="Parameters">The user's declared parameters: variables, alpha, solution, optional options.</param>
/// <param name="VariableCount">How many of <paramref name="Parameters"/> are variables.</param>
/// <param name="UnknownPosition">Parameter index of the right-hand side (the unknown's slot).</param>
/// <param name="UnknownDim">E: values per row of the right-hand side and the solution.</param>
/// <param name="DeclaresOptions">The declaration ends with a KernelSolveOptions parameter (the overload is then the one without).</param>
/// <param name="IndependentColumns">K acts on B as c(x_i, y_j)·B_j with a scalar c, so the E columns are separate systems.</param>
/// <param name="Gradients">(variable parameter name, operator gradient method) for each differentiable input other than the unknown.</param>
internal sealed record KernelSolveModel(
    ReductionModel Operator,
    string MethodName,
    string Accessibility,
    string ReturnType,
    EquatableArray<ParameterInfo> Parameters,
    int VariableCount,
    int UnknownPosition,
    int UnknownDim,
    bool DeclaresOptions,
    bool IndependentColumns,
    EquatableArray<(string Parameter, string Method)> Gradients);

/// <summary>The result of analysing a [KernelSolve] method.</summary>
/// <param name="Model">What to emit, or null after errors.</param>
/// <param name="Stub">After errors on a well-formed partial definition: emit a throwing body so only the KEOPS error shows.</param>
internal sealed record KernelSolveAnalysis(KernelSolveModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, FailedSolveStub? Stub);

/// <summary>The throwing implementation part of a failed [KernelSolve] method.</summary>
internal sealed record FailedSolveStub(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodName,
    string Accessibility,
    string ReturnType,
    EquatableArray<ParameterInfo> Parameters,
    string Message);

/// <summary>
/// Plans a [KernelSolve] method: checks the solve-specific signature, then runs the ordinary
/// reduction pipeline on a synthetic Sum declaration <c>{Method}Operator(variables..., result)</c>
/// (same formula, declarations, axis and sum options) and checks that the formula is linear in
/// the unknown.
/// </summary>
internal static class KernelSolveAnalyzer
{
    private const string ResultType = "global::KeOpsGen.KernelSolveResult";
    private const string OptionsType = "global::KeOpsGen.KernelSolveOptions";

    public static KernelSolveAnalysis Analyze(KernelSolveDeclaration declaration)
    {
        var diagnostics = new List<DiagnosticInfo>();
        ReductionDeclaration d = declaration.Core;
        try
        {
            KernelSolveModel? model = AnalyzeCore(declaration, diagnostics);
            if (model is not null && !diagnostics.Any(IsError))
            {
                return new KernelSolveAnalysis(model, diagnostics.ToEquatableArray(), null);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, d.AttributeLocation, $"{e.GetType().Name}: {e.Message}"));
        }

        return new KernelSolveAnalysis(null, diagnostics.ToEquatableArray(), Stub(declaration, diagnostics));
    }

    private static bool IsError(DiagnosticInfo d) => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error;

    private static FailedSolveStub? Stub(KernelSolveDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        ReductionDeclaration d = declaration.Core;
        bool wellFormed = d.IsStatic && d.IsPartialDefinition && !d.HasImplementation && !d.IsGeneric
            && d.ContainingTypes.All(t => t.IsPartial && !t.IsGeneric) && d.Parameters.All(p => !p.IsByRef);
        DiagnosticInfo? error = diagnostics.FirstOrDefault(IsError);
        if (!wellFormed || error is null)
        {
            return null;
        }

        string message = string.Format(CultureInfo.InvariantCulture,
            DiagnosticDescriptors.ById(error.Id).MessageFormat.ToString(CultureInfo.InvariantCulture), error.Arguments.AsArray());
        return new FailedSolveStub(d.Namespace, d.ContainingTypes, d.MethodName, d.Accessibility, d.ReturnsVoid ? "void" : declaration.ReturnType, d.Parameters, $"{error.Id}: {message}");
    }

    private static KernelSolveModel? AnalyzeCore(KernelSolveDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        ReductionDeclaration d = declaration.Core;
        if (!CheckMethod(declaration, diagnostics) || d.Formula is null)
        {
            return null;
        }

        // The unknown among the declarations (parsing errors are reported by the reduction pass).
        var declarations = new List<VariableDeclaration>();
        for (int k = 0; k < d.Variables.Count; k++)
        {
            VariableDeclaration? parsed = DeclarationParser.Parse(d.Variables[k], k, out FormulaDiagnostic? error);
            if (parsed is not null && error is null)
            {
                declarations.Add(parsed);
            }
        }

        bool declarationsParsed = declarations.Count == d.Variables.Count;
        int count = d.Variables.Count;
        if (!CheckSignature(d, count, diagnostics, out bool declaresOptions))
        {
            return null;
        }

        // The solve's gradients are first order only: a second order would differentiate the
        // solver itself, not just its operator.
        if (d.GradientOrder is not (0 or 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedGradientOrder, d.NamedArgumentLocation("GradientOrder"),
                $"GradientOrder of a [KernelSolve] method must be 0 (no gradient methods, the default) or 1 (the gradients of the solve), found {d.GradientOrder}"));
            return null;
        }

        // The operator K·v: the same formula as a Sum reduction over the variables, into the solution.
        var operatorParameters = d.Parameters.Take(count).Concat(new[] { d.Parameters[count + 1] }).ToEquatableArray();
        ReductionDeclaration synthetic = d with
        {
            MethodName = d.MethodName + "Operator",
            IsPartialDefinition = true,
            HasImplementation = false,
            ReturnsVoid = true,
            IsOverloaded = false,
            Parameters = operatorParameters,
            Op = 0,
            K = 0,
            Weight = null,
            WeightMap = null,
        };
        AnalysisResult reduction = ReductionAnalyzer.Analyze(synthetic);
        diagnostics.AddRange(reduction.Diagnostics);
        if (reduction.Model is null || !declarationsParsed)
        {
            return null;
        }

        VariableDeclaration? unknown = declarations.FirstOrDefault(v => v.Name == declaration.Unknown)
            ?? declarations.FirstOrDefault(v => v.Name is null && d.Variables[v.Index].Replace(" ", string.Empty) == declaration.Unknown.Replace(" ", string.Empty));
        LocationInfo unknownLocation = d.NamedArgumentLocation("Variable");
        if (unknown is null)
        {
            string names = string.Join(", ", declarations.Select(v => v.Name ?? d.Variables[v.Index]));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveUnknownNotDeclared, unknownLocation,
                $"The unknown '{declaration.Unknown}' (Variable = \"{declaration.Unknown}\"{(d.NamedArguments.Any(a => a.Name == "Variable") ? string.Empty : ", the default")}) is not one of the declared variables [{names}]"));
            return null;
        }

        VariableCategory reduced = d.Axis == 1 ? VariableCategory.J : VariableCategory.I;
        if (unknown.Category != reduced)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveUnknownWrongAxis, d.VariableMaps[unknown.Index].Map(unknown.CategorySpan),
                $"With Axis = {d.Axis} the operator sums over {(d.Axis == 1 ? "j" : "i")}, so the unknown '{declaration.Unknown}' must be declared {(d.Axis == 1 ? "Vj" : "Vi")}, not {Category(unknown.Category)}"));
            return null;
        }

        MethodPlan forward = reduction.Model.Methods[0];
        Formula formula = forward.Forward!;
        LocationInfo formulaLocation = d.FormulaMap.Map(new Span(0, d.Formula.Length));
        Linearity linearity = Linearity.Of(formula, unknown.Position);
        if (linearity.Kind == LinearKind.Free)
        {
            // This error says more than the reduction pass's "unused variable" warning for the unknown.
            diagnostics.RemoveAll(x => x.Id == DiagnosticDescriptors.UnusedVariable.Id && x.Arguments.Count > 0 && x.Arguments[0] == declaration.Unknown);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveUnknownUnused, formulaLocation,
                $"The formula does not depend on the unknown '{declaration.Unknown}', so (alpha·I + K) x = b has no K·x term; the formula must be linear in '{declaration.Unknown}', e.g. Exp(-G*SqDist(X,Y))*{declaration.Unknown}"));
            return null;
        }

        if (linearity.Kind == LinearKind.NonLinear)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveNotLinear, formulaLocation,
                $"The formula must be linear in the unknown '{declaration.Unknown}': {linearity.Reason}"));
            return null;
        }

        if (formula.Dim != unknown.Dim)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveNotSquare, formulaLocation,
                $"The formula has dimension {formula.Dim} but the unknown '{declaration.Unknown}' has dimension {unknown.Dim}: K·x must be shaped like x for (alpha·I + K) x = b"));
            return null;
        }

        string unknownParameter = d.Parameters[unknown.Position].Name;
        var gradients = reduction.Model.Methods.Skip(1)
            .Select(m => (Parameter: d.Parameters.Take(count).FirstOrDefault(p => m.Name == synthetic.MethodName + "Grad" + ReductionAnalyzer.Pascal(p.Name))?.Name, Method: m.Name))
            .Where(g => g.Parameter is not null && g.Parameter != unknownParameter)
            .Select(g => (g.Parameter!, g.Method))
            .ToEquatableArray();
        return new KernelSolveModel(
            reduction.Model,
            d.MethodName,
            d.Accessibility,
            declaration.ReturnType,
            d.Parameters,
            count,
            unknown.Position,
            unknown.Dim,
            declaresOptions,
            unknown.Dim == 1 || linearity.Scaled,
            gradients);
    }

    private static bool CheckMethod(KernelSolveDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        ReductionDeclaration d = declaration.Core;
        string? problem = MethodShape.Problem(
            d,
            "KernelSolve",
            "KernelSolveResult",
            d.ReturnsVoid || declaration.ReturnType != ResultType
                ? $"must return KeOpsGen.KernelSolveResult (iterations, residual and status of the solve), found {(d.ReturnsVoid ? "void" : declaration.ReturnType)}"
                : null);
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSolveMethod, d.MethodLocation, problem));
            return false;
        }

        return true;
    }

    /// <summary>variables..., double alpha, Span&lt;T&gt; result [, KernelSolveOptions options].</summary>
    private static bool CheckSignature(ReductionDeclaration d, int count, List<DiagnosticInfo> diagnostics, out bool declaresOptions)
    {
        declaresOptions = false;
        var p = d.Parameters;
        if (p.Count != count + 2 && p.Count != count + 3)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveParameterMismatch, d.MethodLocation,
                $"'{d.MethodName}' declares {count} variable(s) and so needs {count + 2} parameters (one ReadOnlySpan<T> per variable in declaration order, the unknown's slot receiving the right-hand side, then double alpha, then the solution Span<T>), optionally followed by KernelSolveOptions options, but has {p.Count}"));
            return false;
        }

        ParameterInfo alpha = p[count];
        if (alpha.Shape != ParameterShape.Scalar || alpha.ElementType != "double" || alpha.IsByRef)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveParameterMismatch, alpha.Location,
                $"Parameter '{alpha.Name}' follows the {count} variable(s) and receives alpha of (alpha·I + K) x = b: it must be double, found {alpha.DisplayType}"));
            return false;
        }

        ParameterInfo result = p[count + 1];
        if (result.Shape != ParameterShape.Span || result.IsByRef)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveParameterMismatch, result.Location,
                $"Parameter '{result.Name}' receives the solution (shaped like the right-hand side) and must be Span<float> or Span<double>, found {result.DisplayType}"));
            return false;
        }

        if (p.Count == count + 3)
        {
            ParameterInfo options = p[count + 2];
            if (options.DisplayType.TrimEnd('?') != OptionsType || options.IsByRef)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SolveOptionsParameter, options.Location,
                    $"The parameter after the solution must be KeOpsGen.KernelSolveOptions (tolerance, iteration limit, preconditioner, cancellation), found {options.DisplayType}"));
                return false;
            }

            declaresOptions = true;
        }

        return true;
    }

    private static string Category(VariableCategory category) => category switch
    {
        VariableCategory.I => "Vi",
        VariableCategory.J => "Vj",
        _ => "Pm",
    };
}

/// <summary>How a formula depends on the unknown.</summary>
internal enum LinearKind
{
    /// <summary>Does not depend on it.</summary>
    Free,

    /// <summary>Linear (homogeneous: F(0) = 0, F(a·u + v) = a·F(u) + F(v)).</summary>
    Linear,

    /// <summary>Anything else.</summary>
    NonLinear,
}

/// <summary>
/// The structural linearity rule of KernelSolve, on the bound, simplified IR, read from each
/// operation's <see cref="Operation.Linearity"/>. A node is linear in the unknown B when it is B
/// itself or when
/// <list type="bullet">
/// <item>a linear map (Minus, Sum, SumT, Elem(T), Extract(T), the complex re/im/conj/sum maps) is applied to a linear node;</item>
/// <item>Add, Subtract, Concat (and complex Add/Subtract) combine linear nodes, where zero constants also count as linear;</item>
/// <item>a bilinear product (Mult, Scalprod, MatVecMult, VecMatMult, TensorProd, TensorDot, ComplexMult, ComplexRealScal) has exactly one linear factor, the other free of B;</item>
/// <item>Divide (or ComplexDivide) has a linear numerator and a denominator free of B;</item>
/// <item>IfElse has a condition free of B and linear (or zero) branches.</item>
/// </list>
/// Everything else involving B (B + 1, B*B, Exp(B), B/B, Abs(B), Max(B), ...) is not linear. The rule
/// is sufficient, not necessary (B - B + B would pass and so does its simplified form B; Abs(B)
/// restricted to B ≥ 0 would be linear in practice but is rejected).
/// <see cref="Scaled"/> marks the subset c·B with c a scalar free of B, where each column of B is
/// transformed alike, so E right-hand sides are E separate systems.
/// </summary>
/// <param name="Kind">Free of B, linear in B, or neither.</param>
/// <param name="Scaled">Linear of the form c·B with c a scalar (dim 1) free of B.</param>
/// <param name="Reason">For <see cref="LinearKind.NonLinear"/>: which operation breaks linearity.</param>
internal readonly record struct Linearity(LinearKind Kind, bool Scaled, string Reason)
{
    public static Linearity Of(Formula formula, int unknownPosition)
    {
        var classes = new Dictionary<Formula, Linearity>();
        foreach (Formula node in formula.PostOrder())
        {
            classes[node] = Classify(node, unknownPosition, classes);
        }

        return classes[formula];
    }

    private static Linearity Classify(Formula node, int unknown, Dictionary<Formula, Linearity> classes)
    {
        if (node.IsVariable)
        {
            return node.VariablePosition == unknown ? new Linearity(LinearKind.Linear, true, string.Empty) : Free;
        }

        Linearity[] args = node.Args.Select(a => classes[a]).ToArray();
        foreach (Linearity a in args)
        {
            if (a.Kind == LinearKind.NonLinear)
            {
                return a;
            }
        }

        if (args.All(a => a.Kind == LinearKind.Free))
        {
            return Free;
        }

        Operation op = node.Op;
        string name = op.Name;
        bool keeps = op.KeepsScalarMultiples;
        bool LinearOrZero(int k) => args[k].Kind == LinearKind.Linear || node.Args[k].IsZero;
        bool ScaledOrZero(int k) => (args[k].Kind == LinearKind.Linear && args[k].Scaled) || node.Args[k].IsZero;
        int linearCount = args.Count(a => a.Kind == LinearKind.Linear);
        switch (op.Linearity)
        {
            case LinearRole.Map:
                return new Linearity(LinearKind.Linear, keeps && args[0].Scaled, string.Empty);

            case LinearRole.Additive:
                if (Enumerable.Range(0, args.Length).All(LinearOrZero))
                {
                    return new Linearity(LinearKind.Linear, keeps && Enumerable.Range(0, args.Length).All(ScaledOrZero), string.Empty);
                }

                int free = Enumerable.Range(0, args.Length).First(k => !LinearOrZero(k));
                return NonLinear($"{name}({Text(node.Args[0])}, {Text(node.Args[1])}) adds '{Text(node.Args[free])}', a term without the unknown, so K·0 ≠ 0 (an affine map, not a linear one)");

            case LinearRole.Bilinear:
                if (linearCount == 1)
                {
                    int other = args[0].Kind == LinearKind.Linear ? 1 : 0;
                    return new Linearity(LinearKind.Linear, keeps && args[1 - other].Scaled && IsScalar(node.Args[other]), string.Empty);
                }

                return NonLinear($"{name}({Text(node.Args[0])}, {Text(node.Args[1])}) multiplies two factors that both depend on the unknown (quadratic)");

            case LinearRole.Quotient:
                if (args[0].Kind == LinearKind.Linear && args[1].Kind == LinearKind.Free)
                {
                    return new Linearity(LinearKind.Linear, keeps && args[0].Scaled && IsScalar(node.Args[1]), string.Empty);
                }

                return NonLinear($"'{Text(node)}' divides by an expression of the unknown");

            case LinearRole.Select when args[0].Kind == LinearKind.Free && LinearOrZero(1) && LinearOrZero(2):
                return new Linearity(LinearKind.Linear, keeps && IsScalar(node.Args[0]) && ScaledOrZero(1) && ScaledOrZero(2), string.Empty);
        }

        return NonLinear($"the unknown enters {name}, in '{Text(node)}', which is not a linear operation of it");
    }

    private static readonly Linearity Free = new(LinearKind.Free, false, string.Empty);

    private static Linearity NonLinear(string reason) => new(LinearKind.NonLinear, false, reason);

    /// <summary>A scalar free factor: dim 1, or a scalar broadcast by SumT.</summary>
    private static bool IsScalar(Formula f) => f.Dim == 1 || (f.Op == Ops.SumT && f.Args[0].Dim == 1);

    private static string Text(Formula f)
    {
        string text = f.ToString();
        return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
    }
}
