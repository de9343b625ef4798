using System;
using System.IO;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>docs/operations.md must list every operation of the table, so the reference stays complete.</summary>
public sealed class OperationsDocTests
{
    [Fact]
    public void EveryOperationHasARowInTheReference()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "operations.md"));
        string[] missing = OperationTable.All.Select(op => op.Name).Where(name => !doc.Contains($"| `{name}` |", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "docs/operations.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryDiagnosticHasAHelpPage()
    {
        string root = RepositoryRoot();
        string[] missing = KeOpsGen.Generator.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id)
            .Where(id => !File.Exists(Path.Combine(root, "docs", "diagnostics", id + ".md"))).ToArray();
        Assert.True(missing.Length == 0, "docs/diagnostics lacks: " + string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "KeOpsGen.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("KeOpsGen.sln not found above " + AppContext.BaseDirectory);
    }
}
