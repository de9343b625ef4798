using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace KeOpsGen.Tests.Packaging;

/// <summary>
/// `dotnet pack` of the solution produces the library packages only: the root props make every
/// project non-packable, and only the shipped libraries opt back in.
/// </summary>
public sealed class PackableTests
{
    private static readonly string[] Libraries = { "src/Mpi/KeOpsGen.Mpi.csproj", "src/Runtime/KeOpsGen.Runtime.csproj" };

    [Fact]
    public void OnlyTheLibrariesOfTheSolutionArePackable()
    {
        string root = Support.RepositoryPaths.Root();
        Assert.Contains("<IsPackable>false</IsPackable>", File.ReadAllText(Path.Combine(root, "Directory.Build.props")), StringComparison.Ordinal);

        string[] projects = Regex.Matches(File.ReadAllText(Path.Combine(root, "KeOpsGen.sln")), "\"([^\"]+\\.csproj)\"")
            .Select(m => m.Groups[1].Value.Replace('\\', '/'))
            .ToArray();
        Assert.True(projects.Length > 5, "no projects read from KeOpsGen.sln");
        string[] packable = projects
            .Where(p => File.ReadAllText(Path.Combine(root, p)).Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(Libraries, packable);
    }
}
