using System;
using System.IO;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>
/// docs/operations.md and the README's operation table are generated from the operation table and
/// the reduction registry (Support/ReferenceDocs); they must match what is committed.
/// </summary>
public sealed class OperationsDocTests
{
    [Fact]
    public void EveryOperationHasARowInTheReference()
    {
        string doc = File.ReadAllText(Path.Combine(Support.RepositoryPaths.Root(), "docs", "operations.md"));
        string[] missing = OperationTable.All.Select(op => op.Name).Where(name => !doc.Contains($"| `{name}` |", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "docs/operations.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheGeneratedReferenceMatchesTheTables()
    {
        string root = Support.RepositoryPaths.Root();
        bool accept = Environment.GetEnvironmentVariable("KEOPSGEN_ACCEPT_SNAPSHOTS") == "1";
        var stale = new System.Collections.Generic.List<string>();
        foreach ((string file, string marker, string text) in Support.ReferenceDocs.Regions())
        {
            string path = Path.Combine(root, file);
            string document = File.ReadAllText(path).Replace("\r\n", "\n");
            string? committed = Support.ReferenceDocs.Region(document, marker);
            Assert.True(committed is not null, $"{file} lacks the generated:{marker} markers");
            if (committed == text)
            {
                continue;
            }

            if (accept)
            {
                File.WriteAllText(path, Support.ReferenceDocs.Replace(document, marker, text));
            }
            else
            {
                stale.Add($"{file} ({marker})");
            }
        }

        Assert.True(stale.Count == 0, "Out of date with the tables: " + string.Join(", ", stale) + ". Run the tests with KEOPSGEN_ACCEPT_SNAPSHOTS=1 and review the diff.");
    }

    [Fact]
    public void EveryReductionHasARowInTheReference()
    {
        string doc = File.ReadAllText(Path.Combine(Support.RepositoryPaths.Root(), "docs", "operations.md"));
        string[] missing = KeOpsGen.Generator.Reductions.ReductionRegistry.All.Select(r => r.Name).Where(name => !doc.Contains($"| `{name}` |", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "docs/operations.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryDiagnosticHasAHelpPage()
    {
        string root = Support.RepositoryPaths.Root();
        string[] missing = KeOpsGen.Generator.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id)
            .Where(id => !File.Exists(Path.Combine(root, "docs", "diagnostics", id + ".md"))).ToArray();
        Assert.True(missing.Length == 0, "docs/diagnostics lacks: " + string.Join(", ", missing));
    }
}
