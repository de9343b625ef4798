namespace KeOpsGen.Cpu;

/// <summary>
/// The math generated kernels call beyond the lane primitives. A function that is one primitive
/// (Exp, Log, Sin, Cos, Sqrt, Abs, Floor, Min, Max) has no entry here: generated code calls it on
/// the lane type (<c>TLane.Exp(x)</c>) or, in scalar code, on <c>MathF</c>/<c>Math</c>; Asin, Acos,
/// Atan and Atan2 are <c>MathF</c>/<c>Math</c> calls in scalar code too, and only their lane
/// overloads are here. A function built from products and quotients only (<see cref="Pow{T}(T, int)"/>, <see cref="Square{T}(T)"/>, <see cref="Inv{T}(T)"/>) is one generic
/// method over the BCL's operator interfaces, which float, double and every lane type implement.
/// Every other function has a float and a double overload (plain scalar code: ILGPU kernels and
/// gather-time values call these) and one generic overload over <see cref="ILane{TSelf}"/>,
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
/// <para>
/// Why the scalar overloads are not generic too: generated scalar code writes the same
/// <c>KMath.Name(x)</c> with a float or double x, and C# cannot declare a generic scalar
/// <c>Name&lt;T&gt;(T)</c> beside the lane one, which has the same signature and differs only in its
/// constraint. Nor can scalar code go through <see cref="ScalarLane{T}"/>: ILGPU compiles generic
/// math on float and double and calls through a lane type parameter, but not
/// <c>Unsafe.BitCast</c>, <c>typeof(T)</c> tests or generic conversions (<c>T.CreateTruncating</c>),
/// which a lane generic over its element type needs for constants and masks (checked with ILGPU
/// 1.5.3 on its CPU accelerator and PTX backend). And the GPU's float Exp must stay the hardware
/// <c>ex2</c> (<c>MathF.Exp</c>), while every CPU width runs the polynomial.
/// </para>
/// </remarks>
public static partial class KMath
{
}
