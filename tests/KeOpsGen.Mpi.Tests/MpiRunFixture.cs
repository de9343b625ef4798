using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace KeOpsGen.Mpi.Tests;

/// <summary>
/// Runs the driver once under <c>mpirun --allow-run-as-root --oversubscribe -np 4</c> with a fresh
/// seed (KEOPSGEN_TEST_SEED replays one); the tests read its output.
/// </summary>
public sealed class MpiRunFixture
{
    public const int Ranks = 4;

    public MpiRunFixture()
    {
        Seed = Environment.GetEnvironmentVariable("KEOPSGEN_TEST_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        string driver = DriverPath();
        var start = new ProcessStartInfo("mpirun")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No terminal control codes from the ranks' console in the captured output.
        start.Environment["TERM"] = "dumb";
        foreach (string arg in new[] { "--allow-run-as-root", "--oversubscribe", "-np", Ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", driver, Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("mpirun was not found: install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; .ci/run does this).", error);
        }

        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            process.Kill(entireProcessTree: true);
            TimedOut = true;
        }

        process.WaitForExit();
        ExitCode = TimedOut ? -1 : process.ExitCode;
        lock (output)
        {
            Output = output.ToString();
        }
    }

    public int Seed { get; }

    public int ExitCode { get; }

    public bool TimedOut { get; }

    public string Output { get; }

    /// <summary>The check lines of every rank whose name starts with <paramref name="prefix"/>.</summary>
    public string[] Checks(string prefix)
        => Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains($": CHECK {prefix}", StringComparison.Ordinal)).ToArray();

    public string Describe() => $"seed {Seed} (KEOPSGEN_TEST_SEED={Seed} replays it), exit code {ExitCode}{(TimedOut ? " (timed out)" : string.Empty)}, output:\n{Output}";

    private static string DriverPath()
    {
        // bin/<Configuration>/net10.0 of this project, mirrored in the driver's folder.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name;
        string configuration = here.Parent!.Name;
        DirectoryInfo tests = here.Parent!.Parent!.Parent!.Parent!;
        string path = Path.Combine(tests.FullName, "KeOpsGen.Mpi.Driver", "bin", configuration, framework, "KeOpsGen.Mpi.Driver.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The MPI driver is not built where expected.", path);
    }
}
