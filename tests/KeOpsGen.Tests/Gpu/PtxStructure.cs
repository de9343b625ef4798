using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace KeOpsGen.Tests.Gpu;

/// <summary>
/// What can be checked about PTX text without ptxas: header, one entry with its parameter list,
/// balanced braces, declared registers, defined labels, known opcodes and register kinds that
/// match each instruction's type. Returns the problems found (empty when the text passes).
/// </summary>
internal static class PtxStructure
{
    private static readonly Regex Register = new(@"%(?<kind>fd|rd|f|r|p)(?<n>\d+)", RegexOptions.Compiled);
    private static readonly Regex Declaration = new(@"^\s*\.reg\s+\.(?<type>\w+)\s+%(?<kind>fd|rd|f|r|p)<(?<count>\d+)>;", RegexOptions.Compiled);

    /// <summary>Opcode stems the emitter may use (the part before the first type/rounding suffix is enough to catch typos).</summary>
    private static readonly HashSet<string> KnownOpcodes = new(StringComparer.Ordinal)
    {
        "add", "sub", "mul", "mad", "fma", "div", "rcp", "sqrt", "rsqrt", "neg", "abs", "min", "max",
        "ex2", "lg2", "sin", "cos", "setp", "selp", "cvt", "cvta", "mov", "ld", "st", "shl", "shr", "and", "or",
        "bar", "bra", "ret",
    };

    public static List<string> Problems(string ptx, string expectedEntry, int expectedParameters)
    {
        var problems = new List<string>();
        string[] lines = ptx.Replace("\r\n", "\n").Split('\n');
        string[] code = lines.Select(StripComment).ToArray();

        Expect(problems, code.Any(l => l.Trim() == ".version 6.4"), "missing '.version 6.4'");
        Expect(problems, code.Any(l => l.Trim() == ".target sm_70"), "missing '.target sm_70'");
        Expect(problems, code.Any(l => l.Trim() == ".address_size 64"), "missing '.address_size 64'");

        string[] entries = code.Where(l => l.Contains(".entry")).ToArray();
        Expect(problems, entries.Length == 1, $"expected one .entry, found {entries.Length}");
        Expect(problems, entries.Length == 1 && entries[0].Trim() == $".visible .entry {expectedEntry}(", $"entry line should be '.visible .entry {expectedEntry}('");

        var parameters = code.Select(l => Regex.Match(l, @"^\s*\.param\s+\.(u64|u32)\s+(\w+)(,?)\s*$")).Where(m => m.Success).ToList();
        Expect(problems, parameters.Count == expectedParameters, $"expected {expectedParameters} parameters, found {parameters.Count}");
        for (int k = 0; k < parameters.Count; k++)
        {
            Expect(problems, parameters[k].Groups[2].Value == $"{expectedEntry}_param_{k}", $"parameter {k} is named {parameters[k].Groups[2].Value}");
            Expect(problems, (parameters[k].Groups[3].Value == ",") == (k + 1 < parameters.Count), $"parameter {k}: comma placement");
            string type = k < expectedParameters - 2 ? "u64" : "u32";
            Expect(problems, parameters[k].Groups[1].Value == type, $"parameter {k} should be .{type}");
        }

        int depth = 0;
        int parens = 0;
        foreach (string line in code)
        {
            foreach (char ch in line)
            {
                depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
                parens += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                Expect(problems, depth >= 0 && parens >= 0, "a closing brace or parenthesis without its opening one");
            }
        }

        Expect(problems, depth == 0, $"unbalanced braces ({depth})");
        Expect(problems, parens == 0, $"unbalanced parentheses ({parens})");

        var declared = new Dictionary<string, (string Type, int Count)>();
        foreach (string line in code)
        {
            Match m = Declaration.Match(line);
            if (m.Success)
            {
                Expect(problems, !declared.ContainsKey(m.Groups["kind"].Value), $"%{m.Groups["kind"].Value} declared twice");
                declared[m.Groups["kind"].Value] = (m.Groups["type"].Value, int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));
            }
        }

        var expectedTypes = new Dictionary<string, string> { ["p"] = "pred", ["r"] = "b32", ["rd"] = "b64", ["f"] = "f32", ["fd"] = "f64" };
        foreach (KeyValuePair<string, (string Type, int Count)> d in declared)
        {
            Expect(problems, expectedTypes[d.Key] == d.Value.Type, $"%{d.Key} declared as .{d.Value.Type}");
        }

        var sharedNames = new HashSet<string>(code
            .Select(l => Regex.Match(l, @"^\.shared\s+\.align\s+\d+\s+\.b8\s+(\w+)\[\d+\];\s*$"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value), StringComparer.Ordinal);
        int open = Array.FindIndex(code, l => l.Trim() == "{");
        int close = Array.FindLastIndex(code, l => l.Trim() == "}");
        Expect(problems, open >= 0 && close > open, "no entry body");
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var targets = new List<string>();
        bool returns = false;
        for (int i = open + 1; i < close && open >= 0; i++)
        {
            string line = code[i].Trim();
            if (line.Length == 0 || line.StartsWith(".reg", StringComparison.Ordinal) || line.StartsWith(".shared", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.EndsWith(":", StringComparison.Ordinal))
            {
                string label = line.Substring(0, line.Length - 1);
                Expect(problems, Regex.IsMatch(label, @"^\$[A-Za-z_][A-Za-z0-9_]*$"), $"bad label '{label}'");
                Expect(problems, labels.Add(label), $"label {label} defined twice");
                continue;
            }

            Expect(problems, line.EndsWith(";", StringComparison.Ordinal), $"line {i + 1} does not end with ';': {line}");
            string instruction = line.TrimEnd(';');
            if (instruction.StartsWith("@", StringComparison.Ordinal))
            {
                Match guard = Regex.Match(instruction, @"^@!?(%p\d+)\s+(.*)$");
                Expect(problems, guard.Success, $"line {i + 1}: malformed guard");
                instruction = guard.Success ? guard.Groups[2].Value : instruction;
            }

            string opcode = instruction.Split(' ')[0];
            string stem = opcode.Split('.')[0];
            Expect(problems, KnownOpcodes.Contains(stem), $"line {i + 1}: unknown opcode {opcode}");
            returns |= opcode == "ret";
            if (stem == "bra")
            {
                targets.Add(instruction.Substring(opcode.Length).Trim());
            }

            foreach (Match r in Register.Matches(instruction))
            {
                string kind = r.Groups["kind"].Value;
                int n = int.Parse(r.Groups["n"].Value, CultureInfo.InvariantCulture);
                Expect(problems, declared.TryGetValue(kind, out var d) && n < d.Count, $"line {i + 1}: {r.Value} is not declared");
            }

            CheckOperandKinds(problems, i + 1, opcode, instruction.Substring(opcode.Length));
            Match symbol = Regex.Match(instruction, @"^mov\.u32\s+%r\d+,\s*([A-Za-z_]\w*)$");
            if (symbol.Success)
            {
                Expect(problems, sharedNames.Contains(symbol.Groups[1].Value), $"line {i + 1}: {symbol.Groups[1].Value} is not a declared .shared array");
            }
        }

        foreach (string target in targets)
        {
            Expect(problems, labels.Contains(target), $"branch to undefined label {target}");
        }

        Expect(problems, returns, "no ret");
        return problems.Distinct().ToList();
    }

    /// <summary>
    /// Register kinds must fit the instruction's type: f32 → %f, f64 → %fd, 32-bit integers →
    /// %r, 64-bit → %rd; setp writes %p; selp and guards read %p; conversions and bit moves
    /// have a destination and a source type; memory addresses are checked as addresses.
    /// </summary>
    private static void CheckOperandKinds(List<string> problems, int line, string opcode, string operandText)
    {
        string[] parts = opcode.Split('.');
        string stem = parts[0];
        if (stem is "bra" or "ret" or "bar")
        {
            return;
        }

        // Immediates: f32 literals are 0f + 8 hex digits, f64 literals 0d + 16.
        foreach (Match m in Regex.Matches(operandText, @"\b0([fd])([0-9A-Fa-f]+)\b"))
        {
            int expected = m.Groups[1].Value == "f" ? 8 : 16;
            Expect(problems, m.Groups[2].Value.Length == expected, $"line {line}: malformed float literal {m.Value}");
        }

        string[] operands = SplitOperands(operandText);
        string last = parts[parts.Length - 1];
        string Kind(string type) => type switch
        {
            "f32" => "f",
            "f64" => "fd",
            "s32" or "u32" or "b32" => "r",
            "s64" or "u64" or "b64" => "rd",
            "pred" => "p",
            _ => "?",
        };

        void Want(int index, string kind)
        {
            if (index < operands.Length)
            {
                Match r = Register.Match(operands[index]);
                if (r.Success && r.Value == operands[index].Trim())
                {
                    Expect(problems, r.Groups["kind"].Value == kind, $"line {line}: {opcode} operand {index} is {operands[index].Trim()}, expected a %{kind} register");
                }
            }
        }

        switch (stem)
        {
            case "ld":
                Want(0, Kind(last));
                return;
            case "st":
                Want(1, Kind(last));
                return;
            case "cvt" or "cvta":
                if (stem == "cvt")
                {
                    string[] types = parts.Where(p => Kind(p) != "?").ToArray();
                    Expect(problems, types.Length == 2, $"line {line}: {opcode} needs a destination and a source type");
                    if (types.Length == 2)
                    {
                        Want(0, Kind(types[0]));
                        Want(1, Kind(types[1]));
                    }
                }

                return;
            case "mov" when last is "b64" or "b32":
                return;
            case "mul" when parts.Contains("wide"):
                Want(0, "rd");
                Want(1, "r");
                Want(2, "r");
                return;
            case "setp":
                Want(0, "p");
                Want(1, Kind(last));
                Want(2, Kind(last));
                return;
            case "selp":
                Want(0, Kind(last));
                Want(1, Kind(last));
                Want(2, Kind(last));
                Want(3, "p");
                return;
            case "shl" or "shr" when last is "b64" or "u64" or "s64":
                Want(0, "rd");
                Want(1, "rd");
                return;
            default:
                string kind = Kind(last);
                Expect(problems, kind != "?", $"line {line}: {opcode} has no type suffix");
                for (int k = 0; k < operands.Length; k++)
                {
                    Want(k, kind);
                }

                return;
        }
    }

    private static string[] SplitOperands(string text) => text.Split(',').Select(o => o.Trim()).Where(o => o.Length > 0).ToArray();

    private static string StripComment(string line)
    {
        int comment = line.IndexOf("//", StringComparison.Ordinal);
        return comment >= 0 ? line.Substring(0, comment) : line;
    }

    private static void Expect(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }
}
