using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// A diagnostic as the user reads it: "ID: message", then each source line its span touches with
/// a caret line under the span. Compared with Snapshots/{name}.approved.txt through
/// <see cref="Snapshot"/> (KEOPSGEN_ACCEPT_SNAPSHOTS=1 accepts new or changed text).
/// </summary>
internal static class DiagnosticSnapshot
{
    public static void Match(string name, Diagnostic diagnostic, string source, [CallerFilePath] string callerPath = "")
        => Snapshot.Match(name, Render(diagnostic, source), callerPath);

    public static string Render(Diagnostic diagnostic, string source)
    {
        var text = SourceText.From(source);
        TextSpan span = diagnostic.Location.SourceSpan;
        var builder = new StringBuilder();
        builder.Append(diagnostic.Id).Append(": ").Append(diagnostic.GetMessage(CultureInfo.InvariantCulture)).Append('\n');
        LinePositionSpan lines = text.Lines.GetLinePositionSpan(span);
        for (int l = lines.Start.Line; l <= lines.End.Line; l++)
        {
            TextLine line = text.Lines[l];
            int from = Math.Max(span.Start, line.Start) - line.Start;
            int to = Math.Min(span.End, line.End) - line.Start;
            if (to <= from && l != lines.Start.Line)
            {
                continue;
            }

            builder.Append(line.ToString()).Append('\n');
            builder.Append(' ', from).Append('^', Math.Max(1, to - from)).Append('\n');
        }

        return builder.ToString();
    }
}
