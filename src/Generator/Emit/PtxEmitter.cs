using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>The PTX of one kernel and the launch facts the runtime needs.</summary>
internal sealed record PtxKernel(string EntryName, string Text, int BlockSize, int SharedBytes, int EstimatedRegisters);

/// <summary>
/// Emits a PTX entry (ISA 6.4, sm_70, 64-bit addresses) for a <see cref="KernelPlan"/>, with
/// the CPU kernel's data layout: one thread per output row holds its outer variables and the
/// parameters in registers; the block streams the inner rows through shared memory in tiles of
/// one row per thread; F is evaluated per (row, j) in registers and merged by a
/// <see cref="PtxReduction"/>. Parameters of the entry, in order: one global pointer per outer,
/// inner and parameter variable (as in the plan), the output pointer, the outer count and the
/// inner count (u32).
/// </summary>
internal static class PtxEmitter
{
    public const string IsaVersion = "6.4";
    public const string Target = "sm_70";

    /// <summary>Static shared memory per block that every sm_70+ device offers without opt-in.</summary>
    private const int SharedLimit = 48 * 1024;

    /// <summary>The first operation in the formula without a PTX lowering, or null if all have one.</summary>
    public static string? UnsupportedOperation(Formula formula)
    {
        foreach (Formula node in formula.PostOrder())
        {
            if (!node.IsVariable && !node.IsConstant && node.Op.PtxLower is null)
            {
                return node.Op.Name;
            }
        }

        return null;
    }

    /// <summary>Why the kernel cannot run on the GPU, or null when <see cref="Emit"/> will succeed.</summary>
    public static string? CpuOnlyReason(KernelPlan plan, string elementType)
    {
        string? op = UnsupportedOperation(plan.Formula);
        if (op is not null)
        {
            return $"operation {op} has no GPU (PTX) lowering";
        }

        int size = elementType == "double" ? 8 : 4;
        if (32 * plan.InnerDim * size > SharedLimit)
        {
            return $"the reduced-side variables ({plan.InnerDim} values per row) do not fit a shared-memory tile";
        }

        return null;
    }

    /// <summary>The entry point's name: the kernel's C# name restricted to PTX identifier characters.</summary>
    public static string EntryName(KernelPlan plan)
    {
        var builder = new StringBuilder("keops_");
        foreach (char ch in plan.KernelName)
        {
            builder.Append((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ? ch : '_');
        }

        return builder.ToString();
    }

    /// <summary>Emits the kernel, or returns null when <see cref="CpuOnlyReason"/> gives a reason.</summary>
    public static PtxKernel? Emit(KernelPlan plan, string elementType, PtxReduction reduction, string formulaText)
    {
        if (CpuOnlyReason(plan, elementType) is not null)
        {
            return null;
        }

        bool isDouble = elementType == "double";
        var c = new PtxContext(isDouble);
        string entry = EntryName(plan);
        int size = c.Size;
        int formulaDim = plan.Formula.Dim;
        int innerDim = plan.InnerDim;
        VariableModel[] variables = plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).ToArray();

        int registers = EstimateRegisters(plan, reduction);
        int block = registers <= 64 ? 256 : registers <= 128 ? 128 : 64;
        while (block > 32 && block * innerDim * size > SharedLimit)
        {
            block /= 2;
        }

        int sharedBytes = block * innerDim * size;
        var parameterNames = new List<string>();
        for (int k = 0; k < variables.Length + 3; k++)
        {
            parameterNames.Add($"{entry}_param_{k}");
        }

        // Pointers: ld.param then cvta.to.global (generic to global window).
        var pointers = new Dictionary<int, string>();
        for (int k = 0; k < variables.Length; k++)
        {
            pointers[variables[k].Position] = GlobalPointer(c, parameterNames[k]);
        }

        string output = GlobalPointer(c, parameterNames[variables.Length]);
        string outerCount = c.NewB32();
        c.Emit($"ld.param.u32 {outerCount}, [{parameterNames[variables.Length + 1]}]");
        string innerCount = c.NewB32();
        c.Emit($"ld.param.u32 {innerCount}, [{parameterNames[variables.Length + 2]}]");

        c.Comment("one thread per output row; rows past the end still help load tiles");
        string tid = c.NewB32();
        c.Emit($"mov.u32 {tid}, %tid.x");
        string ctaid = c.NewB32();
        c.Emit($"mov.u32 {ctaid}, %ctaid.x");
        string row = c.NewB32();
        c.Emit($"mad.lo.s32 {row}, {ctaid}, {block}, {tid}");
        string active = c.NewPred();
        c.Emit($"setp.lt.s32 {active}, {row}, {outerCount}");
        string safeRow = c.NewB32();
        c.Emit($"selp.b32 {safeRow}, {row}, 0, {active}");

        var loaded = new Dictionary<int, string[]>();
        foreach (VariableModel v in plan.Outer)
        {
            string address = RowAddress(c, pointers[v.Position], safeRow, v.Dim * size);
            loaded[v.Position] = LoadComponents(c, "ld.global.nc", address, 0, v.Dim);
        }

        foreach (VariableModel v in plan.Parameters)
        {
            loaded[v.Position] = LoadComponents(c, "ld.global.nc", pointers[v.Position], 0, v.Dim);
        }

        reduction.Init(c, formulaDim);

        string? sharedBase = null;
        string? mySlot = null;
        if (innerDim > 0)
        {
            sharedBase = c.NewB32();
            c.Emit($"mov.u32 {sharedBase}, {entry}_tile");
            mySlot = c.NewB32();
            c.Emit($"mad.lo.s32 {mySlot}, {tid}, {innerDim * size}, {sharedBase}");
        }

        string tileStart = c.NewB32();
        c.Emit($"mov.u32 {tileStart}, 0");
        string tileLoop = c.NewLabel("tile");
        string done = c.NewLabel("done");
        string afterLoad = c.NewLabel("loaded");
        string afterTile = c.NewLabel("tile_end");
        string innerLoop = c.NewLabel("inner");
        string end = c.NewLabel("end");

        c.Label(tileLoop);
        string finished = c.NewPred();
        c.Emit($"setp.ge.s32 {finished}, {tileStart}, {innerCount}");
        c.Emit($"@{finished} bra {done}");
        if (innerDim > 0)
        {
            c.Comment("each thread copies one inner row of the tile to shared memory");
            string j = c.NewB32();
            c.Emit($"add.s32 {j}, {tileStart}, {tid}");
            string outside = c.NewPred();
            c.Emit($"setp.ge.s32 {outside}, {j}, {innerCount}");
            c.Emit($"@{outside} bra {afterLoad}");
            int offset = 0;
            foreach (VariableModel v in plan.Inner)
            {
                string address = RowAddress(c, pointers[v.Position], j, v.Dim * size);
                string[] values = LoadComponents(c, "ld.global.nc", address, 0, v.Dim);
                for (int k = 0; k < v.Dim; k++)
                {
                    c.Emit($"st.shared.{c.T} [{mySlot}+{(offset + k) * size}], {values[k]}");
                }

                offset += v.Dim;
            }

            c.Label(afterLoad);
        }

        c.Emit("bar.sync 0");
        string count = c.NewB32();
        c.Emit($"sub.s32 {count}, {innerCount}, {tileStart}");
        c.Emit($"min.s32 {count}, {count}, {block}");
        c.Emit($"@!{active} bra {afterTile}");
        reduction.TileBegin(c);
        string jj = c.NewB32();
        c.Emit($"mov.u32 {jj}, 0");
        string? slot = null;
        if (sharedBase is not null)
        {
            slot = c.NewB32();
            c.Emit($"mov.u32 {slot}, {sharedBase}");
        }

        // The tile holds at least one row (tileStart < innerCount), so the loop tests at its end.
        c.Label(innerLoop);
        int innerOffset = 0;
        foreach (VariableModel v in plan.Inner)
        {
            loaded[v.Position] = LoadComponents(c, "ld.shared", slot!, innerOffset * size, v.Dim);
            innerOffset += v.Dim;
        }

        string[] terms = EvaluateFormula(c, plan.Formula, loaded);
        string index = c.NewB32();
        c.Emit($"add.s32 {index}, {tileStart}, {jj}");
        reduction.Accumulate(c, terms, index);
        c.Emit($"add.s32 {jj}, {jj}, 1");
        if (slot is not null)
        {
            c.Emit($"add.s32 {slot}, {slot}, {innerDim * size}");
        }

        string more = c.NewPred();
        c.Emit($"setp.lt.s32 {more}, {jj}, {count}");
        c.Emit($"@{more} bra {innerLoop}");
        reduction.TileEnd(c);
        c.Label(afterTile);
        c.Comment("the tile is reused: wait until every thread is done with it");
        c.Emit("bar.sync 0");
        c.Emit($"add.s32 {tileStart}, {tileStart}, {block}");
        c.Emit($"bra {tileLoop}");

        c.Label(done);
        c.Emit($"@!{active} bra {end}");
        string resultAddress = RowAddress(c, output, row, formulaDim * size);
        reduction.Store(c, resultAddress);
        c.Label(end);
        c.Emit("ret");

        string text = Assemble(c, entry, parameterNames, variables, block, sharedBytes, formulaText);
        return new PtxKernel(entry, text, block, sharedBytes, registers);
    }

    /// <summary>
    /// A rough count of 32-bit registers live in the inner loop: outer and parameter values, the
    /// reduction's state, the inner values and the widest layer of F's temporaries (bounded).
    /// </summary>
    private static int EstimateRegisters(KernelPlan plan, PtxReduction reduction)
    {
        int nodes = 0;
        foreach (Formula node in plan.Formula.PostOrder())
        {
            nodes += node.Dim;
        }

        return plan.OuterDim + plan.ParamDim + plan.InnerDim + reduction.StateRegisters(plan.Formula.Dim) + System.Math.Min(nodes, 48) + 12;
    }

    private static string GlobalPointer(PtxContext c, string parameter)
    {
        string raw = c.NewB64();
        c.Emit($"ld.param.u64 {raw}, [{parameter}]");
        string global = c.NewB64();
        c.Emit($"cvta.to.global.u64 {global}, {raw}");
        return global;
    }

    private static string RowAddress(PtxContext c, string basePointer, string row, int rowBytes)
    {
        string offset = c.NewB64();
        c.Emit($"mul.wide.s32 {offset}, {row}, {rowBytes}");
        string address = c.NewB64();
        c.Emit($"add.s64 {address}, {basePointer}, {offset}");
        return address;
    }

    private static string[] LoadComponents(PtxContext c, string load, string address, int byteOffset, int dim)
    {
        var result = new string[dim];
        for (int k = 0; k < dim; k++)
        {
            result[k] = c.NewF();
            int offset = byteOffset + (k * c.Size);
            c.Emit($"{load}.{c.T} {result[k]}, [{address}{(offset == 0 ? string.Empty : "+" + offset.ToString(CultureInfo.InvariantCulture))}]");
        }

        return result;
    }

    private static string[] EvaluateFormula(PtxContext c, Formula formula, Dictionary<int, string[]> variables)
    {
        var names = new Dictionary<Formula, string[]>();
        foreach (Formula node in formula.PostOrder())
        {
            if (names.ContainsKey(node))
            {
                continue;
            }

            string[] components;
            if (node.IsVariable)
            {
                components = variables[node.VariablePosition];
            }
            else if (node.IsConstant)
            {
                components = new[] { c.Const(node.Value) };
            }
            else
            {
                c.Comment(node.Op.Name);
                string[][] args = node.Args.Select(a => names[a]).ToArray();
                components = node.Op.PtxLower!(c, args, IntArgs.Decode(node.Ints), node.Dim);
            }

            names[node] = components;
        }

        return names[formula];
    }

    private static string Assemble(PtxContext c, string entry, List<string> parameterNames, VariableModel[] variables, int block, int sharedBytes, string formulaText)
    {
        var text = new StringBuilder();
        text.Append("// Generated by KeOpsGen ").Append(GeneratorInfo.Version).Append(" from: ")
            .Append(AsciiLine(formulaText)).Append('\n');
        text.Append(".version ").Append(IsaVersion).Append('\n');
        text.Append(".target ").Append(Target).Append('\n');
        text.Append(".address_size 64\n\n");
        if (sharedBytes > 0)
        {
            // Module scope, as nvcc places static shared arrays; mov.u32 of its name gives the shared-window address.
            text.Append(".shared .align 8 .b8 ").Append(entry).Append("_tile[").Append(sharedBytes.ToString(CultureInfo.InvariantCulture)).Append("];\n\n");
        }

        text.Append(".visible .entry ").Append(entry).Append("(\n");
        for (int k = 0; k < parameterNames.Count; k++)
        {
            string type = k < variables.Length + 1 ? ".u64" : ".u32";
            string role = k < variables.Length ? $"V{variables[k].Position.ToString(CultureInfo.InvariantCulture)} ({variables[k].Category}, dim {variables[k].Dim.ToString(CultureInfo.InvariantCulture)})"
                : k == variables.Length ? "output" : k == variables.Length + 1 ? "outer count" : "inner count";
            text.Append("\t.param ").Append(type).Append(' ').Append(parameterNames[k])
                .Append(k + 1 < parameterNames.Count ? "," : string.Empty).Append(" // ").Append(role).Append('\n');
        }

        text.Append(")\n");
        text.Append(".reqntid ").Append(block.ToString(CultureInfo.InvariantCulture)).Append(", 1, 1\n");
        text.Append("{\n");
        Declare(text, ".pred", "%p", c.PredCount);
        Declare(text, ".b32", "%r", c.B32Count);
        Declare(text, ".b64", "%rd", c.B64Count);
        Declare(text, ".f32", "%f", c.F32Count);
        Declare(text, ".f64", "%fd", c.F64Count);
        text.Append('\n');
        foreach (string line in c.Lines)
        {
            text.Append(line).Append('\n');
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>PTX source is ASCII: other characters and line breaks in a comment become '?' and spaces.</summary>
    private static string AsciiLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            builder.Append(ch == '\n' || ch == '\r' ? ' ' : ch < 32 || ch > 126 ? '?' : ch);
        }

        return builder.ToString();
    }

    /// <summary><c>.reg .f32 %f&lt;n+1&gt;;</c> declares %f0 … %fn; registers are numbered from 1.</summary>
    private static void Declare(StringBuilder text, string type, string prefix, int count)
    {
        if (count > 0)
        {
            text.Append("\t.reg ").Append(type).Append(' ').Append(prefix).Append('<')
                .Append((count + 1).ToString(CultureInfo.InvariantCulture)).Append(">;\n");
        }
    }
}
