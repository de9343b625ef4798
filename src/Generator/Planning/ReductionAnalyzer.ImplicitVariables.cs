using KeOpsGen.Generator.Parsing;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// <c>Var(pos,dim,cat)</c> used in the formula (or the Weight) at a position no declaration has:
/// as in KeOps (pykeops appends such variables to the aliases), it declares the variable itself,
/// exactly like an unnamed declaration at that position, so it binds the method's pos-th parameter.
/// The checks a declaration gets still apply, with the squiggle on the Var call: a valid
/// category and dimension, the same dimension and category at every use of one position, and
/// positions without gaps across declarations and uses.
/// </summary>
internal static partial class ReductionAnalyzer
{
    /// <summary>An undeclared variable and where it was first written.</summary>
    private sealed record ImplicitVariable(VariableDeclaration Declaration, LocationInfo Location);

    private static List<ImplicitVariable> CollectImplicitVariables(ReductionDeclaration d, List<VariableDeclaration> declared, List<DiagnosticInfo> diagnostics)
    {
        var found = new Dictionary<int, (ImplicitVariable Variable, string Text)>();
        var sources = new List<(string Text, SourceMap Map)>();
        if (d.Formula is not null)
        {
            sources.Add((d.Formula, d.FormulaMap));
        }

        if (d.Weight is not null && d.WeightMap is not null)
        {
            sources.Add((d.Weight, d.WeightMap));
        }

        foreach ((string text, SourceMap map) in sources)
        {
            // A formula that does not parse is reported by the binder, with its own span.
            FormulaSyntax? syntax = Parser.Parse(text, out _);
            if (syntax is null)
            {
                continue;
            }

            foreach (CallSyntax call in VarCalls(syntax))
            {
                if (call.Arguments.Count != 3 || call.Arguments.Any(a => a is not NumberSyntax { IsInteger: true } n || n.Value > int.MaxValue))
                {
                    // Malformed Var calls are the binder's to report (wrong count, non-integer).
                    continue;
                }

                int position = (int)((NumberSyntax)call.Arguments[0]).Value;
                int dim = (int)((NumberSyntax)call.Arguments[1]).Value;
                int category = (int)((NumberSyntax)call.Arguments[2]).Value;
                if (declared.Any(v => v.Position == position))
                {
                    // Checked against that declaration by the binder.
                    continue;
                }

                string written = text.Substring(call.Span.Start, call.Span.Length);
                LocationInfo location = map.Map(call.Span);
                if (category > 2 || dim < 1)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidImplicitVariable, location,
                        category > 2
                            ? $"{written} has category {category}: expected 0 (Vi), 1 (Vj) or 2 (Pm)"
                            : $"{written} has dimension {dim}: a variable has at least 1 component"));
                    continue;
                }

                if (found.TryGetValue(position, out var first))
                {
                    VariableDeclaration v = first.Variable.Declaration;
                    if (v.Dim != dim || (int)v.Category != category)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InconsistentImplicitVariable, location,
                            $"{written} disagrees with {first.Text}, used earlier for the same position {position}: one position is one parameter, with one dimension and category"));
                    }

                    continue;
                }

                var declaration = new VariableDeclaration(null, (VariableCategory)category, dim, position, -1, default, default, default, default);
                found.Add(position, (new ImplicitVariable(declaration, location), written));
            }
        }

        var result = found.Values.Select(f => f.Variable).OrderBy(v => v.Declaration.Position).ToList();
        int total = declared.Count + result.Count;
        foreach ((ImplicitVariable variable, string written) in found.Values.OrderBy(f => f.Variable.Declaration.Position))
        {
            int position = variable.Declaration.Position;
            if (position >= total)
            {
                int missing = Enumerable.Range(0, total).First(p => !declared.Any(v => v.Position == p) && !found.ContainsKey(p));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImplicitVariableGap, variable.Location,
                    $"{written} binds parameter {position}, but with {declared.Count} declaration(s) and {result.Count} undeclared Var(s) the positions must run from 0 to {total - 1}: position {missing} is neither declared nor used"));
            }
        }

        return result;
    }

    private static IEnumerable<CallSyntax> VarCalls(FormulaSyntax root)
    {
        // Iterative: the parser bounds the height, but a stack costs nothing here.
        var stack = new Stack<FormulaSyntax>();
        stack.Push(root);
        var calls = new List<CallSyntax>();
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case CallSyntax call:
                    if (call.Name == "Var")
                    {
                        calls.Add(call);
                    }

                    foreach (FormulaSyntax a in call.Arguments)
                    {
                        stack.Push(a);
                    }

                    break;
                case UnarySyntax unary:
                    stack.Push(unary.Operand);
                    break;
                case BinarySyntax binary:
                    stack.Push(binary.Right);
                    stack.Push(binary.Left);
                    break;
                case ListSyntax list:
                    foreach (FormulaSyntax item in list.Items)
                    {
                        stack.Push(item);
                    }

                    break;
            }
        }

        // Source order, so "earlier use" in messages means earlier in the text.
        return calls.OrderBy(c => c.Span.Start);
    }
}
