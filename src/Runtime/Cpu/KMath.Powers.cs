namespace KeOpsGen.Cpu;

// Powers and roots (Sqrt is a lane primitive, see KMath.cs). Functions built from products and quotients only (Inv, Square, Pow) are one
// generic method over the BCL operator interfaces, which float, double and the lanes all implement;
// the others have float and double overloads (what ILGPU kernels and gather-time code call, see
// KMath.cs for why these cannot be generic) and one generic overload over ILane.
public static partial class KMath
{
    /// <summary>
    /// 1 / sqrt(x), except 0 at x == 0 (KeOps's convention, which keeps gradients of norms finite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Rsqrt(float x) => x == 0 ? 0 : 1 / MathF.Sqrt(x);

    /// <inheritdoc cref="Rsqrt(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rsqrt(double x) => x == 0 ? 0 : 1 / Math.Sqrt(x);

    /// <inheritdoc cref="Rsqrt(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Rsqrt<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsEqual(x, TLane.Zero), TLane.Zero, TLane.One / TLane.Sqrt(x));

    /// <summary>
    /// 1 / x. One method for float, double and every lane type (all implement the generic-math
    /// operators it needs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Inv<T>(T x)
        where T : IDivisionOperators<T, T, T>, IMultiplicativeIdentity<T, T>
        => T.MultiplicativeIdentity / x;

    /// <summary>
    /// x * x, for float, double and every lane type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Square<T>(T x)
        where T : IMultiplyOperators<T, T, T>
        => x * x;

    /// <summary>
    /// x^m for an integer m, by repeated multiplication: one method for float, double and every
    /// lane type, so scalar and vector lanes agree bit for bit; Pow(x, 0) is 1 even for NaN x,
    /// negative m gives 1 / x^|m|.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow<T>(T x, int m)
        where T : IMultiplyOperators<T, T, T>, IDivisionOperators<T, T, T>, IMultiplicativeIdentity<T, T>
    {
        // m is a constant at every generated call site, so after inlining the JIT folds these tests
        // and the common small powers cost only their multiplications.
        if (m == 2)
        {
            return x * x;
        }

        if (m == 1)
        {
            return x;
        }

        if (m == 0)
        {
            return T.MultiplicativeIdentity;
        }

        if (m == -1)
        {
            return T.MultiplicativeIdentity / x;
        }

        // Square-and-multiply; long keeps -int.MinValue representable.
        ulong e = (ulong)Math.Abs((long)m);
        T acc = T.MultiplicativeIdentity;
        T b = x;
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                acc *= b;
            }

            b *= b;
            e >>= 1;
        }

        return m < 0 ? T.MultiplicativeIdentity / acc : acc;
    }

    /// <summary>
    /// x^y with the special cases of <see cref="Math.Pow(double, double)"/>: NaN for a negative
    /// base and non-integer exponent, a negative result for a negative base and odd integer
    /// exponent, and 1 for y == 0 or x == 1 even when the other argument is NaN.
    /// </summary>
    /// <remarks>
    /// The generic overload computes exp(y * log|x|) in double precision. Float lanes round that
    /// once to float, so they are within about half an ulp; double lanes have a relative error
    /// of about |y * ln x| * 2^-52 (7.9e-15 measured for |y ln x| up to 46).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Powf(float x, float y) => MathF.Pow(x, y);

    /// <inheritdoc cref="Powf(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Powf(double x, double y) => Math.Pow(x, y);

    /// <inheritdoc cref="Powf(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Powf<TLane>(TLane x, TLane y)
        where TLane : struct, ILane<TLane>
        => TLane.InDoublePrecision<PowInDoublePrecision>(x, y);

    // Powf's lanes in double precision. In float the rounding error of y*log(x) would be amplified
    // by |y*log(x)|, up to ~90x near the ends of the range; from double, the one rounding to float
    // dominates. The special cases are those of Math.Pow.
    private readonly struct PowInDoublePrecision : ILaneFunction2
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLane Invoke<TLane>(TLane x, TLane y)
            where TLane : struct, ILane<TLane>
        {
            TLane ax = TLane.Abs(x);
            TLane r = TLane.Exp(y * TLane.Log(ax));
            TLane yIsInt = TLane.IsEqual(TLane.Floor(y), y);
            TLane half = y * TLane.Constant(0.5);
            TLane yIsOdd = yIsInt & ~TLane.IsEqual(TLane.Floor(half), half);
            // The sign bit, not x < 0, so that (-0)^odd keeps its sign as Math.Pow does.
            r = TLane.Select(TLane.IsNegative(x) & yIsOdd, -r, r);
            // -inf is exempt: Math.Pow(-inf, 0.5) is +inf, which exp(y * log|x|) already gives.
            TLane noRealRoot = TLane.IsLess(x, TLane.Zero) & ~yIsInt & ~TLane.IsEqual(x, TLane.Constant(double.NegativeInfinity));
            r = TLane.Select(noRealRoot, TLane.Constant(double.NaN), r);
            // y * log|x| is NaN for y == 0 with |x| in {0, inf, NaN} and for |x| == 1 with infinite y,
            // yet all of these are 1; x == 1 is 1 even for NaN y.
            TLane infiniteY = TLane.IsEqual(TLane.Abs(y), TLane.Constant(double.PositiveInfinity));
            TLane one = TLane.IsEqual(y, TLane.Zero) | TLane.IsEqual(x, TLane.One) | (TLane.IsEqual(ax, TLane.One) & infiniteY);
            return TLane.Select(one, TLane.One, r);
        }
    }
}
