using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// Approved-text snapshots under tests/KeOpsGen.Tests/Snapshots/{name}.approved.txt. A mismatch
/// fails and writes {name}.received.txt next to it; setting KEOPSGEN_ACCEPT_SNAPSHOTS=1 approves
/// the received text instead (review the diff before committing it).
/// </summary>
internal static class TextSnapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(FindProjectDirectory(callerPath), "Snapshots");
        string approvedPath = Path.Combine(directory, name + ".approved.txt");
        string receivedPath = Path.Combine(directory, name + ".received.txt");
        string normalized = Normalize(actual);
        if (Environment.GetEnvironmentVariable("KEOPSGEN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(approvedPath, normalized);
            File.Delete(receivedPath);
            return;
        }

        string? approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;
        if (approved == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(approved is null
            ? $"No approved snapshot {approvedPath}; received text written to {receivedPath}. Re-run with KEOPSGEN_ACCEPT_SNAPSHOTS=1 to approve:\n{normalized}"
            : $"Snapshot {name} differs from {approvedPath} (received text in {receivedPath}; KEOPSGEN_ACCEPT_SNAPSHOTS=1 re-approves).\nApproved:\n{approved}\nReceived:\n{normalized}");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";

    private static string FindProjectDirectory(string callerPath)
    {
        string? directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && !File.Exists(Path.Combine(directory, "KeOpsGen.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException($"cannot find the test project above {callerPath}");
    }
}
