using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Emits the CPU kernel struct of a <see cref="KernelPlan"/>: pointers to the caller's data, the
/// gathers the engine asks for, and the formula lowered three times (scalar, Vector256,
/// Vector512) from one walk of the IR. Identical sub-formulas are computed once (CSE by
/// structural equality).
/// </summary>
internal static class CpuEmitter
{
    private const string Intrinsics = "global::System.Runtime.Intrinsics";

    public static void EmitKernel(IndentedWriter w, KernelPlan plan, string t)
    {
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"private unsafe struct {plan.KernelName} : global::KeOpsGen.Cpu.ICpuKernel<{t}>");
        foreach (VariableModel v in plan.Outer.Concat(plan.Inner).Concat(plan.Parameters))
        {
            w.Line($"public {t}* {Field(v)};");
        }

        w.Line();
        w.Line($"public static int OuterDim => {plan.OuterDim};");
        w.Line($"public static int InnerDim => {plan.InnerDim};");
        w.Line($"public static int ParamDim => {plan.ParamDim};");
        w.Line($"public static int FormulaDim => {plan.Formula.Dim};");
        w.Line();

        w.Open($"public void GatherOuter(int row, {t}* destination)");
        int offset = 0;
        foreach (VariableModel v in plan.Outer)
        {
            w.Line($"global::System.Buffer.MemoryCopy({Field(v)} + ((nint)row * {v.Dim}), destination + {offset}, {v.Dim} * sizeof({t}), {v.Dim} * sizeof({t}));");
            offset += v.Dim;
        }

        w.Close();
        w.Line();
        w.Open($"public void GatherInner(int start, int count, {t}* destination, nint stride)");
        if (plan.Inner.Count > 0)
        {
            w.Open("for (int r = 0; r < count; r++)");
            w.Line("nint row = (nint)start + r;");
            offset = 0;
            foreach (VariableModel v in plan.Inner)
            {
                w.Line($"{t}* {Field(v)}Row = {Field(v)} + (row * {v.Dim});");
                w.Open($"for (int k = 0; k < {v.Dim}; k++)");
                w.Line($"destination[((nint)({offset} + k) * stride) + r] = {Field(v)}Row[k];");
                w.Close();
                offset += v.Dim;
            }

            w.Close();
        }

        w.Close();
        w.Line();
        w.Open($"public void GatherParams({t}* destination)");
        offset = 0;
        foreach (VariableModel v in plan.Parameters)
        {
            w.Line($"global::System.Buffer.MemoryCopy({Field(v)}, destination + {offset}, {v.Dim} * sizeof({t}), {v.Dim} * sizeof({t}));");
            offset += v.Dim;
        }

        w.Close();

        foreach (LaneContext lane in new[]
        {
            new LaneContext(t, null),
            new LaneContext(t, Intrinsics + ".Vector256"),
            new LaneContext(t, Intrinsics + ".Vector512"),
        })
        {
            w.Line();
            EmitEvaluate(w, plan, lane);
        }

        w.Close();
    }

    internal static string Field(VariableModel v) => "V" + v.Position.ToString(CultureInfo.InvariantCulture);

    private static void EmitEvaluate(IndentedWriter w, KernelPlan plan, LaneContext lane)
    {
        string t = lane.ScalarType;
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open($"public static void Evaluate({t}* parameters, {t}* outer, {t}* inner, nint stride, ref {lane.LaneType} result)");
        var names = new Dictionary<Formula, string[]>();
        int next = 0;
        foreach (Formula node in plan.Formula.PostOrder())
        {
            string[] components;
            if (node.IsVariable)
            {
                components = Load(plan, node, lane);
                for (int c = 0; c < components.Length; c++)
                {
                    string local = $"x{node.VariablePosition}_{c}";
                    w.Line($"var {local} = {components[c]};");
                    components[c] = local;
                }
            }
            else if (node.IsConstant)
            {
                components = new[] { lane.Constant(node.Value) };
            }
            else
            {
                string[][] args = node.Args.Select(a => names[a]).ToArray();
                components = node.Op.Lower!(lane, args, IntArgs.Decode(node.Ints), node.Dim);
                foreach (string statement in lane.Statements)
                {
                    w.Line(statement);
                }

                lane.Statements.Clear();
                int id = next++;
                for (int c = 0; c < components.Length; c++)
                {
                    if (IsSimple(components[c]))
                    {
                        continue;
                    }

                    string local = $"t{id}_{c}";
                    w.Line($"var {local} = {components[c]};");
                    components[c] = local;
                }
            }

            names[node] = components;
        }

        string[] final = names[plan.Formula];
        for (int c = 0; c < final.Length; c++)
        {
            w.Line(c == 0
                ? $"result = {final[c]};"
                : $"global::System.Runtime.CompilerServices.Unsafe.Add(ref result, {c}) = {final[c]};");
        }

        w.Close();
    }

    private static bool IsSimple(string expression)
        => expression.All(ch => char.IsLetterOrDigit(ch) || ch == '_')
           || (expression.StartsWith(Intrinsics, System.StringComparison.Ordinal) && expression.Contains(".Create(") && expression.IndexOf('(') == expression.LastIndexOf('('));

    private static string[] Load(KernelPlan plan, Formula variable, LaneContext lane)
    {
        int position = variable.VariablePosition;
        int offset = plan.OffsetOf(position);
        bool isOuter = plan.Outer.Any(v => v.Position == position);
        bool isInner = plan.Inner.Any(v => v.Position == position);
        var result = new string[variable.Dim];
        for (int c = 0; c < variable.Dim; c++)
        {
            int index = offset + c;
            if (isInner)
            {
                string address = index == 0 ? "inner" : $"inner + ({index} * stride)";
                result[c] = lane.IsScalar
                    ? (index == 0 ? "inner[0]" : $"inner[{index} * stride]")
                    : $"{lane.VectorFactory}.Load({address})";
            }
            else
            {
                string source = isOuter ? "outer" : "parameters";
                result[c] = lane.IsScalar ? $"{source}[{index}]" : $"{lane.VectorFactory}.Create({source}[{index}])";
            }
        }

        return result;
    }
}
