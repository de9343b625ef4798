namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Methods declared over <c>System.Half</c>: every public overload widens the Half inputs to float
/// (exact), calls a private float twin holding the ordinary generated body (float kernels, the
/// declared or per-call accumulation, the same argument checks and parameter names), and rounds
/// the outputs to Half once. No kernel is ever compiled for Half: the float kernel runs wherever
/// the float method would, so nothing on the CPU engine or a GPU path is Half-specific.
/// </summary>
internal static class HalfEmitter
{
    public const string Half = "global::System.Half";

    public static void EmitMethod(IndentedWriter w, ReductionModel model, MethodPlan method, string generated, string accessibility)
    {
        EquatableArray<ParameterInfo> half = method.Parameters.Select(p => Retype(p, Half)).ToEquatableArray();
        string twin = "__" + method.Name + "Single";
        var floatMethod = method with { Name = twin, Parameters = method.Parameters.Select(p => Retype(p, "float")).ToEquatableArray() };
        string parameters = string.Join(", ", half.Select(p => $"{p.DisplayType} {p.Name}"));
        string arguments = string.Join(", ", half.Select(p => p.Name));
        var halfMethod = method with { Parameters = half };

        if (method.IsUserPartial)
        {
            ApiEmitter.EmitPartialPart(w, accessibility, method.Name, parameters, arguments);
        }

        MethodDocs.Write(w, model, halfMethod, p => Retype(p, Half));
        w.Line(generated);
        w.Open($"{accessibility} void {method.Name}({parameters}, {ApiEmitter.OptionsParameter(method)})");
        var call = new List<string>();
        var narrow = new List<(string Buffer, string Output)>();
        foreach (ParameterInfo p in half)
        {
            string local = "__half" + call.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!IsHalf(p))
            {
                call.Add(p.Name);
            }
            else if (p.Shape == ParameterShape.ReadOnlySpan)
            {
                w.Line($"using var {local} = global::KeOpsGen.Cpu.HalfStorage.Widen({p.Name});");
                call.Add($"{local}.Values");
            }
            else
            {
                w.Line($"using var {local} = global::KeOpsGen.Cpu.HalfStorage.Output({p.Name}.Length);");
                call.Add($"{local}.Values");
                narrow.Add((local, p.Name));
            }
        }

        w.Line($"{twin}({string.Join(", ", call)}, options);");
        foreach ((string buffer, string output) in narrow)
        {
            w.Line($"global::KeOpsGen.Cpu.HalfStorage.Narrow({buffer}, {output});");
        }

        w.Close();
        w.Line();

        // The float body: private, so the public surface stays Half.
        w.Line(generated);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"private static void {twin}({string.Join(", ", floatMethod.Parameters.Select(p => $"{p.DisplayType} {p.Name}"))}, global::KeOpsGen.ReductionOptions? options)");
        ApiEmitter.EmitBody(w, model, floatMethod);
        w.Close();
    }

    /// <summary>Value spans carry the element type (Half to the user, float to the kernels); index spans stay int.</summary>
    private static bool IsHalf(ParameterInfo p) => p.ElementType is "float" or "System.Half" && p.Shape != ParameterShape.Scalar;

    private static ParameterInfo Retype(ParameterInfo p, string element)
    {
        if (!IsHalf(p))
        {
            return p;
        }

        string span = p.Shape == ParameterShape.ReadOnlySpan ? "global::System.ReadOnlySpan" : "global::System.Span";
        return p with { ElementType = element == Half ? "System.Half" : element, DisplayType = $"{span}<{element}>" };
    }
}
