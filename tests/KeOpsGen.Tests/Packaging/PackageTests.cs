using System;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Packaging;

/// <summary>
/// The package as a user gets it: `dotnet pack` of the runtime, then a fresh console project
/// outside the repository that references KeOpsGen 0.1.0 from a folder feed, declares a
/// [Reduction] and prints its result, which is checked against a float64 reference.
/// </summary>
public class PackageTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void PackedPackageWorksInAFreshConsumerProject()
    {
        string repo = FindRepoRoot();
        string work = Path.Combine(Path.GetTempPath(), "keopsgen-package-test-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(consumer);
        try
        {
            Run(repo, "pack", Path.Combine(repo, "src", "Runtime", "KeOpsGen.Runtime.csproj"), "-c", "Release", "-o", feed);

            string package = Path.Combine(feed, "KeOpsGen.0.1.0.nupkg");
            Assert.True(File.Exists(package), $"No {package}; the feed holds: {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}");
            using (ZipArchive zip = ZipFile.OpenRead(package))
            {
                string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("analyzers/dotnet/cs/KeOpsGen.Generator.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/KeOpsGen.CodeFixes.dll", entries);
                Assert.Contains("lib/net10.0/KeOpsGen.Runtime.dll", entries);
                Assert.Contains("buildTransitive/KeOpsGen.props", entries);
            }

            const int m = 5, n = 37;
            var random = new SeededRandom(nameof(PackedPackageWorksInAFreshConsumerProject));
            float[] x = random.Floats(m * 3, -1, 1), y = random.Floats(n * 3, -1, 1), b = random.Floats(n * 2, -1, 1);
            float g = (float)random.Double(0.5, 2);
            WriteConsumer(consumer, feed, x, y, b, g, m);

            string output = Run(consumer, "run", "-c", "Release");
            double[] printed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.StartsWith("value ", StringComparison.Ordinal))
                .Select(line => double.Parse(line.Substring(6), CultureInfo.InvariantCulture))
                .ToArray();
            Assert.True(printed.Length == m * 2, $"Expected {m * 2} values from the consumer, got {printed.Length}:\n{output}");

            for (int i = 0; i < m; i++)
            {
                for (int k = 0; k < 2; k++)
                {
                    double expected = 0, scale = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double d2 = 0;
                        for (int c = 0; c < 3; c++)
                        {
                            double d = (double)x[(i * 3) + c] - y[(j * 3) + c];
                            d2 += d * d;
                        }

                        double term = Math.Exp(-g * d2) * b[(j * 2) + k];
                        expected += term;
                        scale += Math.Abs(term);
                    }

                    // Float data, 37 terms: a few float ulps of Σ|F| (see ReductionNumericsTests).
                    double got = printed[(i * 2) + k];
                    Assert.True(Math.Abs(got - expected) <= 1e-5 * scale, $"{random} row {i} comp {k}: consumer printed {got:R}, reference {expected:R}\n{output}");
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder does not make the test wrong.
            }
        }
    }

    private static void WriteConsumer(string folder, string feed, float[] x, float[] y, float[] b, float g, int m)
    {
        // An empty Directory.Build.props/targets stops MSBuild from importing anything above the
        // temp folder; the local packages folder keeps a stale KeOpsGen 0.1.0 in the user's
        // global NuGet cache from being used instead of the package just built.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="keopsgen-local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>$(MSBuildProjectDirectory)/packages</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="KeOpsGen" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), $$"""
            using System;
            using System.Globalization;
            using KeOpsGen;

            float[] x = { {{Literals(x)}} };
            float[] y = { {{Literals(y)}} };
            float[] b = { {{Literals(b)}} };
            float[] g = { {{Literals(new[] { g })}} };
            var result = new float[{{m * 2}}];
            Kernels.Gaussian(x, y, b, g, result);
            foreach (float v in result)
            {
                Console.WriteLine("value " + v.ToString("R", CultureInfo.InvariantCulture));
            }

            static partial class Kernels
            {
                [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)")]
                public static partial void Gaussian(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
            }
            """);
    }

    private static string Literals(float[] values)
        => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + "f"));

    private static string FindRepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "KeOpsGen.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No KeOpsGen.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Runs dotnet with a timeout; returns stdout+stderr, fails with them on error.</summary>
    private static string Run(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild/VSTest variables that would leak into the child build.
        foreach (string key in info.Environment.Keys.ToArray())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string command = "dotnet " + string.Join(" ", arguments);
        if (!process.WaitForExit(ProcessTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new Xunit.Sdk.XunitException($"'{command}' in {workingDirectory} timed out after {ProcessTimeout}:\n{output}");
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"'{command}' in {workingDirectory} exited with {process.ExitCode}:\n{text}");
        }

        return text;
    }
}
