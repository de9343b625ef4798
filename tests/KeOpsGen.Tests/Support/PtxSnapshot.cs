using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// Approved-file check for PTX text: Snapshots/Ptx.{name}.approved.txt must equal the emitted
/// text. A difference writes Ptx.{name}.received.txt next to it and fails; running with
/// KEOPSGEN_ACCEPT_SNAPSHOTS=1 overwrites the approved file instead (review the diff before committing).
/// </summary>
internal static class PtxSnapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(ProjectDirectory(callerPath), "Snapshots");
        string approvedPath = Path.Combine(directory, $"Ptx.{name}.approved.txt");
        string receivedPath = Path.Combine(directory, $"Ptx.{name}.received.txt");
        string normalized = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("KEOPSGEN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(approvedPath, normalized);
            File.Delete(receivedPath);
            return;
        }

        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n") : null;
        if (approved == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(approved is null
            ? $"No approved PTX snapshot {approvedPath}; the emitted text is in {receivedPath} (accept with KEOPSGEN_ACCEPT_SNAPSHOTS=1)."
            : $"PTX differs from {approvedPath}; see {receivedPath} (accept with KEOPSGEN_ACCEPT_SNAPSHOTS=1 if the change is intended).");
    }

    /// <summary>The test project's directory: the nearest parent of the calling source file holding a .csproj.</summary>
    private static string ProjectDirectory(string callerPath)
    {
        string? directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && Directory.GetFiles(directory, "*.csproj").Length == 0)
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException($"no project directory above {callerPath}");
    }
}
