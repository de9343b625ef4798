namespace KeOpsGen.Cpu;

/// <summary>
/// A group of <see cref="Count"/> values of one floating-point type handled as one: a scalar, a
/// <c>Vector256</c> or a <c>Vector512</c>. Generated kernels, <see cref="KMath"/> and the CPU
/// engine's loops are written once against this interface (the engine adds only its horizontal
/// steps, in the internal <c>IEngineLane</c>); the JIT specializes them per lane type (all lane
/// types are structs), so every call below compiles to the instruction it names.
/// </summary>
/// <remarks>
/// Members are the primitives generic math needs, each one instruction or one BCL call; composite
/// functions (Exp, Powf, Sign, ...) live in <see cref="KMath"/>. Comparisons return masks: a lane
/// is all one bits where the comparison holds, all zero bits elsewhere, as the SIMD compare
/// instructions give; <see cref="Select"/> and the bitwise operators consume them.
/// </remarks>
/// <typeparam name="TSelf">The lane type itself.</typeparam>
/// <remarks>
/// The products and quotients are the BCL's generic-math operator interfaces, which float and
/// double implement too: a <see cref="KMath"/> function that needs nothing else (Pow, Square, Inv)
/// is one generic method serving both the lanes and the plain scalars that ILGPU kernels and
/// gather-time code pass.
/// </remarks>
public interface ILane<TSelf> : IMultiplyOperators<TSelf, TSelf, TSelf>, IDivisionOperators<TSelf, TSelf, TSelf>, IMultiplicativeIdentity<TSelf, TSelf>
    where TSelf : struct, ILane<TSelf>
{
    /// <summary>Number of values in one lane group (1, 8 or 16 floats, 1, 4 or 8 doubles).</summary>
    static abstract int Count { get; }

    /// <summary>Whether the values are doubles (else floats).</summary>
    static abstract bool IsDouble { get; }

    /// <summary>Every value 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Every value 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>Every value 1: <see cref="One"/> under the generic-math name.</summary>
    static TSelf IMultiplicativeIdentity<TSelf, TSelf>.MultiplicativeIdentity => TSelf.One;

    /// <summary><paramref name="value"/> rounded to the element type, in every position.</summary>
    static abstract TSelf Constant(double value);

    /// <summary>Sum, value by value.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Difference, value by value.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>Negation (flips the sign bit, so -0 and NaN too).</summary>
    static abstract TSelf operator -(TSelf a);

    /// <summary>Bitwise and (of masks, or of a mask and values).</summary>
    static abstract TSelf operator &(TSelf a, TSelf b);

    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf a, TSelf b);

    /// <summary>Bitwise complement.</summary>
    static abstract TSelf operator ~(TSelf a);

    /// <summary>a × b + c with one rounding.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);

    /// <summary>IEEE minimum as <see cref="System.Math.Min(double, double)"/>: NaN wins, -0 below +0.</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>IEEE maximum as <see cref="System.Math.Max(double, double)"/>: NaN wins, +0 above -0.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>a &lt; b ? a : b, so a NaN in either gives <paramref name="b"/> (the x86 minps rule, one instruction).</summary>
    static abstract TSelf MinNative(TSelf a, TSelf b);

    /// <summary>a &gt; b ? a : b, so a NaN in either gives <paramref name="b"/> (the x86 maxps rule).</summary>
    static abstract TSelf MaxNative(TSelf a, TSelf b);

    /// <summary>Square root, correctly rounded; NaN below 0.</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>Absolute value (clears the sign bit).</summary>
    static abstract TSelf Abs(TSelf x);

    /// <summary>Largest integer not above x.</summary>
    static abstract TSelf Floor(TSelf x);

    /// <summary>Rounds toward zero.</summary>
    static abstract TSelf Truncate(TSelf x);

    /// <summary>The magnitude of <paramref name="value"/> with the sign bit of <paramref name="sign"/>.</summary>
    static abstract TSelf CopySign(TSelf value, TSelf sign);

    /// <summary>
    /// e^x by our own polynomial (KMath.ExpPolynomial says how, and how accurate). A lane member
    /// rather than generic code so that each vector width can write it with its own intrinsics: the
    /// JIT's inlining cost of a lane operation is temporaries, and Exp is the costliest common function.
    /// </summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>Natural logarithm (the BCL's, vector or scalar).</summary>
    static abstract TSelf Log(TSelf x);

    /// <summary>Sine (the BCL's, vector or scalar).</summary>
    static abstract TSelf Sin(TSelf x);

    /// <summary>Cosine (the BCL's, vector or scalar).</summary>
    static abstract TSelf Cos(TSelf x);

    /// <summary>
    /// p × 2^n for integer-valued n within the exponent range of the element type (about ±150 for
    /// float, ±1076 for double), rounded once, subnormal results included.
    /// </summary>
    static abstract TSelf ScaleB(TSelf p, TSelf n);

    /// <summary>Mask of a == b (false where either is NaN).</summary>
    static abstract TSelf IsEqual(TSelf a, TSelf b);

    /// <summary>Mask of a &lt; b.</summary>
    static abstract TSelf IsLess(TSelf a, TSelf b);

    /// <summary>Mask of a &lt;= b.</summary>
    static abstract TSelf IsLessOrEqual(TSelf a, TSelf b);

    /// <summary>Mask of a &gt; b.</summary>
    static abstract TSelf IsGreater(TSelf a, TSelf b);

    /// <summary>Mask of a &gt;= b.</summary>
    static abstract TSelf IsGreaterOrEqual(TSelf a, TSelf b);

    /// <summary>Mask of a set sign bit (so -0 and negative NaNs too).</summary>
    static abstract TSelf IsNegative(TSelf x);

    /// <summary><paramref name="ifTrue"/> where <paramref name="mask"/> is set, else <paramref name="ifFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    /// <summary>A scalar function applied value by value, for the functions the BCL has no vector form of.</summary>
    static abstract TSelf Map<TFunction>(TSelf x)
        where TFunction : IScalarFunction;

    /// <inheritdoc cref="Map{TFunction}(TSelf)"/>
    static abstract TSelf Map<TFunction>(TSelf y, TSelf x)
        where TFunction : IScalarFunction2;

    /// <summary>
    /// <typeparamref name="TFunction"/> evaluated in double-precision lanes: float lanes are
    /// widened, computed in double and rounded once back to float; double lanes are computed as they are.
    /// </summary>
    static abstract TSelf InDoublePrecision<TFunction>(TSelf x, TSelf y)
        where TFunction : ILaneFunction2;
}

/// <summary>A lane type whose values are <typeparamref name="T"/>: how values get in.</summary>
/// <typeparam name="TSelf">The lane type itself.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
public interface ILane<TSelf, T> : ILane<TSelf>
    where TSelf : struct, ILane<TSelf, T>
    where T : unmanaged
{
    /// <summary><paramref name="value"/> in every position.</summary>
    static abstract TSelf Create(T value);

    /// <summary><see cref="ILane{TSelf}.Count"/> consecutive values starting at <paramref name="source"/>.</summary>
    static abstract TSelf Load(in T source);

    /// <summary><see cref="ILane{TSelf}.Count"/> consecutive values starting <paramref name="offset"/> elements past <paramref name="source"/>.</summary>
    static abstract TSelf Load(in T source, nint offset);

    /// <summary>The value <paramref name="offset"/> elements past <paramref name="source"/>, in every position.</summary>
    static abstract TSelf Broadcast(in T source, nint offset);

    /// <summary>The value in position <paramref name="index"/>.</summary>
    static abstract T GetElement(TSelf lanes, int index);
}

/// <summary>A scalar function of one argument, for <see cref="ILane{TSelf}.Map{TFunction}(TSelf)"/>.</summary>
public interface IScalarFunction
{
    /// <summary>The function, for float or double.</summary>
    static abstract T Invoke<T>(T x)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>A scalar function of two arguments, for <see cref="ILane{TSelf}.Map{TFunction}(TSelf, TSelf)"/>.</summary>
public interface IScalarFunction2
{
    /// <summary>The function, for float or double.</summary>
    static abstract T Invoke<T>(T y, T x)
        where T : IFloatingPointIeee754<T>;
}

/// <summary>A function of two lanes written once over the lane type, for <see cref="ILane{TSelf}.InDoublePrecision{TFunction}"/>.</summary>
public interface ILaneFunction2
{
    /// <summary>The function, in whichever lane type it is called with.</summary>
    static abstract TLane Invoke<TLane>(TLane x, TLane y)
        where TLane : struct, ILane<TLane>;
}
