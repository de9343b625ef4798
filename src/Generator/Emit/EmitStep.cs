namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The Emit step's result: the file to add (the generated methods, or the throwing stub when the
/// source would be too large) and the plan's and emission's pending diagnostics.
/// </summary>
internal sealed record EmittedReduction(string Key, ReductionModel Model, string HintName, string Source, bool Fits, EquatableArray<PendingDiagnostic> Pending);

/// <summary>The Emit step: one plan in, one source file out, checked against the size limit it is written to.</summary>
internal static class EmitStep
{
    public static EmittedReduction Emit(PlannedReduction planned)
    {
        ReductionModel model = planned.Model;
        var pending = planned.Pending.ToList();
        if (!GradientSurface.HasPerVariableMethods(model))
        {
            pending.Add(new PendingDiagnostic(DiagnosticDescriptors.PerVariableGradientsReplaced.Id, DiagnosticAnchor.Formula, new EquatableArray<string>(new[]
            {
                model.MethodName,
                GradientSurface.VariableCount(model).ToString(CultureInfo.InvariantCulture),
                GradientSurface.MaxPerVariableMethods.ToString(CultureInfo.InvariantCulture),
            })));
        }

        // A kernel over more variables than the runtime's KernelSpans carries is refused before
        // anything is written: KEOPS0304 with its own message.
        (string HintName, string Source)? emitted = null;
        PendingDiagnostic? failure = SizeLimits.TooManyKernelVariables(model) is { } tooMany
            ? new PendingDiagnostic(DiagnosticDescriptors.GeneratedCodeTooLarge.Id, DiagnosticAnchor.Formula, new EquatableArray<string>(new[] { tooMany }))
            : TryEmit(model, out emitted);
        if (failure is null && emitted is { } file)
        {
            return new EmittedReduction(planned.Key, model, file.HintName, file.Source, true, pending.ToEquatableArray());
        }

        pending.Add(failure!);
        string message = string.Format(CultureInfo.InvariantCulture,
            DiagnosticDescriptors.ById(failure!.Id).MessageFormat.ToString(CultureInfo.InvariantCulture), failure.Arguments.AsArray());
        var stub = new FailedMethodStub(model.Namespace, model.ContainingTypes, model.MethodName, model.Accessibility, model.Methods[0].Parameters, $"{failure.Id}: {message}");
        (string hint, string stubSource) = ApiEmitter.EmitStub(stub);
        return new EmittedReduction(planned.Key, model, hint, stubSource, false, pending.ToEquatableArray());
    }

    /// <summary>Emits the file (and returns null), or says why it cannot be (over the size limit, or an internal failure).</summary>
    private static PendingDiagnostic? TryEmit(ReductionModel model, out (string HintName, string Source)? emitted)
    {
        emitted = null;
        try
        {
            long lowerBound = SizeLimits.LowerBound(model);
            (string HintName, string Source)? source = lowerBound > SizeLimits.MaxGeneratedCharacters ? null : ApiEmitter.Emit(model);
            long length = source?.Source.Length ?? lowerBound;
            string? excess = SizeLimits.Excess(model, length, source is null);
            if (excess is null && source is not null)
            {
                emitted = source;
                return null;
            }

            return new PendingDiagnostic(DiagnosticDescriptors.GeneratedCodeTooLarge.Id, DiagnosticAnchor.Formula, new EquatableArray<string>(new[] { excess! }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A generator must never crash the compiler; an internal failure becomes one diagnostic.
            return new PendingDiagnostic(DiagnosticDescriptors.InternalError.Id, DiagnosticAnchor.Attribute, new EquatableArray<string>(new[] { $"{e.GetType().Name}: {e.Message}" }));
        }
    }

    /// <summary>The pending diagnostics of every method, resolved against the current anchors (matched by key).</summary>
    public static IEnumerable<DiagnosticInfo> Resolve(IEnumerable<(string Key, EquatableArray<PendingDiagnostic> Pending)> pending, IEnumerable<MethodAnchors> anchors)
    {
        var byKey = new Dictionary<string, MethodAnchors>(StringComparer.Ordinal);
        foreach (MethodAnchors a in anchors)
        {
            byKey[a.Key] = a;
        }

        foreach ((string key, EquatableArray<PendingDiagnostic> list) in pending)
        {
            if (byKey.TryGetValue(key, out MethodAnchors? a))
            {
                foreach (PendingDiagnostic p in list)
                {
                    yield return a.Resolve(p);
                }
            }
        }
    }
}
