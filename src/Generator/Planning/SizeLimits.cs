using KeOpsGen.Generator.Emit;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// Bounds that keep every accepted formula compilable by the C# compiler in bounded time and
/// size; each has its own diagnostic and help page (KEOPS0304, KEOPS0305). The limits on a
/// formula's own arguments and size (KEOPS0115, ...) are the binder's (<see cref="Formulas.Binder"/>).
/// </summary>
internal static class SizeLimits
{
    /// <summary>
    /// Most characters of generated C# per [Reduction] method (forward and gradient methods, CPU
    /// and ILGPU kernels together): a few million characters compile in tens of seconds. Wide
    /// vectors are loops (<see cref="LoopPlan"/>), so a D = 1024 Gaussian with its four gradients
    /// is about as large as a D = 64 one; what can still pass the limit is SoftDTW_SqDist at
    /// D = 48 or 64 (its dynamic program is unrolled, quadratic in D: 15-30 M, many minutes or
    /// never finishing), many variables, and operations with no looped form over wide vectors.
    /// </summary>
    public const int MaxGeneratedCharacters = 10_000_000;

    /// <summary>
    /// Characters each parameter of each generated method costs at the least (its signatures,
    /// docs and checks; kernels carry only the variables they read): measured about 1070 with
    /// five overloads per method (Σ V_2k·V_2k+1 at 100 variables) and about 720 after they became
    /// one options overload (the same sum at 30 variables, GradientOrder = 2: 961 methods, 21.5 M
    /// characters against this bound's 19.0 M), taken lower so that the estimate never rejects a
    /// reduction that would fit.
    /// </summary>
    private const int MinCharactersPerParameter = 600;

    /// <summary>Largest K × dim(F) of the KMin family: the K-lists of one work item stay in cache and every slot index in int.</summary>
    public const int MaxKSlots = 1 << 16;

    /// <summary>The size estimate of <paramref name="methods"/> methods of <paramref name="parameters"/> parameters each.</summary>
    internal static long LowerBound(int methods, int parameters) => (long)methods * parameters * MinCharactersPerParameter;

    /// <summary>
    /// Emits the model once and reports KEOPS0304 on the formula when the source is over
    /// <see cref="MaxGeneratedCharacters"/>; the emission is linear in the formula's bounded
    /// component and node counts (<see cref="Formulas.Binder.MaxComponents"/>), so this stays fast.
    /// The generator's own Emit step makes the same check on the source it writes (Emit/EmitStep).
    /// </summary>
    public static bool Fits(ReductionModel model, ReductionDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        long lowerBound = LowerBound(model);
        long length = lowerBound > MaxGeneratedCharacters ? lowerBound : ApiEmitter.Emit(model).Source.Length;
        string? excess = Excess(model, length, length == lowerBound);
        if (excess is null)
        {
            return true;
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedCodeTooLarge, declaration.FormulaMap.Map(new Span(0, declaration.Formula?.Length ?? 0)), excess));
        return false;
    }

    /// <summary>
    /// Each public method's signatures, docs and checks name every parameter: a lower bound on the size,
    /// from the plan alone, rejects many-variable reductions without emitting 100 MB to measure them.
    /// </summary>
    public static long LowerBound(ReductionModel model)
    {
        long lowerBound = 0;
        foreach (MethodPlan method in model.Methods)
        {
            // A gradient reached through M + "Grad" only names its kernels' variables (the combined method is not counted).
            if (GradientSurface.IsPublic(model, method))
            {
                lowerBound += LowerBound(1, method.Parameters.Count);
            }
        }

        return lowerBound;
    }

    /// <summary>KEOPS0304's message when <paramref name="length"/> characters are over the limit, or null.</summary>
    public static string? Excess(ReductionModel model, long length, bool isLowerBound)
        => length <= MaxGeneratedCharacters ? null : string.Format(CultureInfo.InvariantCulture,
            "This reduction and its {0} method(s) would generate {1}{2:N0} characters of C#, over the limit of {3:N0}; use smaller dimensions, fewer variables, or split the formula",
            model.Methods.Count, isLowerBound ? "at least " : string.Empty, length, MaxGeneratedCharacters);

    /// <summary>Most variables one kernel may read: the capacity of the runtime's <c>KernelSpans</c>, which carries them to the engine.</summary>
    public const int MaxKernelVariables = 128;

    /// <summary>Why a kernel of the reduction reads more variables than <see cref="MaxKernelVariables"/>, or null.</summary>
    public static string? TooManyKernelVariables(ReductionModel model)
    {
        foreach (MethodPlan method in model.Methods)
        {
            KernelPlan k = method.Kernel;
            int count = k.Outer.Count + k.Inner.Count + k.Parameters.Count;
            if (count > MaxKernelVariables)
            {
                return string.Format(CultureInfo.InvariantCulture,
                    "'{0}' reads {1} variables in one kernel, over the limit of {2} a kernel can take; combine variables into fewer, wider ones (Vi(k) instead of k Vi(1)) or split the formula",
                    method.Name, count, MaxKernelVariables);
            }
        }

        return null;
    }
}
