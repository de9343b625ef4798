using KeOpsGen.Generator.Parsing;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// The pure middle of the pipeline: declaration in, model and diagnostics out. Parses and binds
/// the formula and declarations, checks the method signature against them, and plans the kernels
/// (the reduction and its gradients).
/// </summary>
internal static partial class ReductionAnalyzer
{
    /// <summary>
    /// The whole analysis in one call (KernelSolve's operator): the generator's steps, in order,
    /// with the pending diagnostics resolved and the generated size checked.
    /// </summary>
    public static AnalysisResult Analyze(ReductionDeclaration declaration)
    {
        DifferentiatedReduction differentiated = Differentiate(Bind(Parse(declaration)));
        if (differentiated.Plan is null || differentiated.Anchors is null)
        {
            return new AnalysisResult(null, differentiated.Diagnostics) { Stub = differentiated.Stub };
        }

        PlannedReduction planned = Plan(differentiated.Plan);
        var diagnostics = differentiated.Diagnostics.Concat(planned.Pending.Select(differentiated.Anchors.Resolve)).ToList();
        if (!SizeLimits.Fits(planned.Model, declaration, diagnostics))
        {
            return new AnalysisResult(null, diagnostics.ToEquatableArray()) { Stub = Stub(declaration, diagnostics) };
        }

        return new AnalysisResult(planned.Model, diagnostics.ToEquatableArray());
    }

    /// <summary>Parse step: the method's shape and the variable declarations, parsed and checked.</summary>
    public static ParsedReduction Parse(ReductionDeclaration d)
    {
        var diagnostics = new List<DiagnosticInfo>();
        List<VariableDeclaration>? declarations = Guard(d, diagnostics, () => ParseCore(d, diagnostics));
        return new ParsedReduction(d, declarations is not null, (declarations ?? new List<VariableDeclaration>()).ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>Bind step: the formula and weight bound to the declarations, the options and the signature checked.</summary>
    public static BoundReduction Bind(ParsedReduction parsed)
    {
        ReductionDeclaration d = parsed.Declaration;
        if (!parsed.Succeeded)
        {
            return new BoundReduction(d, null, parsed.Diagnostics);
        }

        var diagnostics = parsed.Diagnostics.ToList();
        BoundFormula? bound = Guard(d, diagnostics, () => BindCore(d, parsed.Declarations.ToList(), diagnostics));
        return new BoundReduction(d, bound, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// Differentiate step: the forward method and its gradient methods. Its result is split: the
    /// located part (diagnostics, stub, anchors) and the location-free input of Plan.
    /// </summary>
    public static DifferentiatedReduction Differentiate(BoundReduction bound)
    {
        ReductionDeclaration d = bound.Declaration;
        var diagnostics = bound.Diagnostics.ToList();
        List<MethodPlan>? methods = bound.Bound is { } b ? Guard(d, diagnostics, () => DifferentiateCore(d, b, diagnostics)) : null;
        if (methods is null || bound.Bound is null || diagnostics.Any(x => IsError(x)))
        {
            return new DifferentiatedReduction(diagnostics.ToEquatableArray(), Stub(d, diagnostics), null, null);
        }

        GpuSupport.CheckReachable(d, diagnostics);
        string key = Key(d.Namespace, d.ContainingTypes, d.MethodName);
        // Parameters and types keep no location past this point: a moved method plans and emits as before.
        var located = methods.Select(m => m with { Parameters = m.Parameters.Select(p => p with { Location = default }).ToEquatableArray() });
        var types = d.ContainingTypes.Select(t => t with { HiddenAt = null }).ToEquatableArray();
        var input = new PlanInput(key, d.Namespace, types, d.MethodName, d.Accessibility, bound.Bound.ElementType, bound.Bound.IsHalf,
            d.Formula ?? string.Empty, d.Backend, located.ToEquatableArray()) { GradientOrder = d.GradientOrder };
        var anchors = new MethodAnchors(key, d.MethodLocation, d.FormulaMap.Map(new Span(0, d.Formula?.Length ?? 0)), d.NamedArgumentLocation("Backend"), d.AttributeLocation);
        return new DifferentiatedReduction(diagnostics.ToEquatableArray(), null, input, anchors);
    }

    /// <summary>
    /// Plan step (no source locations): every kernel's lowering (<see cref="KernelLowering"/>) and
    /// backend capability decided, the model every emitter
    /// reads assembled; what it reports waits for its location in <see cref="PendingDiagnostic"/>s.
    /// </summary>
    public static PlannedReduction Plan(PlanInput input)
    {
        var pending = new List<PendingDiagnostic>();
        EquatableArray<MethodPlan> methods = KernelLowerings.PlanMethods(input.Methods, input.ElementType);
        GpuSupport.Check(input.Backend, methods, input.ElementType, pending);
        var model = new ReductionModel(input.Namespace, input.ContainingTypes, input.MethodName, input.Accessibility, input.ElementType, input.FormulaText, methods)
        {
            Backend = input.Backend,
            IsHalf = input.IsHalf,
            GradientOrder = input.GradientOrder,
        };
        return new PlannedReduction(input.Key, model, pending.ToEquatableArray());
    }

    /// <summary>Names one [Reduction] method across the steps (namespace, containing types, name).</summary>
    internal static string Key(string? ns, EquatableArray<ContainingType> types, string method)
        => (ns is null ? string.Empty : ns + ".") + string.Join(".", types.Select(t => t.Name)) + "." + method;

    /// <summary>A generator must never crash the compiler: an internal failure becomes one diagnostic.</summary>
    private static T? Guard<T>(ReductionDeclaration d, List<DiagnosticInfo> diagnostics, System.Func<T?> stage)
        where T : class
    {
        try
        {
            return stage();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, d.AttributeLocation, $"{e.GetType().Name}: {e.Message}"));
            return null;
        }
    }

    /// <summary>
    /// The throwing implementation part for a failed method, when the method is a partial
    /// definition the generator could implement; null when the method itself is malformed (Roslyn
    /// then reports on the user's code whatever it would without the generator).
    /// </summary>
    private static FailedMethodStub? Stub(ReductionDeclaration d, List<DiagnosticInfo> diagnostics)
    {
        bool wellFormed = d.IsStatic && d.IsPartialDefinition && !d.HasImplementation && d.ReturnsVoid && !d.IsGeneric
            && d.ContainingTypes.All(t => t.IsPartial && !t.IsGeneric) && d.Parameters.All(p => !p.IsByRef);
        DiagnosticInfo? error = diagnostics.FirstOrDefault(x => IsError(x));
        if (!wellFormed || error is null)
        {
            return null;
        }

        string message = string.Format(System.Globalization.CultureInfo.InvariantCulture,
            DiagnosticDescriptors.ById(error.Id).MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Arguments.AsArray());
        return new FailedMethodStub(d.Namespace, d.ContainingTypes, d.MethodName, d.Accessibility, d.Parameters, $"{error.Id}: {message}");
    }

    private static bool IsError(DiagnosticInfo d) => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error;

    private static List<VariableDeclaration>? ParseCore(ReductionDeclaration d, List<DiagnosticInfo> diagnostics)
    {
        if (!CheckMethod(d, diagnostics))
        {
            return null;
        }

        if (d.Formula is null)
        {
            // [Reduction(null, ...)]: the squiggle goes on the null argument itself.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyFormula, d.FormulaMap.Whole));
            return null;
        }

        // Declarations.
        var declarations = new List<VariableDeclaration>();
        for (int k = 0; k < d.Variables.Count; k++)
        {
            VariableDeclaration? parsed = DeclarationParser.Parse(d.Variables[k], k, out FormulaDiagnostic? error);
            if (error is not null)
            {
                diagnostics.Add(Map(error, d.VariableMaps[k]));
            }
            else if (parsed is not null)
            {
                declarations.Add(parsed);
            }
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        // Var(pos,dim,cat) written in the formula at an undeclared position declares itself (KeOps).
        List<ImplicitVariable> implicitVariables = CollectImplicitVariables(d, declarations, diagnostics);
        if (diagnostics.Count > 0 || !CheckDeclarations(d, declarations, implicitVariables, diagnostics))
        {
            return null;
        }

        declarations.AddRange(implicitVariables.Select(v => v.Declaration));
        return declarations;
    }

    private static BoundFormula? BindCore(ReductionDeclaration d, List<VariableDeclaration> declarations, List<DiagnosticInfo> diagnostics)
    {
        // Formula.
        var binder = new Binder(declarations);
        Formula? formula = binder.Bind(d.Formula!, out FormulaDiagnostic? formulaError);
        if (formulaError is not null || formula is null)
        {
            if (formulaError is not null)
            {
                diagnostics.Add(Map(formulaError, d.FormulaMap));
            }

            return null;
        }

        var reduction = (Reduction)d.Op;
        if (!CheckOptions(d, reduction, formula, diagnostics) || !CheckGradientOrder(d, reduction, diagnostics))
        {
            return null;
        }

        // The weight G of LogSumExp / SumSoftMaxWeight: bound with the same declarations, its
        // diagnostics pointing into the Weight string.
        Formula? weight = null;
        if (d.Weight is not null)
        {
            weight = binder.Bind(d.Weight, out FormulaDiagnostic? weightError);
            if (weightError is not null || weight is null)
            {
                if (weightError is not null)
                {
                    diagnostics.Add(Map(weightError, d.WeightMap ?? new SourceMap(d.NamedArgumentLocation("Weight"), EquatableArray<LocationInfo>.Empty)));
                }

                return null;
            }
        }

        foreach (VariableDeclaration v in declarations)
        {
            if (v.Index >= 0 && !binder.UsedPositions.Contains(v.Position))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedVariable,
                    d.VariableMaps[v.Index].Map(v.Name is null ? v.CategorySpan : v.NameSpan), v.Name ?? d.Variables[v.Index]));
            }
        }

        // Signature binding: declaration k <-> parameter k, then the output(s).
        OutputShape shape = Outputs(reduction, formula.Dim, weight?.Dim ?? 0, d.K);
        string? elementType = BindSignature(d, declarations, reduction, shape, diagnostics);
        if (elementType is null)
        {
            return null;
        }

        // Half spans are storage only: everything is planned, and every kernel compiled, in float.
        bool half = elementType == HalfElement;
        elementType = half ? "float" : elementType;

        var reducedCategory = d.Axis == 1 ? VariableCategory.J : VariableCategory.I;
        if (!declarations.Any(v => v.Category == reducedCategory))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoReducedVariable, d.MethodLocation,
                $"Axis = {d.Axis} reduces over {(d.Axis == 1 ? "j" : "i")}, but no variable is declared {(d.Axis == 1 ? "Vj" : "Vi")}: the number of terms would be unknown"));
            return null;
        }

        var variables = declarations.OrderBy(v => v.Position)
            .Select(v => new VariableModel(v.Name, d.Parameters[v.Position].Name, v.Category, v.Dim, v.Position))
            .ToEquatableArray();
        return new BoundFormula(formula, weight, variables, elementType, half);
    }

    private static List<MethodPlan> DifferentiateCore(ReductionDeclaration d, BoundFormula bound, List<DiagnosticInfo> diagnostics)
    {
        Formula formula = bound.Formula;
        Formula? weight = bound.Weight;
        string elementType = bound.ElementType;
        var reduction = (Reduction)d.Op;
        OutputShape shape = Outputs(reduction, formula.Dim, weight?.Dim ?? 0, d.K);
        List<VariableModel> variables = bound.Variables.ToList();
        var methods = new List<MethodPlan>();
        int firstOutput = variables.Count;
        string? valuesParameter = shape.ValueWidth > 0 ? d.Parameters[firstOutput].Name : null;
        string? indexParameter = shape.IndexWidth > 0 ? d.Parameters[firstOutput + (shape.ValueWidth > 0 ? 1 : 0)].Name : null;

        // The shift-exp family with a weight runs one kernel over Concat(F, G): the engine reads
        // the first value as F and the rest as G. Forward and Weight stay separate for gradients.
        Formula kernelFormula = weight is not null ? F.Concat(formula, weight) : formula;
        methods.Add(new MethodPlan(
            d.MethodName,
            IsUserPartial: true,
            new MethodDoc(MethodDocKind.Reduction, reduction.ToString(), d.Formula!) { Weight = d.Weight },
            d.Parameters,
            variables.ToEquatableArray(),
            Plan(d.MethodName, kernelFormula, variables, d.Axis),
            d.Axis,
            d.Op,
            d.K,
            d.SumScheme,
            d.Accumulation,
            valuesParameter,
            shape.ValueWidth,
            SumOverRows: false)
        {
            IndexParameter = indexParameter,
            IndexWidth = shape.IndexWidth,
            Forward = formula,
            Weight = weight,
            Blocked = BlockedKnnPlan.Recognize(reduction, formula, weight, d.Axis, d.K, elementType, bound.IsHalf),
        });

        // Gradients on request (GradientOrder >= 1): KeOps compiles a gradient only when backward
        // first needs it; at build time the user asks, and a reduction without them costs only its
        // forward kernel (gradient code was ~80% of the generated source).
        if (d.GradientOrder == 0)
        {
            return methods;
        }

        if (ReductionRegistry.Get(d.Op).Gradient == GradientRule.Sum)
        {
            AddGradients(d, formula, variables, elementType, methods, diagnostics);
            if (d.GradientOrder == 2)
            {
                AddSecondOrderGradients(d, formula, variables, elementType, methods, diagnostics);
            }
        }
        else
        {
            AddReductionGradients(d, reduction, formula, weight, variables, elementType, methods, diagnostics);
        }

        return methods;
    }

    /// <summary>
    /// For each input p: M + "Grad" + PascalCase(p), the vector-Jacobian product of the reduction
    /// with respect to p. An i-variable's gradient reduces over j and a j-variable's over i; a
    /// parameter's is reduced over j and then summed over all i rows.
    /// </summary>
    private static void AddGradients(ReductionDeclaration d, Formula formula, List<VariableModel> variables, string elementType, List<MethodPlan> methods, List<DiagnosticInfo> diagnostics)
    {
        (VariableCategory outerCategory, Formula e, VariableModel gradVariable) = SumAdjoint(d, formula, variables);
        string resultName = UniqueName("result", variables.Select(v => v.ParameterName).Concat(new[] { gradVariable.ParameterName }));
        var allVariables = variables.Concat(new[] { gradVariable }).ToList();
        foreach (VariableModel v in variables)
        {
            string name = d.MethodName + "Grad" + Pascal(v.ParameterName);
            if (GradientOrReport(d, diagnostics, name, formula, v, e) is not { } gradient)
            {
                continue;
            }

            int axis = v.Category switch
            {
                VariableCategory.I => 1,
                VariableCategory.J => 0,
                _ => outerCategory == VariableCategory.I ? 1 : 0,
            };
            methods.Add(SumGradientMethod(d, elementType, name, new MethodDoc(MethodDocKind.SumGradient, nameof(Reduction.Sum), d.MethodName) { WithRespectTo = v.ParameterName },
                variables.Count, new[] { gradVariable.ParameterName }, resultName, allVariables, gradient, axis, v));
        }
    }

    /// <summary>
    /// The kernel of <paramref name="formula"/>: only the variables it reads (and
    /// <paramref name="keep"/>, a position the engine writes to), so that a gradient kernel of a
    /// many-variable reduction does not carry every variable. The method's checks still cover all
    /// of its variables (Emit/MethodVariables); the engine gets the row counts from those.
    /// </summary>
    internal static KernelPlan Plan(string methodName, Formula formula, IEnumerable<VariableModel> variables, int axis, int keep = -1)
    {
        VariableCategory outer = axis == 1 ? VariableCategory.I : VariableCategory.J;
        var read = new HashSet<int>(formula.PostOrder().Where(n => n.IsVariable).Select(n => n.VariablePosition)) { keep };
        var list = variables.Where(v => read.Contains(v.Position)).ToList();
        return new KernelPlan(
            "__KeOpsKernel_" + methodName,
            formula,
            list.Where(v => v.Category == outer).ToEquatableArray(),
            list.Where(v => v.Category != outer && v.Category != VariableCategory.Parameter).ToEquatableArray(),
            list.Where(v => v.Category == VariableCategory.Parameter).ToEquatableArray())
        {
            Axis = axis,
        };
    }

    private static bool CheckMethod(ReductionDeclaration d, List<DiagnosticInfo> diagnostics)
    {
        string? problem = MethodShape.Problem(d, "Reduction", "void", d.ReturnsVoid ? null : "must return void; results go to the output span");
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMethod, d.MethodLocation, problem));
            return false;
        }

        if (d.IsOverloaded)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OverloadedReduction, d.MethodLocation, d.MethodName));
            return false;
        }

        return true;
    }

    private static bool CheckDeclarations(ReductionDeclaration d, List<VariableDeclaration> declarations, List<ImplicitVariable> implicitVariables, List<DiagnosticInfo> diagnostics)
    {
        var names = new Dictionary<string, VariableDeclaration>(StringComparer.Ordinal);
        var positions = new Dictionary<int, VariableDeclaration>();
        foreach (VariableDeclaration v in declarations)
        {
            if (v.Name is not null)
            {
                if (names.TryGetValue(v.Name, out VariableDeclaration? first))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDeclaration, d.VariableMaps[v.Index].Map(v.NameSpan),
                        $"Variable '{v.Name}' is declared twice (declarations {first.Index + 1} and {v.Index + 1})"));
                    continue;
                }

                if (OperationTable.TryGet(v.Name, out _) || v.Name == "Var")
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDeclaration, d.VariableMaps[v.Index].Map(v.NameSpan),
                        $"Variable name '{v.Name}' is the name of an operation; choose another name"));
                    continue;
                }

                names.Add(v.Name, v);
            }

            if (positions.TryGetValue(v.Position, out VariableDeclaration? samePosition))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDeclaration, d.VariableMaps[v.Index].Map(v.PositionSpan),
                    $"Position {v.Position} is used by declarations {samePosition.Index + 1} and {v.Index + 1}; each position binds one parameter"));
                continue;
            }

            positions.Add(v.Position, v);
        }

        // Undeclared Var(pos,dim,cat) uses fill positions too; one out of range was reported where it is written.
        int total = declarations.Count + implicitVariables.Count;
        for (int p = 0; p < total && diagnostics.Count == 0; p++)
        {
            VariableDeclaration? offender = declarations.FirstOrDefault(v => v.Position >= total);
            if (!positions.ContainsKey(p) && !implicitVariables.Any(v => v.Declaration.Position == p) && offender is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDeclaration, d.VariableMaps[offender.Index].Map(offender.PositionSpan),
                    $"Positions must run from 0 to {total - 1} (one per parameter), but position {p} has no declaration and {offender.Position} is out of range"));
            }
        }

        return diagnostics.Count == 0;
    }

    private static bool CheckOptions(ReductionDeclaration d, Reduction reduction, Formula formula, List<DiagnosticInfo> diagnostics)
    {
        string? problem = null;
        string location = "Op";
        if (d.Axis != 0 && d.Axis != 1)
        {
            problem = $"Axis must be 0 (reduce over i) or 1 (reduce over j), found {d.Axis}";
            location = "Axis";
        }
        else if (ReductionRegistry.Find(d.Op) is null)
        {
            problem = $"Unknown reduction {d.Op}";
        }
        else if (IsKMin(reduction) && d.K < 1)
        {
            problem = $"{reduction} needs K >= 1 (the number of smallest values kept), found K = {d.K}";
            // Without a K argument, the Op that asks for one is what to fix.
            location = d.NamedArguments.Any(a => a.Name == "K") ? "K" : "Op";
        }
        else if (IsKMin(reduction) && (long)d.K * formula.Dim > SizeLimits.MaxKSlots)
        {
            problem = $"K = {d.K} with a formula of dimension {formula.Dim} keeps {(long)d.K * formula.Dim} values per row, over the limit of {SizeLimits.MaxKSlots} (K × dim(F)); KMin keeps sorted lists, so use a smaller K";
            location = "K";
        }
        else if (!IsKMin(reduction) && d.K != 0)
        {
            problem = $"K is only meaningful for KMin, ArgKMin and KMinArgKMin, not {reduction}";
            location = "K";
        }
        else if (d.Weight is not null && ReductionRegistry.Get(d.Op).Weight == WeightUse.None)
        {
            problem = $"Weight is only meaningful for LogSumExp, SumSoftMaxWeight and MaxSumShiftExpWeight, not {reduction}";
            location = "Weight";
        }
        else if (d.Weight is null && ReductionRegistry.Get(d.Op).Weight == WeightUse.Required)
        {
            problem = ReductionRegistry.Get(d.Op).WeightRequiredMessage;
        }
        else if (!IsSumType(reduction) && d.SumScheme != 0)
        {
            problem = $"SumScheme only applies to Sum, LogSumExp, MaxSumShiftExp(Weight) and SumSoftMaxWeight, not {reduction}";
            location = "SumScheme";
        }
        else if (!IsSumType(reduction) && d.Accumulation != 0)
        {
            problem = $"Accumulation only applies to Sum, LogSumExp, MaxSumShiftExp(Weight) and SumSoftMaxWeight, not {reduction}";
            location = "Accumulation";
        }
        else if (d.SumScheme < 0 || d.SumScheme > 3)
        {
            problem = $"Unknown SumScheme {d.SumScheme}";
            location = "SumScheme";
        }
        else if (d.Accumulation < 0 || d.Accumulation > 2)
        {
            problem = $"Unknown Accumulation {d.Accumulation}";
            location = "Accumulation";
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReductionOption, d.NamedArgumentLocation(location), problem));
            return false;
        }

        if (IsShiftExp(reduction) && formula.Dim != 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReductionOption, d.FormulaMap.Map(new Span(0, d.Formula?.Length ?? 0)),
                $"{reduction} needs a scalar formula, but this one has dimension {formula.Dim}"));
            return false;
        }

        return true;
    }

    private static bool IsKMin(Reduction r) => ReductionRegistry.Get((int)r).UsesK;

    private static bool IsShiftExp(Reduction r) => ReductionRegistry.Get((int)r).ScalarFormula;

    internal static bool IsSumType(Reduction r) => ReductionRegistry.Get((int)r).SumType;

    internal static OutputShape Outputs(Reduction reduction, int formulaDim, int weightDim, int k) => ReductionRegistry.Get((int)reduction).Outputs(formulaDim, weightDim, k);

    /// <summary>Checks parameters against declarations; returns the element type, or null after reporting.</summary>
    private static string? BindSignature(ReductionDeclaration d, List<VariableDeclaration> declarations, Reduction reduction, OutputShape shape, List<DiagnosticInfo> diagnostics)
    {
        int outputs = (shape.ValueWidth > 0 ? 1 : 0) + (shape.IndexWidth > 0 ? 1 : 0);
        int expected = declarations.Count + outputs;
        if (d.Parameters.Count != expected)
        {
            string list = string.Join(", ", declarations.OrderBy(v => v.Position).Select(v => $"{v.Name ?? "Var" + v.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({Category(v.Category)}({v.Dim}))"));
            string tail = outputs == 2 ? "then the outputs Span<T> values and Span<int> indices" : shape.IndexWidth > 0 ? "then the output Span<int> indices" : "then the output Span<T>";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterCountMismatch, d.MethodLocation,
                $"'{d.MethodName}' declares {declarations.Count} variable(s) [{list}] and so needs {expected} parameters for {reduction} (one ReadOnlySpan<T> per variable, in declaration order, {tail}), but has {d.Parameters.Count}"));
            return null;
        }

        string? elementType = null;
        foreach (VariableDeclaration v in declarations.OrderBy(v => v.Position))
        {
            ParameterInfo p = d.Parameters[v.Position];
            bool scalarParameterOk = v.Category == VariableCategory.Parameter && v.Dim == 1 && p.Shape == ParameterShape.Scalar;
            if ((p.Shape != ParameterShape.ReadOnlySpan && !scalarParameterOk) || p.IsByRef || (p.ElementType != "float" && p.ElementType != "double" && p.ElementType != HalfElement))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterTypeMismatch, p.Location,
                    $"Parameter '{p.Name}' binds variable {v.Name ?? "#" + v.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)} = {Category(v.Category)}({v.Dim}) and must be ReadOnlySpan<float>, ReadOnlySpan<double> or ReadOnlySpan<System.Half>{(v.Category == VariableCategory.Parameter && v.Dim == 1 ? " (or a plain float/double)" : string.Empty)}, found {p.DisplayType}"));
                return null;
            }

            if (elementType is not null && p.ElementType != elementType)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterTypeMismatch, p.Location,
                    $"Parameter '{p.Name}' has element type {p.ElementType} but earlier parameters use {elementType}; all variables and the output share one element type"));
                return null;
            }

            elementType = p.ElementType;
        }

        int next = declarations.Count;
        if (shape.ValueWidth > 0)
        {
            ParameterInfo output = d.Parameters[next++];
            elementType ??= output.ElementType;
            if (output.Shape != ParameterShape.Span || output.IsByRef || output.ElementType != elementType)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterTypeMismatch, output.Location,
                    $"Parameter '{output.Name}' receives the {reduction} values (rows × {shape.ValueWidth}) and must be Span<{elementType ?? "float"}>, found {output.DisplayType}"));
                return null;
            }
        }

        if (shape.IndexWidth > 0)
        {
            ParameterInfo output = d.Parameters[next];
            if (output.Shape != ParameterShape.Span || output.IsByRef || output.ElementType != "int")
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterTypeMismatch, output.Location,
                    $"Parameter '{output.Name}' receives the {reduction} indices (rows × {shape.IndexWidth}) and must be Span<int>, found {output.DisplayType}"));
                return null;
            }

            // With indices only and no variable parameters, nothing fixes the element type.
            elementType ??= "float";
        }

        return elementType == "float" || elementType == "double" || elementType == HalfElement ? elementType : null;
    }

    /// <summary>How the generator spells System.Half as a parameter's element type.</summary>
    private const string HalfElement = "System.Half";

    private static DiagnosticInfo Map(FormulaDiagnostic error, SourceMap map)
        => new(error.Descriptor.Id, map.Map(error.Span), new EquatableArray<string>(error.Arguments));

    private static string Category(VariableCategory category) => category switch
    {
        VariableCategory.I => "Vi",
        VariableCategory.J => "Vj",
        _ => "Pm",
    };

    private static string UniqueName(string name, IEnumerable<string> taken)
    {
        var set = new HashSet<string>(taken, StringComparer.Ordinal);
        string candidate = name;
        for (int k = 2; set.Contains(candidate); k++)
        {
            candidate = name + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    internal static string Pascal(string name)
    {
        string trimmed = name.TrimStart('@', '_');
        return trimmed.Length == 0 ? name : char.ToUpperInvariant(trimmed[0]) + trimmed.Substring(1);
    }
}
