namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Overloads on System.Numerics.Tensors spans for every generated method, emitted only when the
/// consuming compilation references System.Numerics.Tensors. Each checks the shapes against the
/// declarations (rows × dim, dim for a Pm) and forwards the tensors' memory, without copies, to
/// the span overload, which keeps every other check.
/// </summary>
internal static class TensorEmitter
{
    private const string ReadOnlyTensor = "global::System.Numerics.Tensors.ReadOnlyTensorSpan";
    private const string Tensor = "global::System.Numerics.Tensors.TensorSpan";
    private const string Helpers = "global::KeOpsGen.Interop.TensorArguments";

    public static (string HintName, string Source) Emit(ReductionModel model)
    {
        return PartialTypes.File(model, "System.Numerics.Tensors overloads (the project references System.Numerics.Tensors)", "Tensors", w =>
        {
            int forwardWidth = model.Methods.FirstOrDefault(m => m.IsUserPartial)?.OutputWidth ?? 0;
            bool first = true;
            // The combined M + "Grad" has no tensor overload; past its threshold the per-variable methods have none either.
            foreach (MethodPlan method in model.Methods.Where(m => GradientSurface.IsPublic(model, m)))
            {
                if (!first)
                {
                    w.Line();
                }

                first = false;
                EmitOverload(w, model, method, forwardWidth);
            }
        });
    }

    private static void EmitOverload(IndentedWriter w, ReductionModel model, MethodPlan method, int forwardWidth)
    {
        var parameters = new System.Collections.Generic.List<string>();
        var arguments = new System.Collections.Generic.List<string>();
        foreach (ParameterInfo p in method.Parameters)
        {
            VariableModel? v = method.Variables.FirstOrDefault(x => x.ParameterName == p.Name);
            string quoted = "\"" + p.Name.TrimStart('@') + "\"";
            switch (p.Shape)
            {
                case ParameterShape.Scalar:
                    parameters.Add($"{p.DisplayType} {p.Name}");
                    arguments.Add(p.Name);
                    break;
                case ParameterShape.ReadOnlySpan:
                    parameters.Add($"in {ReadOnlyTensor}<{p.ElementType}> {p.Name}");
                    arguments.Add(v is null
                        ? $"{Helpers}.Rows(in {p.Name}, {forwardWidth}, {quoted})"
                        : v.Category == VariableCategory.Parameter
                            ? $"{Helpers}.Parameter(in {p.Name}, {v.Dim}, {quoted})"
                            : $"{Helpers}.Rows(in {p.Name}, {v.Dim}, {quoted})");
                    break;
                default:
                    bool indices = p.Name == method.IndexParameter;
                    int width = indices ? method.IndexWidth : method.OutputWidth;
                    bool summed = !indices && method.SumOverRows;
                    parameters.Add($"in {Tensor}<{p.ElementType}> {p.Name}");
                    arguments.Add($"{Helpers}.Output(in {p.Name}, {width}, {(summed ? "true" : "false")}, {quoted})");
                    break;
            }
        }

        w.Line($"/// <summary>{method.Summary()} Tensor form: row-major tensors of shape [rows, dim] ([rows] when dim is 1; [dim] for a Pm), outputs [rows, width]; no copies.</summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A tensor's shape does not fit its declaration, or it is not dense row-major.</exception>");
        w.Line(PartialTypes.GeneratedCode);
        w.Open($"{PartialTypes.Static(model.Accessibility)} void {method.Name}({string.Join(", ", parameters)}, global::KeOpsGen.ReductionOptions? options = null)");
        w.Line($"{method.Name}({string.Join(", ", arguments)}, options);");
        w.Close();
    }

    /// <summary>The shape checks and span views shared by every tensor overload of a compilation, emitted once.</summary>
    public static (string HintName, string Source) EmitHelpers()
    {
        const string members = """
        /// <summary>A rows × width input: [rows, width], [rows] when width is 1, or [rows, a, b, ...] with a·b·... = width.</summary>
        public static global::System.ReadOnlySpan<T> Rows<T>(in global::System.Numerics.Tensors.ReadOnlyTensorSpan<T> tensor, int width, string name)
        {
            CheckRows(tensor.Lengths, width, name);
            CheckRowMajor(tensor.Lengths, tensor.Strides, name);
            return tensor.FlattenedLength == 0
                ? default
                : global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in tensor.GetPinnableReference()), checked((int)tensor.FlattenedLength));
        }

        /// <summary>A Pm(dim) input: [dim] or [1, dim].</summary>
        public static global::System.ReadOnlySpan<T> Parameter<T>(in global::System.Numerics.Tensors.ReadOnlyTensorSpan<T> tensor, int dim, string name)
        {
            global::System.ReadOnlySpan<nint> lengths = tensor.Lengths;
            bool fits = lengths.Length == 1 ? lengths[0] == dim : lengths.Length == 2 && lengths[0] == 1 && lengths[1] == dim;
            if (!fits)
            {
                throw new global::System.ArgumentException($"'{name}' must be a tensor of shape [{dim}] (a Pm({dim}) parameter), but has shape {Shape(lengths)}.", name);
            }

            CheckRowMajor(lengths, tensor.Strides, name);
            return global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in tensor.GetPinnableReference()), dim);
        }

        /// <summary>An output: rows × width like <see cref="Rows"/>, or [width] (or [1, width]) when summed over all rows.</summary>
        public static global::System.Span<T> Output<T>(in global::System.Numerics.Tensors.TensorSpan<T> tensor, int width, bool summed, string name)
        {
            global::System.ReadOnlySpan<nint> lengths = tensor.Lengths;
            if (summed)
            {
                bool fits = lengths.Length == 1 ? lengths[0] == width : lengths.Length == 2 && lengths[0] == 1 && lengths[1] == width;
                if (!fits)
                {
                    throw new global::System.ArgumentException($"'{name}' must be a tensor of shape [{width}] (a gradient summed over all rows), but has shape {Shape(lengths)}.", name);
                }
            }
            else
            {
                CheckRows(lengths, width, name);
            }

            CheckRowMajor(lengths, tensor.Strides, name);
            return tensor.FlattenedLength == 0
                ? default
                : global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));
        }

        private static void CheckRows(global::System.ReadOnlySpan<nint> lengths, int width, string name)
        {
            bool fits;
            if (lengths.Length == 1)
            {
                fits = width == 1;
            }
            else
            {
                long trailing = 1;
                for (int k = 1; k < lengths.Length; k++)
                {
                    trailing *= lengths[k];
                }

                fits = lengths.Length > 0 && trailing == width;
            }

            if (!fits)
            {
                throw new global::System.ArgumentException($"'{name}' must be a tensor of shape [rows, {width}]{(width == 1 ? " or [rows]" : string.Empty)}, but has shape {Shape(lengths)}.", name);
            }
        }

        // The generated kernels read rows contiguously: any other layout (a transpose, a slice with
        // gaps, a broadcast) would be read wrongly, so it is refused instead of silently copied.
        private static void CheckRowMajor(global::System.ReadOnlySpan<nint> lengths, global::System.ReadOnlySpan<nint> strides, string name)
        {
            long expected = 1;
            for (int k = lengths.Length - 1; k >= 0; k--)
            {
                if (lengths[k] != 1 && strides[k] != expected)
                {
                    throw new global::System.ArgumentException($"'{name}' must be a dense row-major tensor, but its strides are {Shape(strides)} for shape {Shape(lengths)}; copy it into a new tensor first.", name);
                }

                expected *= lengths[k];
            }
        }

        private static string Shape(global::System.ReadOnlySpan<nint> values)
        {
            var text = new global::System.Text.StringBuilder("[");
            for (int k = 0; k < values.Length; k++)
            {
                text.Append(k == 0 ? string.Empty : ", ").Append(values[k]);
            }

            return text.Append(']').ToString();
        }
""";
        return InteropEmitter.HelperFile(library: "System.Numerics.Tensors", className: "TensorArguments", summary: "Shape checks and zero-copy span views for the generated tensor overloads.", members);
    }
}
