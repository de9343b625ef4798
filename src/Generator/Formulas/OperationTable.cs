using System.Reflection;

namespace KeOpsGen.Generator.Formulas;

/// <summary>The one table of operations: the parser and binder resolve names only here.</summary>
internal static class OperationTable
{
    private static readonly Dictionary<string, Operation> s_byName = typeof(Ops)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Operation))
        .Select(f => (Operation)f.GetValue(null)!)
        .Where(op => op.Group != OpGroup.Internal)
        .ToDictionary(op => op.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<Operation> All => s_byName.Values;

    public static bool TryGet(string name, out Operation op) => s_byName.TryGetValue(name, out op!);

    /// <summary>The closest known names, for "did you mean".</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        int allowed = Math.Max(1, Math.Min(3, name.Length / 3));
        // A one-letter name is one edit away from every other one: suggest only when something is kept.
        return bestDistance <= allowed && bestDistance < name.Length ? best : null;
    }

    /// <summary>
    /// Up to <paramref name="count"/> known names within the same edit distance as
    /// <see cref="Suggest"/> allows, nearest first (ties by name): the choices of the IDE fix.
    /// </summary>
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> candidates, int count)
    {
        int allowed = Math.Max(1, Math.Min(3, name.Length / 3));
        string lower = name.ToLowerInvariant();
        return candidates
            .Select(candidate => (Name: candidate, Distance: Distance(lower, candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed && c.Distance < name.Length && c.Name != name)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)
            .ToList();
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
