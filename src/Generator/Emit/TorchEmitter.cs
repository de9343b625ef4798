namespace KeOpsGen.Generator.Emit;

/// <summary>
/// TorchSharp overloads, emitted only when the consuming compilation references TorchSharp: for
/// each [Reduction] method with a value output, an overload on <c>torch.Tensor</c> arguments that
/// returns the result tensor and is a custom autograd function (SingleTensorFunction): forward
/// runs the reduction on the tensors' memory (no copy for contiguous CPU tensors of the element
/// type), backward runs the generated gradient methods for the inputs that require grad.
/// </summary>
internal static class TorchEmitter
{
    private const string Tensor = "global::TorchSharp.torch.Tensor";
    private const string Helpers = "global::KeOpsGen.Interop.TorchArguments";

    public static (string HintName, string Source)? Emit(ReductionModel model)
    {
        MethodPlan? user = model.Methods.FirstOrDefault(m => m.IsUserPartial);
        if (user is null || !Supported(user))
        {
            return null;
        }

        string t = model.ElementType;
        string scalarType = t == "double" ? "global::TorchSharp.torch.ScalarType.Float64" : "global::TorchSharp.torch.ScalarType.Float32";
        string function = "__KeOpsTorch_" + user.Name;
        ParameterInfo[] inputs = user.Parameters.Where(p => p.Shape != ParameterShape.Span).ToArray();
        VariableModel outerVariable = MethodVariables.Checked(user).Outer[0];

        return PartialTypes.File(model, "TorchSharp autograd overload (the project references TorchSharp)", "Torch", w =>
        {
            string signature = string.Join(", ", inputs.Select(p => p.Shape == ParameterShape.Scalar ? $"{p.DisplayType} {p.Name}" : $"{Tensor} {p.Name}"));
            w.Line($"/// <summary>{user.Summary()} TorchSharp form: tensors of shape [rows, dim] ([rows] when dim is 1; [dim] for a Pm) in, the [rows, {user.OutputWidth}] result out, {(model.GradientOrder == 0 ? "forward only (GradientOrder = 0: an input that requires grad is refused)" : "differentiable with torch.autograd (backward runs the generated gradient methods)")}.</summary>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A tensor's shape does not fit its declaration.</exception>");
            w.Line(PartialTypes.GeneratedCode);
            w.Open($"{PartialTypes.Static(model.Accessibility)} {Tensor} {user.Name}({signature})");
            string qualified = string.Join(".", model.ContainingTypes.Select(c => c.Name).Concat(new[] { user.Name }));
            if (model.GradientOrder == 0)
            {
                // No gradient methods were requested: refuse now, naming the fix, rather than when
                // autograd's backward reaches a function that has nothing to call.
                foreach (ParameterInfo p in inputs.Where(p => p.Shape != ParameterShape.Scalar))
                {
                    w.Line($"{Helpers}.NoGradient({p.Name}, \"{p.Name.TrimStart('@')}\", \"{qualified}\");");
                }
            }

            w.Line($"return {function}.apply({string.Join(", ", inputs.Select(p => p.Name))});");
            w.Close();
            w.Line();

            w.Line(PartialTypes.GeneratedCode);
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Open($"private sealed class {function} : global::TorchSharp.torch.autograd.SingleTensorFunction<{function}>");
            w.Line($"public override string Name => \"KeOpsGen.{user.Name}\";");
            w.Line();

            // forward: unpack, remember which inputs need gradients, save the inputs, compute.
            w.Open($"public override {Tensor} forward(global::TorchSharp.torch.autograd.AutogradContext ctx, params object[] vars)");
            Unpack(w, inputs, t);
            w.Line($"ctx.save_for_backward(new global::System.Collections.Generic.List<{Tensor}> {{ {string.Join(", ", inputs.Where(p => p.Shape != ParameterShape.Scalar).Select(p => p.Name))} }});");
            w.Line($"ctx.save_data(\"requiresGrad\", new bool[] {{ {string.Join(", ", inputs.Select(p => p.Shape == ParameterShape.Scalar ? "false" : $"{p.Name}.requires_grad"))} }});");
            foreach (ParameterInfo p in inputs.Where(p => p.Shape == ParameterShape.Scalar))
            {
                w.Line($"ctx.save_data(\"{p.Name.TrimStart('@')}\", {p.Name});");
            }

            Prepare(w, user, inputs, scalarType);
            w.Line($"{Tensor} __result = global::TorchSharp.torch.empty(new long[] {{ {Helpers}.Rows(__{outerVariable.ParameterName.TrimStart('@')}), {user.OutputWidth} }}, {scalarType});");
            w.Line($"{user.Name}({string.Join(", ", inputs.Select(p => Argument(p, t)))}, {Helpers}.Span<{t}>(__result));");
            w.Line($"return {Helpers}.ToDeviceOf(__result, {inputs.First(p => p.Shape != ParameterShape.Scalar).Name});");
            w.Close();
            w.Line();

            // backward: one gradient (or null) per forward argument, in order.
            w.Open($"public override global::System.Collections.Generic.List<{Tensor}> backward(global::TorchSharp.torch.autograd.AutogradContext ctx, {Tensor} grad_output)");
            w.Line($"global::System.Collections.Generic.List<{Tensor}> __saved = ctx.get_saved_variables();");
            w.Line("bool[] __requiresGrad = (bool[])ctx.get_data(\"requiresGrad\");");
            int savedIndex = 0;
            foreach (ParameterInfo p in inputs)
            {
                w.Line(p.Shape == ParameterShape.Scalar
                    ? $"{p.DisplayType} {p.Name} = ({p.DisplayType})ctx.get_data(\"{p.Name.TrimStart('@')}\");"
                    : $"{Tensor} {p.Name} = __saved[{savedIndex++}];");
            }

            if (model.GradientOrder == 0)
            {
                // Unreachable through the overload above (it refuses inputs that require grad).
                w.Line($"throw new global::System.NotSupportedException(\"{qualified} has no gradient methods (GradientOrder = 0, the default): set GradientOrder = 1 on its [Reduction] attribute.\");");
                w.Close();
                w.Close();
                return;
            }

            Prepare(w, user, inputs, scalarType);
            w.Line($"{Tensor} __gradOutput = {Helpers}.Prepare(grad_output, {scalarType}, {user.OutputWidth}, false, \"grad_output\");");
            w.Line($"var __grads = new global::System.Collections.Generic.List<{Tensor}>();");
            if (!GradientSurface.HasPerVariableMethods(model))
            {
                CombinedBackward(w, model, user, inputs, t, scalarType);
                w.Close();
                w.Close();
                return;
            }

            int index = 0;
            foreach (ParameterInfo p in inputs)
            {
                if (p.Shape == ParameterShape.Scalar)
                {
                    w.Line("__grads.Add(null!);");
                    index++;
                    continue;
                }

                string bare = p.Name.TrimStart('@');
                MethodPlan? gradient = model.Methods.FirstOrDefault(m => m.Name == user.Name + "Grad" + ReductionAnalyzer.Pascal(p.Name) && GradientSurface.IsPublic(model, m));
                w.Open($"if (__requiresGrad[{index}])");
                if (gradient is null)
                {
                    w.Line(NoGradientThrow(user, bare));
                }
                else
                {
                    w.Line($"{Tensor} __grad = global::TorchSharp.torch.empty(__{bare}.shape, {scalarType});");
                    w.Line($"{gradient.Name}({string.Join(", ", inputs.Select(q => Argument(q, t)))}, {Helpers}.ReadOnlySpan<{t}>(__gradOutput), {Helpers}.Span<{t}>(__grad));");
                    w.Line($"__grads.Add({Helpers}.ToDeviceOf(__grad, {p.Name}));");
                }

                w.Close();
                w.Open("else");
                w.Line("__grads.Add(null!);");
                w.Close();
                index++;
            }

            w.Line("return __grads;");
            w.Close();
            w.Close();
        });
    }

    /// <summary>
    /// Backward past <see cref="GradientSurface.MaxPerVariableMethods"/> variables, where only the
    /// combined M + "Grad" is public (KEOPS0307): one call computes every gradient autograd asks
    /// for, into a tensor allocated for each requested input; an empty span skips the others.
    /// </summary>
    private static void CombinedBackward(IndentedWriter w, ReductionModel model, MethodPlan user, ParameterInfo[] inputs, string t, string scalarType)
    {
        List<MethodPlan> gradients = GradientSurface.FirstOrder(model);
        bool IsGradientOf(MethodPlan gradient, ParameterInfo input) => gradient.Name == user.Name + "Grad" + ReductionAnalyzer.Pascal(input.Name);
        bool Differentiated(ParameterInfo input) => input.Shape != ParameterShape.Scalar && gradients.Any(g => IsGradientOf(g, input));
        var outputs = new List<string>();
        for (int index = 0; index < inputs.Length; index++)
        {
            ParameterInfo p = inputs[index];
            if (p.Shape == ParameterShape.Scalar)
            {
                continue;
            }

            string bare = p.Name.TrimStart('@');
            if (!Differentiated(p))
            {
                w.Open($"if (__requiresGrad[{index}])");
                w.Line(NoGradientThrow(user, bare));
                w.Close();
                continue;
            }

            w.Line($"{Tensor}? __grad_{bare} = __requiresGrad[{index}] ? global::TorchSharp.torch.empty(__{bare}.shape, {scalarType}) : null;");
        }

        // The combined method's outputs are in the order of its gradients (variable order).
        foreach (MethodPlan g in gradients)
        {
            // A C# scalar input is no tensor: autograd gets no gradient for it, so it is skipped.
            ParameterInfo p = inputs.First(q => IsGradientOf(g, q));
            string bare = p.Name.TrimStart('@');
            outputs.Add(p.Shape == ParameterShape.Scalar ? "default" : $"__grad_{bare} is null ? default : {Helpers}.Span<{t}>(__grad_{bare})");
        }

        w.Line($"{user.Name}Grad({string.Join(", ", inputs.Select(q => Argument(q, t)))}, {Helpers}.ReadOnlySpan<{t}>(__gradOutput), {string.Join(", ", outputs)});");
        foreach (ParameterInfo p in inputs)
        {
            string bare = p.Name.TrimStart('@');
            w.Line(Differentiated(p) ? $"__grads.Add(__grad_{bare} is null ? null! : {Helpers}.ToDeviceOf(__grad_{bare}, {p.Name}));" : "__grads.Add(null!);");
        }

        w.Line("return __grads;");
    }

    private static string NoGradientThrow(MethodPlan user, string bare)
        => $"throw new global::System.NotSupportedException(\"KeOpsGen generated no gradient of {user.Name} with respect to '{bare}' (see the KEOPS0114 note of the build); it cannot require grad.\");";

    /// <summary>Value outputs only (indices are not differentiable), an outer variable to size the result, and every input a span or a scalar.</summary>
    private static bool Supported(MethodPlan user)
        => user.OutputParameter is not null
           && user.IndexParameter is null
           && !user.SumOverRows
           && MethodVariables.Checked(user).Outer.Count > 0
           && user.Parameters.All(p => p.Shape is ParameterShape.ReadOnlySpan or ParameterShape.Span or ParameterShape.Scalar);

    private static void Unpack(IndentedWriter w, ParameterInfo[] inputs, string t)
    {
        for (int k = 0; k < inputs.Length; k++)
        {
            ParameterInfo p = inputs[k];
            w.Line(p.Shape == ParameterShape.Scalar
                ? $"{p.DisplayType} {p.Name} = ({p.DisplayType})vars[{k}];"
                : $"{Tensor} {p.Name} = ({Tensor})vars[{k}];");
        }
    }

    /// <summary>Checks each tensor's shape and gives it as contiguous CPU memory of the element type (itself when it already is).</summary>
    private static void Prepare(IndentedWriter w, MethodPlan user, ParameterInfo[] inputs, string scalarType)
    {
        foreach (ParameterInfo p in inputs.Where(p => p.Shape != ParameterShape.Scalar))
        {
            VariableModel v = user.Variables.First(x => x.ParameterName == p.Name);
            string bare = p.Name.TrimStart('@');
            w.Line($"{Tensor} __{bare} = {Helpers}.Prepare({p.Name}, {scalarType}, {v.Dim}, {(v.Category == VariableCategory.Parameter ? "true" : "false")}, \"{bare}\");");
        }
    }

    private static string Argument(ParameterInfo p, string t)
        => p.Shape == ParameterShape.Scalar ? p.Name : $"{Helpers}.ReadOnlySpan<{t}>(__{p.Name.TrimStart('@')})";

    /// <summary>The tensor checks and memory views shared by every TorchSharp overload of a compilation, emitted once.</summary>
    public static (string HintName, string Source) EmitHelpers()
    {
        const string members = """
        /// <summary>
        /// <paramref name="tensor"/> checked against rows × dim ([dim] for a Pm) and given as contiguous
        /// CPU memory of <paramref name="type"/>: the tensor itself when it already is (no copy),
        /// else a converted copy (another device, dtype or layout).
        /// </summary>
        public static global::TorchSharp.torch.Tensor Prepare(global::TorchSharp.torch.Tensor tensor, global::TorchSharp.torch.ScalarType type, int dim, bool parameter, string name)
        {
            if (tensor is null)
            {
                throw new global::System.ArgumentNullException(name);
            }

            long[] shape = tensor.shape;
            bool fits = parameter
                ? (shape.Length == 1 && shape[0] == dim) || (shape.Length == 2 && shape[0] == 1 && shape[1] == dim)
                : (shape.Length == 2 && shape[1] == dim) || (shape.Length == 1 && dim == 1);
            if (!fits)
            {
                string expected = parameter ? $"[{dim}]" : $"[rows, {dim}]" + (dim == 1 ? " or [rows]" : string.Empty);
                throw new global::System.ArgumentException($"'{name}' must be a tensor of shape {expected}, but has shape [{string.Join(", ", shape)}].", name);
            }

            if (tensor.device_type == global::TorchSharp.DeviceType.CPU && tensor.dtype == type && tensor.is_contiguous())
            {
                return tensor;
            }

            return tensor.to(type, global::TorchSharp.torch.CPU).contiguous();
        }

        /// <summary>
        /// Refuses a tensor that autograd would differentiate when the reduction has no gradient
        /// methods (GradientOrder = 0, the default): failing in forward names the fix, where
        /// backward would only fail later.
        /// </summary>
        public static void NoGradient(global::TorchSharp.torch.Tensor tensor, string name, string method)
        {
            if (tensor is not null && tensor.requires_grad && global::TorchSharp.torch.is_grad_enabled())
            {
                throw new global::System.ArgumentException($"'{name}' requires grad, but {method} has no gradient methods: KeOpsGen generates them on request. Set GradientOrder = 1 on the [Reduction] attribute of {method}, or pass '{name}' detached.", name);
            }
        }

        /// <summary>The row count of a checked rows × dim tensor.</summary>
        public static int Rows(global::TorchSharp.torch.Tensor tensor) => checked((int)tensor.shape[0]);

        /// <summary>The memory of a contiguous CPU tensor, in place.</summary>
        public static global::System.Span<T> Span<T>(global::TorchSharp.torch.Tensor tensor)
            where T : unmanaged
            => global::System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(tensor.bytes);

        /// <summary>The memory of a contiguous CPU tensor, read-only.</summary>
        public static global::System.ReadOnlySpan<T> ReadOnlySpan<T>(global::TorchSharp.torch.Tensor tensor)
            where T : unmanaged
            => Span<T>(tensor);

        /// <summary><paramref name="result"/> on the device of <paramref name="like"/> (itself on the CPU).</summary>
        public static global::TorchSharp.torch.Tensor ToDeviceOf(global::TorchSharp.torch.Tensor result, global::TorchSharp.torch.Tensor like)
            => like.device_type == global::TorchSharp.DeviceType.CPU ? result : result.to(like.device);
""";
        return InteropEmitter.HelperFile(library: "TorchSharp", className: "TorchArguments", summary: "Shape checks and memory views for the generated TorchSharp autograd overloads.", members);
    }
}
