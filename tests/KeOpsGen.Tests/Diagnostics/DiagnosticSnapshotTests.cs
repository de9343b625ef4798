using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KeOpsGen.Tests.Diagnostics;

/// <summary>
/// What the user sees for representative malformed methods: the message and a caret line under the
/// blamed characters, checked against Snapshots/Diagnostics.{Case}.approved.txt (reviewed by eye
/// once; the span itself is also asserted by <see cref="DiagnosticTests"/>).
/// </summary>
public sealed class DiagnosticSnapshotTests
{
    [Theory]
    [InlineData("UnclosedParenthesis")]
    [InlineData("IllegalCharacter")]
    [InlineData("UnknownOperation")]
    [InlineData("WrongArity")]
    [InlineData("ElemFloatIndex")]
    [InlineData("AddDimensionMismatch")]
    [InlineData("ExtractOutOfRange")]
    [InlineData("UndeclaredVariable")]
    [InlineData("UnusedVariable")]
    [InlineData("DuplicatePosition")]
    [InlineData("GradTargetNotVariable")]
    [InlineData("RawStringMultiLine")]
    [InlineData("UnicodeEscape")]
    [InlineData("ErrorInsideConst")]
    [InlineData("ElementTypeMix")]
    [InlineData("KMinWithoutK")]
    public void DiagnosticRendersWithCaretsUnderItsSpan(string name)
    {
        Diagnostic diagnostic = DiagnosticTests.RunCase(name, out string source);
        DiagnosticSnapshot.Match("Diagnostics." + name, diagnostic, source);
    }
}
