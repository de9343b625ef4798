using System;
using System.IO;

namespace KeOpsGen.Tests.Support;

/// <summary>The repository checkout the tests run from (the folder holding KeOpsGen.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "KeOpsGen.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("KeOpsGen.sln not found above " + AppContext.BaseDirectory);
    }
}
