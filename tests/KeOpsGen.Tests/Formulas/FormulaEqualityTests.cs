using KeOpsGen.Generator.Formulas;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>
/// Structural equality on formulas that share sub-formulas, as derivatives do: two equal DAGs
/// built separately must compare in time linear in their size, not in the number of paths.
/// </summary>
public class FormulaEqualityTests
{
    // 60 levels of x -> x*x + x: about 2^60 root-to-leaf paths but only 120 distinct nodes. A
    // comparison that walked paths would never return; this test would hang instead of passing.
    private static Formula Doubling(int levels, int leafPosition)
    {
        Formula x = F.Var(leafPosition, 1, VariableCategory.I, "X");
        for (int k = 0; k < levels; k++)
        {
            x = Ops.Add.Node(new[] { Ops.Mult.Node(new[] { x, x }, OpKit.NoInts), x }, OpKit.NoInts);
        }

        return x;
    }

    [Fact]
    public void EqualSharedDagsBuiltSeparatelyCompareEqual()
    {
        Formula a = Doubling(60, 0);
        Formula b = Doubling(60, 0);
        Assert.NotSame(a, b);
        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void SharedDagsDifferingInOneLeafCompareUnequal()
    {
        Formula a = Doubling(60, 0);
        Formula b = Doubling(60, 1);
        Assert.False(a.Equals(b));
        Assert.False(b.Equals(a));
    }
}
