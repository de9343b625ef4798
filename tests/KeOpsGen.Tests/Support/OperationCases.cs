using System.Collections.Generic;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// How the table-driven tests (values through generated kernels, derivatives against finite
/// differences) call each operation: the integer arguments of the operations that take some,
/// and the argument dimensions where the default (all 3, then a broadcast scalar) does not fit.
/// One place, so a new operation is described once for every test that loops over the table.
/// </summary>
internal static class OperationCases
{
    /// <summary>Integer arguments of the operations that take some (one array per int parameter).</summary>
    public static readonly Dictionary<string, int[][]> IntArguments = new()
    {
        ["Pow"] = new[] { new[] { 3 } },
        ["Round"] = new[] { new[] { 1 } },
        ["ClampInt"] = new[] { new[] { -1 }, new[] { 1 } },
        ["DiffClampInt"] = new[] { new[] { -1 }, new[] { 1 } },
        ["Elem"] = new[] { new[] { 1 } },
        ["ElemT"] = new[] { new[] { 4 }, new[] { 1 } },
        ["Extract"] = new[] { new[] { 1 }, new[] { 2 } },
        ["ExtractT"] = new[] { new[] { 1 }, new[] { 5 } },
        ["SumT"] = new[] { new[] { 4 } },
        ["OneHot"] = new[] { new[] { 5 } },
        // A 2×3 by 3×2 matrix product: contract f's axis 1 with g's axis 0.
        ["TensorDot"] = new[] { new[] { 2, 3 }, new[] { 3, 2 }, new[] { 1 }, new[] { 0 } },
        ["Kron"] = new[] { new[] { 2, 2 }, new[] { 1, 3 } },
        ["ComplexSumT"] = new[] { new[] { 6 } },
        ["BSpline"] = new[] { new[] { 2 } },
    };

    /// <summary>Argument dimensions where the default (all 3, then a broadcast scalar first) does not fit or is too weak.</summary>
    public static readonly Dictionary<string, int[][]> DimensionCases = new()
    {
        ["MatVecMult"] = new[] { new[] { 6, 3 }, new[] { 6, 2 } },
        ["VecMatMult"] = new[] { new[] { 2, 6 }, new[] { 3, 6 } },
        ["TensorProd"] = new[] { new[] { 2, 3 }, new[] { 3, 1 } },
        ["SymSqNorm"] = new[] { new[] { 9, 3 } },
        ["TensorDot"] = new[] { new[] { 6, 6 } },
        ["Kron"] = new[] { new[] { 4, 3 } },
        ["WeightedSqNorm"] = new[] { new[] { 1, 3 }, new[] { 3, 3 }, new[] { 9, 3 } },
        ["WeightedSqDist"] = new[] { new[] { 1, 3, 3 }, new[] { 3, 3, 3 }, new[] { 9, 3, 3 } },
        // Complex arguments have even dimension: a vector of 3 complex numbers, a complex scalar.
        ["ComplexReal"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexImag"] = new[] { new[] { 6 }, new[] { 2 } },
        ["Conj"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexSquareAbs"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexAbs"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexAngle"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexExp"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexSum"] = new[] { new[] { 6 }, new[] { 2 } },
        ["ComplexSumT"] = new[] { new[] { 2 } },
        ["ComplexAdd"] = new[] { new[] { 6, 6 }, new[] { 2, 6 }, new[] { 6, 2 } },
        ["ComplexSubtract"] = new[] { new[] { 6, 6 }, new[] { 2, 6 }, new[] { 6, 2 } },
        ["ComplexMult"] = new[] { new[] { 6, 6 }, new[] { 2, 6 }, new[] { 6, 2 } },
        ["ComplexDivide"] = new[] { new[] { 6, 6 }, new[] { 2, 6 }, new[] { 6, 2 } },
        ["ComplexRealScal"] = new[] { new[] { 1, 6 }, new[] { 6, 1 } },
        // Series of unequal lengths, and a one-sample series (first row only, no softmin).
        ["SoftDTW_SqDist"] = new[] { new[] { 3, 4, 1 }, new[] { 1, 3, 1 } },
        ["GradSoftDTW_SqDist"] = new[] { new[] { 3, 4, 1 } },
        ["BSpline"] = new[] { new[] { 6, 1 } },
        // OneHot, SumT, ElemT take a scalar.
        ["OneHot"] = new[] { new[] { 1 } },
        ["SumT"] = new[] { new[] { 1 } },
        ["ElemT"] = new[] { new[] { 1 } },
    };
}
