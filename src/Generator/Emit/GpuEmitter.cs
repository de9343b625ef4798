using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Planning;
using KeOpsGen.Generator.Reductions;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The GPU side of a generated method: a nested class with an ILGPU kernel in C# written from the
/// same <see cref="KernelPlan"/> as the CPU kernel (the plan's executed formula, its hoisted
/// sub-formulas where <see cref="KernelLowering.GpuHoists"/> says so, lowered by the op table's
/// scalar lowering, whose KMath calls ILGPU compiles), plus the launch and the span/device entry
/// points. Explicitly grouped: one
/// thread per output row; each thread of a group loads one reduced row (and its hoisted values)
/// into a shared-memory tile, then every thread folds the tile into its row with the reduction's
/// own merge. The reduced side is walked as a list of [start, end) ranges (one for dense calls).
/// </summary>
internal static class GpuEmitter
{
    private const string Ilgpu = "global::ILGPU";
    private const string Runtime = "global::KeOpsGen.Gpu";

    /// <summary>The kernel shapes; the reduction's merge is what differs.</summary>
    private enum Shape
    {
        Sum,
        MinMax,
        KMin,
        ShiftExp,
        Pairs,
    }

    private static Shape ShapeOf(int op) => ReductionRegistry.Get(op).Merge switch
    {
        ReductionMerge.Add => Shape.Sum,
        ReductionMerge.KMin => Shape.KMin,
        ReductionMerge.ShiftExp => Shape.ShiftExp,
        _ => Shape.MinMax,
    };

    private static Shape ShapeOf(MethodPlan method)
        => method.Saved is { Values: null } ? Shape.Pairs : method.Saved is not null ? Shape.Sum : ShapeOf(method.Op);

    private static bool IsMax(int op) => ReductionRegistry.Get(op).Merge == ReductionMerge.Max;

    private static string View(string t) => $"{Ilgpu}.Runtime.ArrayView1D<{t}, {Ilgpu}.Stride1D.Dense>";

    /// <summary>
    /// One kernel body: the plan's lowering as the ILGPU kernel takes it (its hoisted values, its
    /// evaluation order), and the names of the body's locals.
    /// </summary>
    private sealed class KernelBody
    {
        private readonly Dictionary<Formula, HoistedValue> _slots;

        public KernelBody(KernelLowering lowering)
        {
            Lowering = lowering;
            _slots = KernelLowering.Index(lowering.GpuHoisted);
        }

        public KernelLowering Lowering { get; }

        /// <summary>The kernel's parameters (<c>v</c>, <c>l</c>), its type parameter; its own locals all start with <c>__</c>.</summary>
        public LocalNames Names { get; } = new("v", "l", "TScheme");

        /// <summary>The prologue's locals of the outer-row variables and parameters, by variable position.</summary>
        public Dictionary<int, string[]> Variables { get; } = new();

        public List<Formula> Nodes(KernelSide side) => KernelLowering.Nodes(Lowering.GpuHoisted, side);

        public int Offset(Formula node) => _slots[node].Offset;

        public bool TryGetSlot(Formula node, out KernelSide side, out int offset)
        {
            if (_slots.TryGetValue(node, out HoistedValue? slot))
            {
                (side, offset) = (slot.Side, slot.Offset);
                return true;
            }

            side = default;
            offset = 0;
            return false;
        }
    }

    private static string Stem(VariableModel v) => v.Name ?? v.ParameterName;

    /// <summary>Why a method of <paramref name="model"/> runs on the CPU only (KEOPS0306, KEOPS0303), or null: decided by the plan (<see cref="GpuSupport"/>).</summary>
    public static string? CpuOnlyReason(ReductionModel model, MethodPlan method)
        => GpuSupport.HiddenType(model.ContainingTypes) is { } hidden
            ? $"it is declared inside the {hidden.Type.HiddenAccessibility} type '{hidden.Path}', which ILGPU cannot load kernels from"
            : GpuSupport.CpuOnlyReason(method, model.ElementType);

    /// <summary>Emits the GPU class of <paramref name="method"/>; <paramref name="emitted"/> tracks kernel classes already in the file.</summary>
    public static void EmitKernel(IndentedWriter w, ReductionModel model, MethodPlan method, HashSet<string> emitted)
    {
        string t = model.ElementType;
        if (CpuOnlyReason(model, method) is not null)
        {
            return;
        }

        if (method.Saved is { } forward && !emitted.Contains(forward.Kernel.KernelName))
        {
            // The forward kernel normally comes with the forward method; emit it here otherwise.
            emitted.Add(forward.Kernel.KernelName);
            w.Line();
            w.Line(Generated);
            w.Open($"internal static class {forward.Kernel.KernelName}Gpu");
            EmitKernelMembers(w, t, forward.Kernel, ShapeOf(forward.Op), forward.Op, forward.K, sumOverRows: false, target: 0, forward: null, adjoint: null);
            w.Close();
        }

        w.Line();
        w.Line(Generated);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"internal static class {method.Kernel.KernelName}Gpu");
        VariableModel? adjoint = method.Saved is { Values: null } ? method.Variables[method.Variables.Count - 1] : null;
        EmitKernelMembers(w, t, method.Kernel, ShapeOf(method), method.Op, method.K, method.SumOverRows, method.Saved?.Target ?? 0, method.Saved, adjoint);
        w.Line();
        EmitCore(w, t, method);
        w.Line();
        EmitRun(w, t, method);
        w.Close();
    }

    private static string Generated => "[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]";

    /// <summary>The variables whose device views the public accelerator overload checks: all but the internal saved-values one.</summary>
    private static List<VariableModel> CheckedViews(MethodPlan method)
        => method.Variables.Where(v => method.Saved?.Values is null || v != method.Saved.Values).ToList();

    /// <summary>The views <c>Core</c> and <c>Run</c> take and upload: those the method's kernels read, less the saved values.</summary>
    private static List<VariableModel> ViewVariables(MethodPlan method)
        => MethodVariables.Used(method).Where(v => method.Saved?.Values is null || v != method.Saved.Values).ToList();

    /// <summary>
    /// Opens the GPU dispatch of a span body: the CPU engine code the caller writes next runs only
    /// when <c>GpuRuntime.Choose</c> picks no accelerator (or Backend.Auto fell back after a GPU
    /// error). Returns false (nothing written) for kernels that run on the CPU only; otherwise the
    /// caller closes the block.
    /// </summary>
    public static bool OpenCall(IndentedWriter w, ReductionModel model, MethodPlan method, string rowsI, string rowsJ, System.Func<VariableModel, string> span, string values, string indices)
    {
        if (CpuOnlyReason(model, method) is not null)
        {
            return false;
        }

        string outer = method.Axis == 1 ? rowsI : rowsJ;
        string inner = method.Axis == 1 ? rowsJ : rowsI;
        string spans = string.Concat(ViewVariables(method).Select(v => ", " + span(v)));
        w.Line($"var __gpu = {Runtime}.GpuRuntime.Choose(global::KeOpsGen.Backend.{BackendName(model.Backend)}, options, {outer}, {inner});");
        w.Open($"if (__gpu is null || !{method.Kernel.KernelName}Gpu.Run(__gpu, {rowsI}, {rowsJ}, {values}, {indices}, __settings{spans}))");
        return true;
    }

    /// <summary>
    /// The public overload that keeps data on the device: the caller's accelerator and
    /// <c>ArrayView1D</c> inputs and outputs (row-major, as the spans), nothing copied, the work
    /// enqueued on the accelerator's default stream.
    /// </summary>
    public static void EmitDeviceOverload(IndentedWriter w, ReductionModel model, MethodPlan method, string modifiers)
    {
        string t = model.ElementType;
        if (CpuOnlyReason(model, method) is not null)
        {
            return;
        }

        ForwardPass? forward = method.Saved;
        VariableModel? adjoint = forward is { Values: null } ? method.Variables[method.Variables.Count - 1] : null;
        string parameters = string.Join(", ", method.Parameters.Select(p => $"{View(p.Name == method.IndexParameter ? "int" : t)} {p.Name}"));
        w.Line();
        w.Line($"/// <summary><see cref=\"{ApiEmitter.OptionsCref(method)}\"/> on an ILGPU accelerator, over views in its memory laid out as the spans: nothing is copied; the work is enqueued on <c>accelerator.DefaultStream</c>.</summary>");
        w.Line("/// <param name=\"accelerator\">Where the views live and the kernels run.</param>");
        foreach (Models.ParameterInfo p in method.Parameters)
        {
            w.Line($"/// <param name=\"{p.Name}\">As in the span overload.</param>");
        }

        w.Line("/// <param name=\"options\">As in the span overload, but the backend is the accelerator; a call with Ranges or BatchCount waits for its kernels.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A view or an option does not fit the declaration or the call.</exception>");
        w.Line("/// <exception cref=\"global::System.OperationCanceledException\">Cancelled before a kernel launch.</exception>");
        w.Line(Generated);
        w.Open($"{modifiers} void {method.Name}({Ilgpu}.Runtime.Accelerator accelerator, {parameters}, global::KeOpsGen.ReductionOptions? options = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(accelerator);");
        string Length(string name) => $"checked((int){name}.Length)";
        var rows = new Dictionary<VariableCategory, string>();
        var first = new Dictionary<VariableCategory, VariableModel>();
        foreach (VariableModel v in CheckedViews(method).Where(v => v != adjoint))
        {
            if (v.Category == VariableCategory.Parameter)
            {
                w.Line($"global::KeOpsGen.Validate.ParameterLength({Length(v.ParameterName)}, {Int(v.Dim)}, \"{v.ParameterName}\");");
            }
            else if (first.TryGetValue(v.Category, out VariableModel? head))
            {
                w.Line($"global::KeOpsGen.Validate.SameRows(global::KeOpsGen.Validate.Rows({Length(v.ParameterName)}, {Int(v.Dim)}, \"{v.ParameterName}\"), {rows[v.Category]}, {Int(v.Dim)}, \"{v.ParameterName}\", \"{head.ParameterName}\");");
            }
            else
            {
                first[v.Category] = v;
                rows[v.Category] = v.Category == VariableCategory.I ? "__rowsI" : "__rowsJ";
                w.Line($"int {rows[v.Category]} = global::KeOpsGen.Validate.Rows({Length(v.ParameterName)}, {Int(v.Dim)}, \"{v.ParameterName}\");");
            }
        }

        foreach (VariableCategory category in new[] { VariableCategory.I, VariableCategory.J })
        {
            if (!rows.ContainsKey(category))
            {
                rows[category] = category == VariableCategory.I ? "__rowsI" : "__rowsJ";
                w.Line($"int {rows[category]} = 0;");
            }
        }

        string Outer(int axis) => axis == 1 ? "__rowsI" : "__rowsJ";
        string Inner(int axis) => axis == 1 ? "__rowsJ" : "__rowsI";
        if (adjoint is not null)
        {
            w.Line($"global::KeOpsGen.Validate.OutputLength({Length(adjoint.ParameterName)}, {Outer(forward!.Axis)}, {Int(forward.Width)}, \"{adjoint.ParameterName}\");");
        }

        if (method.OutputParameter is { } output)
        {
            string rowCount = forward is { Values: null } ? (forward.Target == 1 ? Inner(forward.Axis) : Outer(forward.Axis)) : Outer(method.Axis);
            w.Line(method.SumOverRows || forward is { Values: null, Target: 2 }
                ? $"global::KeOpsGen.Validate.ParameterLength({Length(output)}, {Int(method.OutputWidth)}, \"{output}\");"
                : $"global::KeOpsGen.Validate.OutputLength({Length(output)}, {rowCount}, {Int(method.OutputWidth)}, \"{output}\");");
        }

        if (method.IndexParameter is { } index)
        {
            w.Line($"global::KeOpsGen.Validate.OutputLength({Length(index)}, {Outer(method.Axis)}, {Int(method.IndexWidth)}, \"{index}\");");
        }

        w.Line(ApiEmitter.SettingsLine(method));
        string views = string.Concat(ViewVariables(method).Select(v => ", " + v.ParameterName));
        w.Line($"{method.Kernel.KernelName}Gpu.Core(accelerator, __rowsI, __rowsJ, {method.OutputParameter ?? "default"}, {method.IndexParameter ?? "default"}, __settings{views});");
        w.Close();
    }

    private static string BackendName(int backend) => backend switch { 1 => "Cpu", 2 => "Gpu", 3 => "IlgpuCpu", _ => "Auto" };

    /// <summary>Inputs struct, kernel and Launch of one plan.</summary>
    private static void EmitKernelMembers(IndentedWriter w, string t, KernelPlan plan, Shape shape, int op, int k, bool sumOverRows, int target, ForwardPass? forward, VariableModel? adjoint)
    {
        // The kernel computes the plan's executed formula, with what the plan hoists for the GPU.
        var hoisting = new KernelBody(plan.Lowered);
        if (shape == Shape.Pairs && hoisting.Lowering.GpuHoists)
        {
            throw new System.InvalidOperationException($"internal: the pair kernel {plan.KernelName} was planned with a tile");
        }

        plan = plan with { Formula = hoisting.Lowering.Executed };
        List<VariableModel> all = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).ToList();
        w.Line("/// <summary>Device views of the kernel's variables (row-major, as the spans).</summary>");
        w.Open("public struct Inputs");
        foreach (VariableModel v in all)
        {
            w.Line($"public {View(t)} {CpuEmitter.Field(v)};");
        }

        w.Close();
        w.Line();
        string what = shape switch
        {
            Shape.Sum => "Sum",
            Shape.MinMax => IsMax(op) ? "Max/ArgMax" : "Min/ArgMin",
            Shape.KMin => $"KMin/ArgKMin (K = {Int(k)})",
            Shape.ShiftExp => "log-sum-exp (m, s)",
            _ => "pair gradient",
        };
        w.Line($"/// <summary>");
        // Only the kernel's own formula: the user's (at the top of the file) would put all V variables into each of the V gradient kernels.
        w.Line($"/// {what} kernel of <c>{System.Security.SecurityElement.Escape(plan.Formula.ToString())}</c>:");
        w.Line(shape == Shape.Pairs
            ? "/// one thread per forward output row, evaluating F only at the pairs the forward pass selected."
            : "/// one thread per output row, the reduced side streamed through shared-memory tiles.");
        w.Line($"/// </summary>");
        bool schemed = shape is Shape.Sum or Shape.ShiftExp;
        w.Open(schemed
            ? $"public static void Kernel<TScheme>(Inputs v, {Runtime}.GpuLaunch<{t}> l) where TScheme : struct, {Runtime}.ISumScheme"
            : $"public static void Kernel(Inputs v, {Runtime}.GpuLaunch<{t}> l)");
        if (shape == Shape.Pairs)
        {
            EmitPairsBody(w, t, plan, hoisting, forward!, target, adjoint!.Position);
        }
        else
        {
            EmitTiledBody(w, t, plan, hoisting, shape, op, k);
        }

        w.Close();
        w.Line();
        EmitLaunch(w, t, plan, hoisting, shape, sumOverRows, target);
    }

    private static void EmitLaunch(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Shape shape, bool sumOverRows, int target)
    {
        string acc = $"{Ilgpu}.Runtime.Accelerator accelerator";
        string settings = "global::KeOpsGen.Cpu.ReductionSettings settings";
        string width = Int(KernelLowerings.TileWidth(plan));
        string generic = $"<Inputs, {t}>";
        string schemes = "Kernel<global::KeOpsGen.Gpu.DirectSum>, Kernel<global::KeOpsGen.Gpu.BlockSum>, Kernel<global::KeOpsGen.Gpu.KahanSum>";
        w.Line("/// <summary>Enqueues the kernel on the accelerator's default stream.</summary>");
        switch (shape)
        {
            case Shape.Sum when sumOverRows:
                w.Open($"public static void Launch({acc}, Inputs v, int outerCount, int innerCount, {View(t)} values, {settings})");
                w.Line($"{Runtime}.GpuEngine.SumOverRows<{t}>(accelerator, outerCount, {Int(plan.Formula.Dim)}, values, rows => {Runtime}.GpuEngine.Sum{generic}(accelerator, settings, {schemes}, v, new {Runtime}.GpuLaunch<{t}> {{ OuterCount = outerCount, InnerCount = innerCount, Values = rows }}, {width}));");
                break;
            case Shape.Sum:
                w.Open($"public static void Launch({acc}, Inputs v, int outerCount, int innerCount, {View(t)} values, {settings})");
                w.Line($"{Runtime}.GpuEngine.Sum{generic}(accelerator, settings, {schemes}, v, new {Runtime}.GpuLaunch<{t}> {{ OuterCount = outerCount, InnerCount = innerCount, Values = values }}, {width});");
                break;
            case Shape.ShiftExp:
                w.Open($"public static void Launch({acc}, Inputs v, int outerCount, int innerCount, {View(t)} values, {Runtime}.ShiftExpMode mode, {settings})");
                w.Line($"{Runtime}.GpuEngine.Sum{generic}(accelerator, settings, {schemes}, v, new {Runtime}.GpuLaunch<{t}> {{ OuterCount = outerCount, InnerCount = innerCount, Values = values, Mode = (int)mode }}, {width});");
                break;
            case Shape.Pairs:
                w.Open($"public static void Launch({acc}, Inputs v, int outerCount, int innerCount, {View("int")} indices, {View(t)} gradOutput, {View(t)} values, {settings})");
                string launch = $"new {Runtime}.GpuLaunch<{t}> {{ OuterCount = outerCount, InnerCount = innerCount, Indices = indices, GradOutput = gradOutput, Values = {{0}} }}";
                if (target == 2)
                {
                    w.Line($"{Runtime}.GpuEngine.SumOverRows<{t}>(accelerator, outerCount, {Int(plan.Formula.Dim)}, values, rows => {Runtime}.GpuEngine.Launch{generic}(accelerator, Kernel, v, {launch.Replace("{0}", "rows")}, -1, settings));");
                }
                else
                {
                    if (target == 1)
                    {
                        w.Line($"{Runtime}.GpuEngine.Clear(accelerator, values);");
                    }

                    w.Line($"{Runtime}.GpuEngine.Launch{generic}(accelerator, Kernel, v, {launch.Replace("{0}", "values")}, -1, settings);");
                }

                break;
            default:
                w.Open($"public static void Launch({acc}, Inputs v, int outerCount, int innerCount, {View(t)} values, {View("int")} indices, {settings})");
                w.Line($"{Runtime}.GpuEngine.Launch{generic}(accelerator, Kernel, v, new {Runtime}.GpuLaunch<{t}> {{ OuterCount = outerCount, InnerCount = innerCount, Values = values, Indices = indices }}, {width}, settings);");
                break;
        }

        w.Close();
    }

    /// <summary>Thread index, outer and parameter loads, hoisted values: what both kernel bodies start with.</summary>
    private static (Dictionary<Formula, string[]> Outer, Dictionary<Formula, string[]> Params) EmitPrologue(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, bool clampRow, ISet<VariableModel> perPair)
    {
        if (clampRow)
        {
            // A group's rows come from the launch's group table (block-sparse and batched calls:
            // groups never straddle two blocks) or are the dense run of group-size rows. Threads
            // past the group's last row still load tiles and meet every barrier.
            w.Line($"int __row = l.FirstRow({Ilgpu}.Grid.IdxX, {Ilgpu}.Group.DimX) + {Ilgpu}.Group.IdxX;");
            w.Line($"bool __active = __row < l.EndRow({Ilgpu}.Grid.IdxX);");
            w.Line("int __r = __active ? __row : 0;");
        }
        else
        {
            w.Line($"int __row = ({Ilgpu}.Grid.IdxX * {Ilgpu}.Group.DimX) + {Ilgpu}.Group.IdxX;");
            w.Open("if (__row >= l.OuterCount)");
            w.Line("return;");
            w.Close();
            w.Line();
            w.Line("int __r = __row;");
        }

        foreach (VariableModel v in plan.Outer)
        {
            // Wide variables are read from the view where used (inside the formula's loops).
            if (!IsWide(v))
            {
                string[] names = hoisting.Variables[v.Position] = hoisting.Names.Claim(Stem(v), v.Dim);
                for (int c = 0; c < v.Dim; c++)
                {
                    w.Line($"var {names[c]} = v.{CpuEmitter.Field(v)}[(__r * {Int(v.Dim)}) + {Int(c)}];{(c == 0 ? " // " + Stem(v) : string.Empty)}");
                }
            }
        }

        foreach (VariableModel v in plan.Parameters)
        {
            if (!IsWide(v) || perPair.Contains(v))
            {
                string[] names = hoisting.Variables[v.Position] = hoisting.Names.Claim(Stem(v), v.Dim);
                for (int c = 0; c < v.Dim; c++)
                {
                    string comment = c == 0 ? " // " + Stem(v) + (perPair.Contains(v) ? ", set per pair" : string.Empty) : string.Empty;
                    w.Line(perPair.Contains(v)
                        ? $"{t} {names[c]} = 0;{comment}"
                        : $"var {names[c]} = v.{CpuEmitter.Field(v)}[{Int(c)}];{comment}");
                }
            }
        }

        string[]? Locals(Formula node)
        {
            if (!node.IsVariable)
            {
                return null;
            }

            VariableModel variable = plan.Outer.Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
            return Enumerable.Range(0, node.Dim)
                .Select(c => IsWide(variable) && !perPair.Contains(variable) ? ViewRead(variable, Int(c)) : hoisting.Variables[variable.Position][c])
                .ToArray();
        }

        var lane = new LaneContext(t, null);
        Dictionary<Formula, string[]> parameters = CpuEmitter.EmitValues(w, hoisting.Nodes(KernelSide.Parameter), lane, hoisting.Names, Locals);
        Dictionary<Formula, string[]> outer = CpuEmitter.EmitValues(w, hoisting.Nodes(KernelSide.Outer), lane, hoisting.Names, node =>
            hoisting.Nodes(KernelSide.Parameter).Contains(node) ? parameters[node].ToArray() : Locals(node));
        return (outer, parameters);
    }

    private static void EmitTiledBody(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Shape shape, int op, int k)
    {
        int dimF = plan.Formula.Dim;
        int innerWidth = KernelLowerings.TileWidth(plan);
        w.Line($"var __tile = {Ilgpu}.SharedMemory.GetDynamic<{t}>();");
        (Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters) = EmitPrologue(w, t, plan, hoisting, clampRow: true, new HashSet<VariableModel>());
        EmitAccumulators(w, t, shape, op, k, dimF);
        w.Open("for (int __range = l.FirstRange(" + Ilgpu + ".Grid.IdxX); __range < l.EndRange(" + Ilgpu + ".Grid.IdxX); __range++)");
        w.Line("int __end = l.RangeEnd(__range);");
        w.Open("for (int __start = l.RangeStart(__range); __start < __end; __start += l.TileRows)");
        w.Line($"int __load = __start + {Ilgpu}.Group.IdxX;");
        w.Open($"if ({Ilgpu}.Group.IdxX < l.TileRows && __load < __end)");
        w.Line($"int __slot = {Ilgpu}.Group.IdxX * {Int(innerWidth)};");
        int offset = 0;
        foreach (VariableModel v in plan.Inner)
        {
            if (IsWide(v))
            {
                w.Open($"for (int __c = 0; __c < {Int(v.Dim)}; __c++)");
                w.Line($"__tile[__slot + {Int(offset)} + __c] = v.{CpuEmitter.Field(v)}[(__load * {Int(v.Dim)}) + __c];");
                w.Close();
            }

            for (int c = 0; c < v.Dim && !IsWide(v); c++)
            {
                w.Line($"__tile[__slot + {Int(offset + c)}] = v.{CpuEmitter.Field(v)}[(__load * {Int(v.Dim)}) + {Int(c)}];");
            }

            offset += v.Dim;
        }

        List<Formula> innerNodes = hoisting.Nodes(KernelSide.Inner);
        if (innerNodes.Count > 0)
        {
            Dictionary<Formula, string[]> hoisted = CpuEmitter.EmitValues(w, innerNodes, new LaneContext(t, null), hoisting.Names, node =>
            {
                if (parameters.TryGetValue(node, out string[]? p))
                {
                    return p.ToArray();
                }

                if (!node.IsVariable)
                {
                    return null;
                }

                KernelSide side = plan.SideOf(node.VariablePosition);
                VariableModel variable = plan.Inner.Concat(plan.Parameters).First(x => x.Position == node.VariablePosition);
                return Enumerable.Range(0, node.Dim)
                    .Select(c => side == KernelSide.Inner ? $"v.{CpuEmitter.Field(variable)}[(__load * {Int(variable.Dim)}) + {Int(c)}]"
                        : IsWide(variable) ? ViewRead(variable, Int(c)) : hoisting.Variables[variable.Position][c])
                    .ToArray();
            });
            foreach (Formula node in innerNodes)
            {
                string[] components = hoisted[node];
                for (int c = 0; c < components.Length; c++)
                {
                    w.Line($"__tile[__slot + {Int(plan.InnerDim + hoisting.Offset(node) + c)}] = {components[c]};");
                }
            }
        }

        w.Close();
        w.Line();
        w.Line($"{Ilgpu}.Group.Barrier();");
        w.Open("if (__active)");
        w.Line("int __count = global::System.Math.Min(l.TileRows, __end - __start);");
        w.Open("for (int __t = 0; __t < __count; __t++)");
        w.Line("int __j = __start + __t;");
        w.Line($"int __s = __t * {Int(innerWidth)};");
        System.Func<KernelSide, int, string?> tileLoad = (side, index) => side == KernelSide.Inner ? $"__tile[__s + {Int(index)}]" : null;
        System.Func<int, string, string> tileAt = (at, index) => $"__tile[__s + {Int(at)} + {index}]";
        if (IsWideSum(shape, dimF))
        {
            // Each component folded where the loop computes it.
            Looped(w, t, plan, hoisting, outer, parameters, tileLoad, tileAt, -1).Emit(plan.Formula, (index, value) =>
            {
                w.Open("if (default(TScheme).Direct)");
                w.Line($"default(TScheme).Fold(ref __acc[{index}], ref __acc[{Int(dimF)} + {index}], {value}, l.RoundToData);");
                w.Close();
                w.Open("else");
                w.Line($"__par[{index}] += {value};");
                w.Close();
            });
        }
        else
        {
            string[] f = EmitFormula(w, t, plan, hoisting, outer, parameters, tileLoad, tileAt);
            EmitPairUpdate(w, t, shape, op, k, f);
        }

        w.Close();
        if (IsWideSum(shape, dimF))
        {
            w.Open("if (!default(TScheme).Direct)");
            w.Open($"for (int __c = 0; __c < {Int(dimF)}; __c++)");
            w.Line($"default(TScheme).Fold(ref __acc[__c], ref __acc[{Int(dimF)} + __c], __par[__c], l.RoundToData);");
            w.Line("__par[__c] = 0;");
            w.Close();
            w.Close();
        }
        else if (shape is Shape.Sum or Shape.ShiftExp)
        {
            w.Open("if (!default(TScheme).Direct)");
            for (int c = 0; c < dimF; c++)
            {
                w.Line($"default(TScheme).Fold(ref __a{Int(c)}, ref __c{Int(c)}, __p{Int(c)}, l.RoundToData);");
                w.Line($"__p{Int(c)} = 0;");
            }

            w.Close();
        }

        w.Close();
        w.Line();
        w.Line($"{Ilgpu}.Group.Barrier();");
        w.Close();
        w.Close();
        w.Line();
        w.Open("if (__active)");
        EmitWrite(w, t, shape, op, k, dimF);
        w.Close();
    }

    /// <summary>Lowers the formula for one pair; leaves are the prologue's locals, hoisted values and inner loads.</summary>
    private static string[] EmitFormula(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters, System.Func<KernelSide, int, string?> innerLoad, System.Func<int, string, string>? innerAt = null, int perPairPosition = -1)
    {
        if (LoopPlan.NeedsLoops(new[] { plan.Formula }))
        {
            return EmitLoopedFormula(w, t, plan, hoisting, outer, parameters, innerLoad, innerAt, perPairPosition);
        }

        Dictionary<Formula, string[]> values = CpuEmitter.EmitValues(w, new[] { plan.Formula }, new LaneContext(t, null), hoisting.Names, node =>
        {
            if (hoisting.TryGetSlot(node, out KernelSide side, out int slot))
            {
                return side switch
                {
                    KernelSide.Outer => outer[node].ToArray(),
                    KernelSide.Parameter => parameters[node].ToArray(),
                    _ => Enumerable.Range(0, node.Dim).Select(c => innerLoad(side, plan.InnerDim + slot + c)!).ToArray(),
                };
            }

            if (!node.IsVariable)
            {
                return null;
            }

            KernelSide variableSide = plan.SideOf(node.VariablePosition);
            int at = plan.OffsetOf(node.VariablePosition);
            return Enumerable.Range(0, node.Dim).Select(c => variableSide switch
            {
                KernelSide.Outer or KernelSide.Parameter => hoisting.Variables[node.VariablePosition][c],
                _ => innerLoad(variableSide, at + c) ?? string.Empty,
            }).ToArray();
        }, hoisting.Lowering.GpuSteps);
        return values[plan.Formula];
    }

    /// <summary>
    /// <see cref="EmitFormula"/> for formulas with wide vectors: loops over components, with wide
    /// variables read by index from the views (outer rows, parameters) or the tile (inner rows).
    /// </summary>
    private static string[] EmitLoopedFormula(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters, System.Func<KernelSide, int, string?> innerLoad, System.Func<int, string, string>? innerAt, int perPairPosition)
        => Looped(w, t, plan, hoisting, outer, parameters, innerLoad, innerAt, perPairPosition).Components(plan.Formula);

    /// <summary>Sum kernels with a wide F keep their accumulators in per-thread arrays, folded in loops.</summary>
    private static bool IsWideSum(Shape shape, int dimF) => shape == Shape.Sum && dimF > LoopPlan.MaxUnrolledDim;

    private static LoopedLowering Looped(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters, System.Func<KernelSide, int, string?> innerLoad, System.Func<int, string, string>? innerAt, int perPairPosition)
    {
        VariableModel? Variable(Formula node) => node.IsVariable ? plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).First(x => x.Position == node.VariablePosition) : null;
        bool Indexed(Formula node)
        {
            if (hoisting.TryGetSlot(node, out KernelSide side, out _))
            {
                return side == KernelSide.Inner && innerAt is not null;
            }

            VariableModel v = Variable(node)!;
            return plan.SideOf(node.VariablePosition) switch
            {
                // As in the prologue: wide parameters are read from their view, except the one set per pair.
                KernelSide.Parameter => IsWide(v) && v.Position != perPairPosition,
                KernelSide.Outer => true,
                _ => innerAt is not null,
            };
        }

        var looped = new LoopedLowering(w, new[] { plan.Formula }, new LaneContext(t, null), hoisting.Names,
            node => hoisting.TryGetSlot(node, out _, out _) || node.IsVariable ? (Indexed(node) ? LoopPlan.Kind.Indexed : LoopPlan.Kind.Unrolled) : null,
            (node, index) =>
            {
                bool literal = int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int c);
                if (hoisting.TryGetSlot(node, out KernelSide side, out int slot))
                {
                    return side switch
                    {
                        KernelSide.Outer => outer[node][c],
                        KernelSide.Parameter => parameters[node][c],
                        _ => literal ? innerLoad(side, plan.InnerDim + slot + c)! : innerAt!(plan.InnerDim + slot, index),
                    };
                }

                VariableModel v = Variable(node)!;
                KernelSide variableSide = plan.SideOf(node.VariablePosition);
                int at = plan.OffsetOf(node.VariablePosition);
                return variableSide switch
                {
                    KernelSide.Outer => IsWide(v) ? ViewRead(v, index) : hoisting.Variables[v.Position][c],
                    KernelSide.Parameter => IsWide(v) && v.Position != perPairPosition ? ViewRead(v, index) : hoisting.Variables[v.Position][c],
                    _ => literal ? innerLoad(variableSide, at + c) ?? string.Empty : innerAt!(at, index),
                };
            });
        return looped;
    }

    private static bool IsWide(VariableModel v) => v.Dim > LoopPlan.MaxUnrolledDim;

    /// <summary>Component <paramref name="index"/> of an outer-row variable, or of a parameter, read from its view.</summary>
    private static string ViewRead(VariableModel v, string index)
        => v.Category == VariableCategory.Parameter ? $"v.{CpuEmitter.Field(v)}[{index}]" : $"v.{CpuEmitter.Field(v)}[(__r * {Int(v.Dim)}) + {index}]";

    private static void EmitAccumulators(IndentedWriter w, string t, Shape shape, int op, int k, int dimF)
    {
        switch (shape)
        {
            case Shape.Sum:
            case Shape.ShiftExp:
                if (shape == Shape.ShiftExp)
                {
                    w.Line($"{t} __m = {t}.NegativeInfinity;");
                }

                if (IsWideSum(shape, dimF))
                {
                    // Per-thread arrays instead of 3·dim F locals: the kernel stays O(formula).
                    w.Line($"var __acc = {Ilgpu}.LocalMemory.Allocate<double>({Int(2 * dimF)});");
                    w.Line($"var __par = {Ilgpu}.LocalMemory.Allocate<{t}>({Int(dimF)});");
                    w.Open($"for (int __c = 0; __c < {Int(dimF)}; __c++)");
                    w.Line("__acc[__c] = 0;");
                    w.Line($"__acc[{Int(dimF)} + __c] = 0;");
                    w.Line("__par[__c] = 0;");
                    w.Close();
                    break;
                }

                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"double __a{Int(c)} = 0, __c{Int(c)} = 0;");
                    w.Line($"{t} __p{Int(c)} = 0;");
                }

                break;
            case Shape.MinMax:
                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"{t} __b{Int(c)} = {t}.{(IsMax(op) ? "NegativeInfinity" : "PositiveInfinity")};");
                    w.Line($"int __i{Int(c)} = -1;");
                }

                break;
            case Shape.KMin:
                for (int c = 0; c < dimF; c++)
                {
                    for (int q = 0; q < k; q++)
                    {
                        w.Line($"{t} __b{Int(c)}_{Int(q)} = {t}.PositiveInfinity;");
                        w.Line($"int __i{Int(c)}_{Int(q)} = -1;");
                    }
                }

                break;
        }
    }

    private static void EmitPairUpdate(IndentedWriter w, string t, Shape shape, int op, int k, string[] f)
    {
        int dimF = f.Length;
        switch (shape)
        {
            case Shape.Sum:
                EmitFold(w, Enumerable.Range(0, dimF).Select(c => f[c]).ToArray());
                break;
            case Shape.ShiftExp:
                // Online max shift (KeOps's pair rule): when F exceeds the running max, what is
                // already summed moves to the new max.
                w.Open($"if ({f[0]} > __m)");
                w.Line($"double __scale = {Runtime}.GpuMath.Rescale(__m, {f[0]});");
                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"__a{Int(c)} *= __scale;");
                    w.Line($"__c{Int(c)} *= __scale;");
                    w.Line($"__p{Int(c)} = ({t})(__p{Int(c)} * __scale);");
                }

                w.Line($"__m = {f[0]};");
                w.Close();
                w.Line();
                w.Line($"var __e = {Runtime}.GpuMath.ShiftedExp({f[0]}, __m);");
                EmitFold(w, Enumerable.Range(0, dimF).Select(c => c == 0 ? "__e" : $"(__e * {f[c]})").ToArray());
                break;
            case Shape.MinMax:
                string compare = IsMax(op) ? ">" : "<";
                for (int c = 0; c < dimF; c++)
                {
                    w.Open($"if ({f[c]} {compare} __b{Int(c)})");
                    w.Line($"__b{Int(c)} = {f[c]};");
                    w.Line($"__i{Int(c)} = __j;");
                    w.Close();
                }

                break;
            case Shape.KMin:
                for (int c = 0; c < dimF; c++)
                {
                    string last = $"{Int(c)}_{Int(k - 1)}";
                    w.Open($"if ({f[c]} < __b{last})");
                    w.Line($"__b{last} = {f[c]};");
                    w.Line($"__i{last} = __j;");
                    for (int q = k - 1; q > 0; q--)
                    {
                        string a = $"{Int(c)}_{Int(q - 1)}", b = $"{Int(c)}_{Int(q)}";
                        w.Line($"{Runtime}.GpuMath.Sift(ref __b{a}, ref __i{a}, ref __b{b}, ref __i{b});");
                    }

                    w.Close();
                }

                break;
        }
    }

    private static void EmitFold(IndentedWriter w, string[] terms)
    {
        w.Open("if (default(TScheme).Direct)");
        for (int c = 0; c < terms.Length; c++)
        {
            w.Line($"default(TScheme).Fold(ref __a{Int(c)}, ref __c{Int(c)}, {terms[c]}, l.RoundToData);");
        }

        w.Close();
        w.Open("else");
        for (int c = 0; c < terms.Length; c++)
        {
            w.Line($"__p{Int(c)} += {terms[c]};");
        }

        w.Close();
    }

    private static void EmitWrite(IndentedWriter w, string t, Shape shape, int op, int k, int dimF)
    {
        switch (shape)
        {
            case Shape.Sum:
                if (IsWideSum(shape, dimF))
                {
                    w.Open($"for (int __c = 0; __c < {Int(dimF)}; __c++)");
                    w.Line($"l.Values[(__row * {Int(dimF)}) + __c] = ({t})__acc[__c];");
                    w.Close();
                    break;
                }

                for (int c = 0; c < dimF; c++)
                {
                    w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(c)}] = ({t})__a{Int(c)};");
                }

                break;
            case Shape.MinMax:
            case Shape.KMin:
                int slots = shape == Shape.KMin ? k : 1;
                foreach ((string output, string prefix) in new[] { ("Values", "__b"), ("Indices", "__i") })
                {
                    w.Open($"if (l.{output}.Length != 0)");
                    for (int q = 0; q < slots; q++)
                    {
                        for (int c = 0; c < dimF; c++)
                        {
                            string name = shape == Shape.KMin ? $"{prefix}{Int(c)}_{Int(q)}" : prefix + Int(c);
                            w.Line($"l.{output}[(__row * {Int(slots * dimF)}) + {Int((q * dimF) + c)}] = {name};");
                        }
                    }

                    w.Close();
                }

                break;
            case Shape.ShiftExp:
                int weights = dimF - 1;
                w.Line("double __lse = __m + global::System.Math.Log(__a0);");
                w.Open($"if (l.Mode == (int){Runtime}.ShiftExpMode.MaxSumShiftExp)");
                w.Line("l.Values[__row * 2] = __m;");
                w.Line($"l.Values[(__row * 2) + 1] = ({t})__a0;");
                w.Close();
                w.Open($"else if (l.Mode == (int){Runtime}.ShiftExpMode.MaxSumShiftExpWeight)");
                w.Line($"l.Values[__row * {Int(dimF)}] = ({t})__m;");
                for (int q = 0; q < weights; q++)
                {
                    w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(1 + q)}] = ({t})__a{Int(1 + q)};");
                }

                w.Close();
                w.Open($"else if (l.Mode == (int){Runtime}.ShiftExpMode.SoftMaxWithLogSumExp)");
                w.Line($"l.Values[__row * {Int(dimF)}] = ({t})__lse;");
                for (int q = 0; q < weights; q++)
                {
                    w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(1 + q)}] = ({t})(__a{Int(1 + q)} / __a0);");
                }

                w.Close();
                if (weights > 0)
                {
                    w.Open($"else if (l.Mode == (int){Runtime}.ShiftExpMode.SumSoftMaxWeight)");
                    for (int q = 0; q < weights; q++)
                    {
                        w.Line($"l.Values[(__row * {Int(weights)}) + {Int(q)}] = ({t})(__a{Int(1 + q)} / __a0);");
                    }

                    w.Close();
                    w.Open("else");
                    for (int q = 0; q < weights; q++)
                    {
                        w.Line($"l.Values[(__row * {Int(weights)}) + {Int(q)}] = ({t})(__m + global::System.Math.Log(__a{Int(1 + q)}));");
                    }

                    w.Close();
                }
                else
                {
                    w.Open("else");
                    w.Line($"l.Values[__row] = ({t})__lse;");
                    w.Close();
                }

                break;
        }
    }

    private static void EmitPairsBody(IndentedWriter w, string t, KernelPlan plan, KernelBody hoisting, ForwardPass forward, int target, int adjointPosition)
    {
        int dimF = plan.Formula.Dim;
        // The adjoint E is a parameter of the plan that takes one component of gradOutput per selected pair.
        VariableModel adjoint = plan.Parameters.First(p => p.Position == adjointPosition);
        (Dictionary<Formula, string[]> outer, Dictionary<Formula, string[]> parameters) = EmitPrologue(w, t, plan, hoisting, clampRow: false, new HashSet<VariableModel> { adjoint });
        if (target != 1)
        {
            for (int c = 0; c < dimF; c++)
            {
                w.Line($"{t} __g{Int(c)} = 0;");
            }
        }

        w.Open($"for (int __e = 0; __e < {Int(forward.Width)}; __e++)");
        w.Line($"int __slot = (__row * {Int(forward.Width)}) + __e;");
        w.Line("int __j = l.Indices[__slot];");
        w.Open("if (__j < 0)");
        w.Line("continue;");
        w.Close();
        w.Line();
        w.Line($"int __component = __e % {Int(forward.AdjointDim)};");
        for (int c = 0; c < forward.AdjointDim; c++)
        {
            w.Line($"{hoisting.Variables[adjoint.Position][c]} = __component == {Int(c)} ? l.GradOutput[__slot] : 0;");
        }

        string[] f = EmitFormula(w, t, plan, hoisting, outer, parameters, (side, index) =>
        {
            int at = 0;
            foreach (VariableModel v in plan.Inner)
            {
                if (index < at + v.Dim)
                {
                    return $"v.{CpuEmitter.Field(v)}[(__j * {Int(v.Dim)}) + {Int(index - at)}]";
                }

                at += v.Dim;
            }

            return null;
        }, perPairPosition: adjointPosition);
        for (int c = 0; c < dimF; c++)
        {
            w.Line(target == 1
                ? $"{Ilgpu}.Atomic.Add(ref l.Values[(__j * {Int(dimF)}) + {Int(c)}], {f[c]});"
                : $"__g{Int(c)} += {f[c]};");
        }

        w.Close();
        if (target != 1)
        {
            for (int c = 0; c < dimF; c++)
            {
                w.Line($"l.Values[(__row * {Int(dimF)}) + {Int(c)}] = __g{Int(c)};");
            }
        }
    }

    /// <summary>
    /// The device entry of a method: views in, views out, every kernel of the method enqueued
    /// (forward pass first for gradients that need one). Shared by the span path and the public
    /// accelerator overload.
    /// </summary>
    private static void EmitCore(IndentedWriter w, string t, MethodPlan method)
    {
        List<VariableModel> views = ViewVariables(method);
        string parameters = string.Concat(views.Select(v => $", {View(t)} {CpuEmitter.Field(v)}"));
        w.Line("/// <summary>Runs the method on device views (rows × dim, row-major): enqueued on the accelerator's default stream.</summary>");
        w.Open($"public static void Core({Ilgpu}.Runtime.Accelerator accelerator, int rowsI, int rowsJ, {View(t)} values, {View("int")} indices, global::KeOpsGen.Cpu.ReductionSettings settings{parameters})");
        string Outer(int axis) => axis == 1 ? "rowsI" : "rowsJ";
        string Inner(int axis) => axis == 1 ? "rowsJ" : "rowsI";
        string Inputs(KernelPlan plan, string className, VariableModel? replaced, string replacement)
            => $"new {className}.Inputs {{ {string.Join(", ", plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).Select(v => $"{CpuEmitter.Field(v)} = {(v == replaced ? replacement : CpuEmitter.Field(v))}"))} }}";
        string self = $"{method.Kernel.KernelName}Gpu";
        if (method.Saved is not { } forward)
        {
            string inputs = Inputs(method.Kernel, self, null, string.Empty);
            string counts = $"{Outer(method.Axis)}, {Inner(method.Axis)}";
            w.Line(ShapeOf(method) switch
            {
                Shape.Sum => $"Launch(accelerator, {inputs}, {counts}, values, settings);",
                Shape.ShiftExp => $"Launch(accelerator, {inputs}, {counts}, values, {Runtime}.ShiftExpMode.{ReductionRegistry.Get(method.Op).Name}, settings);",
                _ => $"Launch(accelerator, {inputs}, {counts}, values, indices, settings);",
            });
        }
        else
        {
            string fwd = $"{forward.Kernel.KernelName}Gpu";
            string fo = Outer(forward.Axis), fi = Inner(forward.Axis);
            string fwdInputs = Inputs(forward.Kernel, fwd, null, string.Empty);
            // The forward pass reduces over its own axis, so it reads that axis's half of the ranges.
            string fwdSettings = forward.Axis == method.Axis ? "settings" : $"settings.ForAxis({Int(forward.Axis)})";
            if (forward.Values is { } saved)
            {
                w.Open($"using (var __saved = accelerator.Allocate1D<{t}>(global::System.Math.Max(1L, (long){fo} * {Int(forward.Width)})))");
                w.Line($"var __savedView = __saved.View.SubView(0, (long){fo} * {Int(forward.Width)});");
                string mode = ReductionRegistry.Get(forward.Op).SavedGpuMode!;
                w.Line($"{fwd}.Launch(accelerator, {fwdInputs}, {fo}, {fi}, __savedView, {Runtime}.ShiftExpMode.{mode}, {fwdSettings});");
                w.Line($"Launch(accelerator, {Inputs(method.Kernel, self, saved, "__savedView")}, {Outer(method.Axis)}, {Inner(method.Axis)}, values, settings);");
            }
            else
            {
                VariableModel adjoint = method.Variables[method.Variables.Count - 1];
                w.Open($"using (var __selected = accelerator.Allocate1D<int>(global::System.Math.Max(1L, (long){fo} * {Int(forward.Width)})))");
                w.Line($"var __selectedView = __selected.View.SubView(0, (long){fo} * {Int(forward.Width)});");
                w.Line($"{fwd}.Launch(accelerator, {fwdInputs}, {fo}, {fi}, default, __selectedView, {fwdSettings});");
                w.Line($"Launch(accelerator, {Inputs(method.Kernel, self, adjoint, "default")}, {fo}, {fi}, __selectedView, {CpuEmitter.Field(adjoint)}, values, settings);");
            }

            // The temporary buffer is freed at the end of the block: wait for the kernels using it.
            w.Line("accelerator.Synchronize();");
            w.Close();
        }

        w.Close();
    }

    /// <summary>The span path: upload, <c>Core</c>, download; false when Backend.Auto fell back after a GPU error.</summary>
    private static void EmitRun(IndentedWriter w, string t, MethodPlan method)
    {
        List<VariableModel> views = ViewVariables(method);
        string parameters = string.Concat(views.Select(v => $", global::System.ReadOnlySpan<{t}> {CpuEmitter.Field(v)}"));
        string Rows(VariableCategory category) => category == VariableCategory.I ? "rowsI" : category == VariableCategory.J ? "rowsJ" : "1";
        string Outer(int axis) => axis == 1 ? "rowsI" : "rowsJ";
        string Inner(int axis) => axis == 1 ? "rowsJ" : "rowsI";
        ForwardPass? forward = method.Saved;
        string values = method.OutputParameter is null ? "0L"
            : method.SumOverRows ? Int(method.OutputWidth)
            : forward is { Values: null } ? (forward.Target == 2 ? Int(method.OutputWidth) : $"(long){(forward.Target == 1 ? Inner(forward.Axis) : Outer(forward.Axis))} * {Int(method.OutputWidth)}")
            : $"(long){Outer(method.Axis)} * {Int(method.OutputWidth)}";
        string indices = method.IndexParameter is null ? "0L" : $"(long){Outer(method.Axis)} * {Int(method.IndexWidth)}";
        w.Line("/// <summary>Runs the method for the span overloads: uploads the inputs, runs <c>Core</c>, downloads the outputs.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        w.Open($"public static bool Run({Runtime}.GpuTarget target, int rowsI, int rowsJ, global::System.Span<{t}> values, global::System.Span<int> indices, global::KeOpsGen.Cpu.ReductionSettings settings{parameters})");
        w.Line("using var call = target.Begin();");
        w.Open("try");
        foreach (VariableModel v in views)
        {
            string length = forward is { Values: null } && v == method.Variables[method.Variables.Count - 1]
                ? $"(long){Outer(forward.Axis)} * {Int(forward.Width)}"
                : $"(long){Rows(v.Category)} * {Int(v.Dim)}";
            w.Line($"var __{CpuEmitter.Field(v)} = call.Upload({CpuEmitter.Field(v)}, {length});");
        }

        w.Line($"var __values = call.Allocate<{t}>({values});");
        w.Line($"var __indices = call.Allocate<int>({indices});");
        w.Line($"Core(call.Accelerator, rowsI, rowsJ, __values, __indices, settings{string.Concat(views.Select(v => $", __{CpuEmitter.Field(v)}"))});");
        w.Line("call.Download(__values, values);");
        w.Line("call.Download(__indices, indices);");
        w.Line("return true;");
        w.Close();
        w.Open("catch (global::System.Exception e) when (call.FallBack(e))");
        w.Line("return false;");
        w.Close();
        w.Close();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
