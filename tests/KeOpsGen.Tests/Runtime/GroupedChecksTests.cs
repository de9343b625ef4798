using System;
using Xunit;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// A generated method checks an axis's spans with one <c>Validate.Rows(names, shapes)</c> call and
/// an output against its inputs with one <c>Validate.DisjointFrom</c> call: the messages must still
/// name the span at fault (and the one it was compared with), whichever position it has in the group.
/// </summary>
public static partial class GroupedChecksTests
{
    [Reduction("(X|Y)*B*C", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "C = Vj(3)")]
    private static partial void Three(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> result);

    private const int N = 4, M = 5;

    [Theory]
    [InlineData("y", 2 * (M - 1), M, 3 * M, "'b' has 5 rows but 'y' has 4: expected 4 × 1 = 4 values.", "b")]
    [InlineData("b", 2 * M, M - 1, 3 * M, "'b' has 4 rows but 'y' has 5: expected 5 × 1 = 5 values.", "b")]
    [InlineData("c", 2 * M, M, 3 * (M + 1), "'c' has 6 rows but 'y' has 5: expected 5 × 3 = 15 values.", "c")]
    [InlineData("c ragged", 2 * M, M, (3 * M) - 1, "Length 14 of 'c' is not a multiple of its dimension 3 (rows × 3 values, row-major).", "c")]
    [InlineData("y ragged", (2 * M) + 1, M, 3 * M, "Length 11 of 'y' is not a multiple of its dimension 2 (rows × 2 values, row-major).", "y")]
    public static void AGroupRowCheckNamesTheSpanAtFault(string what, int yLength, int bLength, int cLength, string message, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => Three(new float[2 * N], new float[yLength], new float[bLength], new float[cLength], new float[3 * N]));
        Assert.True(e.ParamName == parameter, $"{what}: parameter {e.ParamName}");
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "x")]
    [InlineData(1, "y")]
    [InlineData(2, "b")]
    [InlineData(3, "c")]
    public static void AnOverlapCheckNamesTheInputTheOutputOverlaps(int input, string name)
    {
        int[] lengths = { 2 * N, 2 * M, M, 3 * M };
        var buffer = new float[200];
        var spans = new (int Start, int Length)[4];
        int at = 0;
        for (int k = 0; k < 4; k++)
        {
            spans[k] = (at, lengths[k]);
            at += lengths[k] + 1;
        }

        // The result lies past every input; the chosen input is moved so that its last value is the result's first.
        int resultStart = at + 1;
        spans[input] = (resultStart - lengths[input] + 1, lengths[input]);

        ReadOnlySpan<float> Span(int k) => buffer.AsSpan(spans[k].Start, spans[k].Length);
        var e = Assert.Throws<ArgumentException>(() => Three(Span(0), Span(1), Span(2), Span(3), buffer.AsSpan(resultStart, 3 * N)));
        Assert.Equal("result", e.ParamName);
        Assert.Contains($"Output 'result' overlaps '{name}'", e.Message, StringComparison.Ordinal);
    }
}
