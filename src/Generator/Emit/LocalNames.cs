using Microsoft.CodeAnalysis.CSharp;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The locals of one generated method body, named after the formula's terms (<c>x</c> for the
/// variable X, <c>exp</c>, <c>sqNorm2</c> for operations), with a number added only when a name is
/// taken. Every name it hands out is a valid C# identifier, distinct from the others, from C#
/// keywords and from the names the body already uses (<paramref name="reserved"/>), so a variable
/// called <c>result</c>, <c>int</c> or <c>Σ</c> cannot break the kernel.
/// </summary>
/// <remarks>
/// A value of several components gets the names <c>stem_0</c>, <c>stem_1</c>, ...; an owner stem
/// (<see cref="ClaimOwner"/>) also keeps every <c>stem_...</c> name for its holder to derive.
/// </remarks>
internal sealed class LocalNames
{
    private const int MaxStemLength = 24;
    private const int MaxTermLength = 40;

    private readonly HashSet<string> _taken = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _takenPrefixes = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _owners = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, int> _next = new(System.StringComparer.Ordinal);

    /// <param name="reserved">Names the body declares or reads itself (its parameters, loop counters, fields).</param>
    public LocalNames(params string[] reserved)
    {
        foreach (string name in reserved)
        {
            Register(name, owner: false);
        }
    }

    /// <summary>A fresh name for a one-component value.</summary>
    public string Claim(string stem) => Claim(stem, 1)[0];

    /// <summary>Fresh names for the <paramref name="count"/> components of one value: the stem alone for one component, <c>stem_c</c> for more.</summary>
    public string[] Claim(string stem, int count)
    {
        stem = Sanitize(stem);
        for (string candidate = stem; ; candidate = Bump(stem))
        {
            string[] names = count == 1 ? new[] { candidate } : Enumerable.Range(0, count).Select(c => candidate + "_" + Int(c)).ToArray();
            if (Free(candidate, owner: false) && names.All(n => Free(n, owner: false)))
            {
                Register(candidate, owner: false);
                foreach (string n in names)
                {
                    Register(n, owner: false);
                }

                return names;
            }
        }
    }

    /// <summary>A fresh stem whose <c>stem_...</c> names are all left to the caller (the looped lowering's accumulators).</summary>
    public string ClaimOwner(string stem)
    {
        stem = Sanitize(stem);
        for (string candidate = stem; ; candidate = Bump(stem))
        {
            if (Free(candidate, owner: true))
            {
                Register(candidate, owner: true);
                return candidate;
            }
        }
    }

    /// <summary>The name a term suggests: a variable's declared name, an operation's name, in lower camel case.</summary>
    public static string Stem(Formula node)
        => node.IsVariable ? node.Name ?? "input" : node.IsConstant ? "constant" : node.Op.Name;

    /// <summary>
    /// The term for a trailing comment: the sub-formula in KeOps syntax, its large arguments shown
    /// as <c>…</c> and the whole cut to a few dozen characters (a comment, not a listing). Never
    /// prints a large tree: derivatives share sub-formulas, and their full text can be exponential.
    /// </summary>
    public static string Term(Formula node)
    {
        Formula shown = node.Size <= 16 ? node : new Formula(node.Op,
            node.Args.Select(a => a.Size <= 6 ? a : F.Var(0, a.Dim, VariableCategory.I, "…")).ToArray(),
            node.Ints, node.Dim, node.Value, node.Name);
        var text = new StringBuilder();
        foreach (char c in shown.ToString())
        {
            // A comment ends at a line break; nothing in a formula is one, but names are the user's.
            text.Append(c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029' ? ' ' : c);
        }

        return text.Length <= MaxTermLength ? text.ToString() : text.ToString(0, MaxTermLength - 1) + "…";
    }

    /// <summary>A valid identifier from any text: identifier characters kept, the first lowered, C# keywords and empty names avoided.</summary>
    internal static string Sanitize(string text)
    {
        var builder = new StringBuilder();
        foreach (char c in text)
        {
            // Formatting characters (Cf) are identifier parts the compiler ignores when it compares
            // names: kept, they would make two names that differ only here the same local.
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            if (builder.Length == 0 ? SyntaxFacts.IsIdentifierStartCharacter(c) && c != '_' : SyntaxFacts.IsIdentifierPartCharacter(c))
            {
                builder.Append(builder.Length == 0 ? char.ToLowerInvariant(c) : c);
            }

            if (builder.Length == MaxStemLength)
            {
                break;
            }
        }

        string stem = builder.Length == 0 ? "value" : builder.ToString();
        return IsKeyword(stem) ? stem + "Value" : stem;
    }

    private static bool IsKeyword(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None;

    /// <summary>
    /// The next candidate for a taken stem: the stem without underscores, then a number (after an
    /// <c>n</c> when the stem ends in a digit). Without underscores no owner's names can block it,
    /// and the number grows, so every claim ends.
    /// </summary>
    private string Bump(string stem)
    {
        string root = stem.Replace("_", string.Empty);
        root = root.Length == 0 ? "value" : root;
        int n = _next.TryGetValue(root, out int known) ? known : 2;
        _next[root] = n + 1;
        return root + (char.IsDigit(root[root.Length - 1]) ? "n" : string.Empty) + Int(n);
    }

    private bool Free(string name, bool owner)
    {
        if (_taken.Contains(name) || IsKeyword(name) || (owner && _takenPrefixes.Contains(name)))
        {
            return false;
        }

        for (int i = name.IndexOf('_'); i > 0; i = name.IndexOf('_', i + 1))
        {
            if (_owners.Contains(name.Substring(0, i)))
            {
                return false;
            }
        }

        return true;
    }

    private void Register(string name, bool owner)
    {
        _taken.Add(name);
        if (owner)
        {
            _owners.Add(name);
        }

        for (int i = name.IndexOf('_'); i > 0; i = name.IndexOf('_', i + 1))
        {
            _takenPrefixes.Add(name.Substring(0, i));
        }
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
