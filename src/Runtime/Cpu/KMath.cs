namespace KeOpsGen.Cpu;

/// <summary>
/// The math generated kernels call. Every function has a float and a double overload (plain
/// scalar code: the ILGPU kernels call these) and one generic overload over <see cref="ILane{TSelf}"/>,
/// written once for the scalar, <c>Vector256</c> and <c>Vector512</c> lanes of either type
/// (<see cref="ScalarLane{T}"/>, <see cref="Vector256Lane{T}"/>, <see cref="Vector512Lane{T}"/>), so
/// generated code names a function once and type inference picks the width.
/// </summary>
/// <remarks>
/// Semantics follow KeOps's <c>keops_math</c> definitions, including how comparisons treat NaN: a
/// test such as <c>x &lt; 0</c> is false for NaN, so <see cref="Step(float)"/> gives 1,
/// <see cref="Sign(float)"/> gives 0 and <see cref="ReLU(float)"/> gives NaN for a NaN lane.
/// The generic overloads never branch on lane values and produce the same special values as the
/// float and double overloads; their rounding may differ in the last place. The files split the
/// functions by family: KMath.Exp.cs, .Powers.cs, .Trig.cs, .Compare.cs, .Rounding.cs.
/// </remarks>
public static partial class KMath
{
}
