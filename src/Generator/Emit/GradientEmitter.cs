namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Bodies of the gradient methods that start with a forward pass (LogSumExp family, Min/Max/KMin
/// family): check arguments, run the forward kernel into a pooled buffer, then hand the
/// gradient kernel to the engine. The buffer holds one row per forward output row.
/// </summary>
internal static class GradientEmitter
{
    private const string Engine = "global::KeOpsGen.Cpu.CpuEngine";

    public static void EmitBody(IndentedWriter w, ReductionModel model, MethodPlan method, ForwardPass forward)
    {
        string t = model.ElementType;
        KernelPlan plan = method.Kernel;
        VariableModel? saved = forward.Values;
        VariableModel adjoint = method.Variables[method.Variables.Count - (saved is null ? 1 : 2)];
        var all = MethodVariables.Checked(method);
        var checkedOuter = all.Outer.Where(v => v != saved).ToEquatableArray();
        var checkedInner = all.Inner.Where(v => v != saved).ToEquatableArray();
        string outerCount = ApiEmitter.EmitRowChecks(w, checkedOuter, "__outerRows");
        string innerCount = ApiEmitter.EmitRowChecks(w, checkedInner, "__innerRows");
        foreach (VariableModel v in all.Parameters.Where(v => v != adjoint))
        {
            ParameterInfo p = method.Parameters.First(x => x.Name == v.ParameterName);
            if (p.Shape != ParameterShape.Scalar)
            {
                w.Line($"global::KeOpsGen.Validate.ParameterLength({v.ParameterName}.Length, {v.Dim}, \"{v.ParameterName}\");");
            }
        }

        // Rows of the forward reduction: the gradient kernel of a reduced-side variable runs on the other axis.
        bool sameAxis = method.Axis == forward.Axis;
        string forwardOuter = sameAxis ? outerCount : innerCount;
        string forwardInner = sameAxis ? innerCount : outerCount;
        string result = method.OutputParameter!;
        string gradOutput = adjoint.ParameterName;
        if (saved is null)
        {
            // The adjoint is a kernel parameter here, so no row check has seen gradOutput yet.
            if (forwardOuter.Length == 0)
            {
                forwardOuter = "__outerRows";
                w.Line($"int __outerRows = global::KeOpsGen.Validate.OutputRows({gradOutput}.Length, {forward.Width}, \"{gradOutput}\");");
            }
            else
            {
                w.Line($"global::KeOpsGen.Validate.OutputLength({gradOutput}.Length, {forwardOuter}, {forward.Width}, \"{gradOutput}\");");
            }

            // Index pairs run on the forward axis, so its rows are the gradient kernel's.
            outerCount = forwardOuter;
            string resultRows = forward.Target == 1 ? forwardInner : forwardOuter;
            w.Line(forward.Target == 2
                ? $"global::KeOpsGen.Validate.ParameterLength({result}.Length, {method.OutputWidth}, \"{result}\");"
                : $"global::KeOpsGen.Validate.OutputLength({result}.Length, {resultRows}, {method.OutputWidth}, \"{result}\");");
        }
        else
        {
            w.Line(method.SumOverRows
                ? $"global::KeOpsGen.Validate.ParameterLength({result}.Length, {method.OutputWidth}, \"{result}\");"
                : $"global::KeOpsGen.Validate.OutputLength({result}.Length, {outerCount}, {method.OutputWidth}, \"{result}\");");
        }

        var scalars = new HashSet<VariableModel>();
        foreach (VariableModel v in MethodVariables.Used(method).Where(v => v != saved && (saved is not null || v != adjoint)))
        {
            ParameterInfo p = method.Parameters.First(x => x.Name == v.ParameterName);
            if (p.Shape == ParameterShape.Scalar)
            {
                scalars.Add(v);
                w.Line($"{t} __scalar{v.Position} = {v.ParameterName};");
            }
        }

        // The saved forward values and the adjoint slot are locals (__p + position); every other
        // variable is the caller's span, or a plain scalar as a one-value span.
        string Span(VariableModel v) => scalars.Contains(v) ? ApiEmitter.ScalarSpan(t, v)
            : v == saved || (saved is null && v == adjoint) ? $"__p{v.Position}"
            : v.ParameterName;
        ApiEmitter.EmitKernelInit(w, "__forward", t, forward.Kernel, Span);
        w.Line(ApiEmitter.SettingsLine(method));
        string rowsI = forward.Axis == 1 ? forwardOuter : forwardInner;
        string rowsJ = forward.Axis == 1 ? forwardInner : forwardOuter;
        bool gpu = GpuEmitter.OpenCall(w, model, method, rowsI, rowsJ, v => v == adjoint && saved is null ? gradOutput : Span(v), result, "default");
        string buffer = saved is null ? "int" : t;
        w.Open($"using (var __saved = new global::KeOpsGen.Cpu.PooledBuffer<{buffer}>(checked({forwardOuter} * {forward.Width})))");
        // The forward pass reduces over its own axis, so it reads that axis's half of the ranges.
        string forwardSettings = sameAxis ? "__settings" : $"__settings.ForAxis({(forward.Axis == 1 ? "1" : "0")})";
        string Forward(string entry, string k, string values, string indices)
            => ApiEmitter.ReduceCall(forward.Kernel.KernelName, t, "__forward", entry, forwardOuter, forwardInner, k, values, indices, forwardSettings);
        if (saved is not null)
        {
            w.Line($"global::System.Span<{t}> __p{saved.Position} = __saved.Span;");
            w.Line(Forward(ReductionRegistry.Get(forward.Op).SavedCpuEntry!, "0", $"__p{saved.Position}", "default"));
        }
        else
        {
            // A stack slot for the adjoint: the engine sets it per selected pair.
            w.Line($"global::System.Span<{t}> __p{adjoint.Position} = stackalloc {t}[{adjoint.Dim}];");
            ReductionInfo reduction = ReductionRegistry.Get(forward.Op);
            w.Line(Forward(reduction.CpuEntry, reduction.UsesK ? $"{forward.K}" : "0", "default", "__saved.Span"));
        }

        ApiEmitter.EmitKernelInit(w, "__kernel", t, plan, Span);
        string generic = $"<{plan.KernelName}, {t}>(__kernel, {outerCount}, {innerCount}";
        if (saved is not null)
        {
            w.Line(ApiEmitter.ReduceCall(plan.KernelName, t, "__kernel", method.SumOverRows ? "SumOverRows" : "Sum", outerCount, innerCount, "0", result, "default", "__settings"));
        }
        else
        {
            string target = forward.Target switch
            {
                0 => "OuterRow",
                1 => "InnerRow",
                _ => "Total",
            };
            int offset = plan.OffsetOf(adjoint.Position);
            w.Line($"{Engine}.GradientAtPairs{generic}, __saved.Span, {forward.Width}, {gradOutput}, {offset.ToString(CultureInfo.InvariantCulture)}, {forward.AdjointDim.ToString(CultureInfo.InvariantCulture)}, global::KeOpsGen.Cpu.PairGradientTarget.{target}, {result}, __settings);");
        }

        w.Close();
        if (gpu)
        {
            w.Close();
        }
    }
}
