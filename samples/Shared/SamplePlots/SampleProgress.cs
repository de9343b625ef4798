using System;
using System.Diagnostics;
using Spectre.Console;

namespace KeOpsGen.Samples;

/// <summary>
/// Progress for the long-running parts of the samples and the benchmark: a Spectre.Console
/// progress bar on an interactive terminal, plain lines when output is redirected (CI logs,
/// pipes), so logs get no escape codes and no redraw noise.
/// </summary>
public static class SampleProgress
{
    /// <summary>Whether bars are drawn: output not redirected and a terminal Spectre considers
    /// interactive; <c>KEOPSGEN_PLAIN_OUTPUT=1</c> forces plain lines.</summary>
    public static bool Interactive =>
        !Console.IsOutputRedirected
        && AnsiConsole.Profile.Capabilities.Interactive
        && Environment.GetEnvironmentVariable("KEOPSGEN_PLAIN_OUTPUT") != "1";

    /// <summary>Runs <paramref name="body"/> under one bar named <paramref name="description"/>
    /// that ends at <paramref name="total"/> steps.</summary>
    public static void Run(string description, double total, Action<ProgressScope> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run<object?>(description, total, scope =>
        {
            body(scope);
            return null;
        });
    }

    /// <summary>Runs <paramref name="body"/> under one bar and returns its result.</summary>
    public static T Run<T>(string description, double total, Func<ProgressScope, T> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(body);
        if (!(total > 0) || double.IsInfinity(total))
        {
            throw new ArgumentException($"The step count must be positive and finite; got {total}.", nameof(total));
        }

        var watch = Stopwatch.StartNew();
        if (!Interactive)
        {
            Console.WriteLine($"{description} ...");
            T plain = body(new ProgressScope(null));
            Console.WriteLine($"{description}: done in {watch.Elapsed.TotalSeconds:F1} s");
            return plain;
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(description), maxValue: total);
                result = body(new ProgressScope(task));
                task.Value = task.MaxValue;
            });
        return result;
    }
}

/// <summary>One running bar: advance it, and print lines above it (plainly when redirected).</summary>
public sealed class ProgressScope
{
    private readonly ProgressTask? _task;

    internal ProgressScope(ProgressTask? task) => _task = task;

    /// <summary>Moves the bar by <paramref name="steps"/>.</summary>
    public void Advance(double steps = 1) => _task?.Increment(steps);

    /// <summary>Prints a line; on a terminal Spectre keeps it above the live bar.</summary>
    public void Log(string line)
    {
        if (_task is null)
        {
            Console.WriteLine(line);
        }
        else
        {
            AnsiConsole.Console.WriteLine(line);
        }
    }
}
