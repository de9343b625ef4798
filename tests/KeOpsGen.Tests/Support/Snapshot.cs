using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// Approved-file snapshots: Snapshots/&lt;Name&gt;.approved.txt is checked in; a mismatch writes
/// &lt;Name&gt;.received.txt next to it and fails. KEOPSGEN_ACCEPT_SNAPSHOTS=1 overwrites the
/// approved file instead (review the diff before committing it). Used for generated sources,
/// gradient texts, PTX and diagnostics alike.
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string folder = Path.Combine(FindTestsRoot(callerPath), "Snapshots");
        string approvedPath = Path.Combine(folder, name + ".approved.txt");
        string receivedPath = Path.Combine(folder, name + ".received.txt");
        string normalized = Normalize(actual);

        if (Environment.GetEnvironmentVariable("KEOPSGEN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
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

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, normalized);
        string reason = approved is null
            ? $"No approved snapshot {approvedPath}."
            : $"Snapshot {name} differs from {approvedPath}:\n{FirstDifference(approved, normalized)}";
        throw new Xunit.Sdk.XunitException(
            $"{reason}\nReceived output written to {receivedPath}. If the change is intended, rerun with KEOPSGEN_ACCEPT_SNAPSHOTS=1 and review the diff.");
    }

    /// <summary>Line endings and the final newline do not count as differences.</summary>
    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n').TrimEnd('\n') + "\n";

    /// <summary>The test project folder: the directory holding the .csproj, above the calling source file.</summary>
    private static string FindTestsRoot(string callerPath)
    {
        for (string? dir = Path.GetDirectoryName(callerPath); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "KeOpsGen.Tests.csproj")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No KeOpsGen.Tests.csproj above {callerPath}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        var builder = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.Max(e.Length, a.Length) && shown < 12; i++)
        {
            string? left = i < e.Length ? e[i] : null;
            string? right = i < a.Length ? a[i] : null;
            if (left == right)
            {
                continue;
            }

            builder.Append("line ").Append(i + 1).Append('\n');
            builder.Append("- ").Append(left ?? "<missing>").Append('\n');
            builder.Append("+ ").Append(right ?? "<missing>").Append('\n');
            shown++;
        }

        builder.Append($"({e.Length} approved lines, {a.Length} received lines)");
        return builder.ToString();
    }
}
