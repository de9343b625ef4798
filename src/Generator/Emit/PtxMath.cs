using System;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Scalar PTX templates used by the op table's PTX lowerings. Each takes argument registers and
/// returns the register holding the result. PTX instructions relied on (PTX ISA 6.4, sm_70):
/// add/sub/mul/fma.rn/div.rn/rcp.rn/sqrt.rn/neg/abs/min/max (f32, f64), setp (ordered and
/// unordered comparisons), selp, cvt.rni/cvt.rmi/cvt.rzi (float to integral), mov.b32/mov.b64
/// (bit casts), shl/shr/and/or (b64), and the MUFU approximations ex2.approx.ftz.f32,
/// lg2.approx.f32, rsqrt.approx.f32, sin.approx.f32 and cos.approx.f32, which exist for f32
/// only: double math is written here as range-reduced polynomials.
/// </summary>
internal static class PtxMath
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2 = 0.6931471805599453;

    /// <summary>ln2 split for Cody–Waite reduction: the high part has 32 significant bits, so n·hi is exact for |n| &lt; 2^21.</summary>
    private const long Ln2HiBits = 0x3FE62E42FEE00000;

    /// <summary>ln2 − hi to double precision (not Ln2 − hi, which would lose the bits of ln2 past the double).</summary>
    private const double Ln2Lo = 1.9082149292705877e-10;

    public static string Add(PtxContext c, string[] a) => c.Op("add", a[0], a[1]);

    public static string Subtract(PtxContext c, string[] a) => c.Op("sub", a[0], a[1]);

    public static string Mult(PtxContext c, string[] a) => c.Op("mul", a[0], a[1]);

    public static string Divide(PtxContext c, string[] a) => c.Op("div.rn", a[0], a[1]);

    public static string Minus(PtxContext c, string[] a) => c.Op("neg", a[0]);

    public static string Square(PtxContext c, string[] a) => c.Op("mul", a[0], a[0]);

    public static string Inv(PtxContext c, string[] a) => c.Op("rcp.rn", a[0]);

    public static string Abs(PtxContext c, string[] a) => c.Op("abs", a[0]);

    public static string Sqrt(PtxContext c, string[] a) => c.Op("sqrt.rn", a[0]);

    public static string Floor(PtxContext c, string[] a) => c.Op("cvt.rmi." + c.T, a[0]);

    /// <summary>f^m by binary powering (m may be negative: 1/f^|m|).</summary>
    public static string Pow(PtxContext c, string[] a, int m)
    {
        if (m == 0)
        {
            return c.Const(1);
        }

        int e = Math.Abs(m);
        string? result = null;
        string power = a[0];
        while (true)
        {
            if ((e & 1) != 0)
            {
                result = result is null ? power : c.Op("mul", result, power);
            }

            e >>= 1;
            if (e == 0)
            {
                break;
            }

            power = c.Op("mul", power, power);
        }

        return m < 0 ? c.Op("rcp.rn", result!) : result!;
    }

    /// <summary>1/√f, and 0 at f = 0 (the op's definition).</summary>
    public static string Rsqrt(PtxContext c, string[] a)
    {
        // f32: rsqrt.approx.f32 (max relative error about 2^-23). f64: two correctly rounded steps.
        string r = c.IsDouble ? c.Op("rcp.rn", c.Op("sqrt.rn", a[0])) : c.Op("rsqrt.approx", a[0]);
        return c.Select(c.Compare("eq", a[0], c.Imm(0)), c.Imm(0), r);
    }

    public static string Sign(PtxContext c, string[] a)
    {
        string negative = c.Select(c.Compare("lt", a[0], c.Imm(0)), c.Imm(-1), c.Imm(0));
        return c.Select(c.Compare("gt", a[0], c.Imm(0)), c.Imm(1), negative);
    }

    public static string Step(PtxContext c, string[] a) => c.Select(c.Compare("lt", a[0], c.Imm(0)), c.Imm(0), c.Imm(1));

    public static string ReLU(PtxContext c, string[] a) => c.Select(c.Compare("lt", a[0], c.Imm(0)), c.Imm(0), a[0]);

    public static string IfElse(PtxContext c, string[] a) => c.Select(c.Compare("ge", a[0], c.Imm(0)), a[1], a[2]);

    public static string Equal(PtxContext c, string[] a) => Indicator(c, "eq", a);

    /// <summary>Unordered not-equal: NaN ≠ anything, as C#'s != says.</summary>
    public static string NotEqual(PtxContext c, string[] a) => Indicator(c, "neu", a);

    public static string LessThan(PtxContext c, string[] a) => Indicator(c, "lt", a);

    public static string LessOrEqual(PtxContext c, string[] a) => Indicator(c, "le", a);

    public static string Clamp(PtxContext c, string[] a)
    {
        string upper = c.Select(c.Compare("gt", a[0], a[2]), a[2], a[0]);
        return c.Select(c.Compare("lt", a[0], a[1]), a[1], upper);
    }

    public static string XLogX(PtxContext c, string[] a)
        => c.Select(c.Compare("eq", a[0], c.Imm(0)), c.Imm(0), c.Op("mul", a[0], Log(c, a)));

    public static string Powf(PtxContext c, string[] a) => Exp(c, new[] { c.Op("mul", a[1], Log(c, new[] { a[0] })) });

    public static string SinXDivX(PtxContext c, string[] a)
        => c.Select(c.Compare("eq", a[0], c.Imm(0)), c.Imm(1), c.Op("div.rn", Sin(c, a), a[0]));

    public static string Exp(PtxContext c, string[] a) => c.IsDouble ? ExpF64(c, a[0]) : ExpF32(c, a[0]);

    public static string Log(PtxContext c, string[] a) => c.IsDouble ? LogF64(c, a[0]) : LogF32(c, a[0]);

    public static string Sin(PtxContext c, string[] a) => c.IsDouble ? SinCosF64(c, a[0], cosine: false) : SinCosF32(c, a[0], "sin");

    public static string Cos(PtxContext c, string[] a) => c.IsDouble ? SinCosF64(c, a[0], cosine: true) : SinCosF32(c, a[0], "cos");

    private static string Indicator(PtxContext c, string cmp, string[] a) => c.Select(c.Compare(cmp, a[0], a[1]), c.Imm(1), c.Imm(0));

    /// <summary>
    /// e^x = 2^n · 2^(r·log2 e) with n = rint(x·log2 e) and r = x − n·ln2 (Cody–Waite, two-part
    /// ln2), so ex2.approx only sees |argument| ≤ 1/2 where it is most accurate; 2^n is applied
    /// as two exact powers so that results near the overflow threshold stay finite.
    /// </summary>
    private static string ExpF32(PtxContext c, string x)
    {
        const float ln2Hi = 0.693145751953125f; // 0x3F317200: n·ln2Hi is exact for |n| ≤ 2^11
        const float ln2Lo = 1.42860677e-06f;
        string n = c.Op("cvt.rni.f32", c.Op("mul", x, c.Imm(Log2E)));
        // |n| ≤ 160 covers every finite result; clamping also turns ±inf into a finite n.
        n = c.Op("min", c.Op("max", n, c.Imm(-160)), c.Imm(160));
        string r = c.Op("fma.rn", n, c.Imm(-ln2Hi), x);
        r = c.Op("fma.rn", n, c.Imm(-ln2Lo), r);
        string p = c.Op("ex2.approx.ftz", c.Op("mul", r, c.Imm(Log2E)));
        string half = c.Op("cvt.rmi.f32", c.Op("mul", n, c.Imm(0.5)));
        string s1 = c.Op("ex2.approx.ftz", half);
        string s2 = c.Op("ex2.approx.ftz", c.Op("sub", n, half));
        return c.Op("mul", c.Op("mul", p, s1), s2);
    }

    /// <summary>
    /// ln x = lg2.approx(x)·ln2, except within 1/16 of 1 where the absolute error of lg2.approx
    /// would be large relative to ln x: there a degree-7 series in d = x − 1 is used.
    /// </summary>
    private static string LogF32(PtxContext c, string x)
    {
        // lg2.approx.f32 (without .ftz) handles subnormal inputs, gives -inf at 0 and NaN below.
        string general = c.Op("mul", c.Op("lg2.approx", x), c.Imm(Ln2));
        string d = c.Op("sub", x, c.Imm(1));
        string acc = c.Op("fma.rn", c.Imm(1.0 / 7), d, c.Imm(-1.0 / 6));
        foreach (double coefficient in new[] { 1.0 / 5, -1.0 / 4, 1.0 / 3, -1.0 / 2, 1.0 })
        {
            acc = c.Op("fma.rn", acc, d, c.Imm(coefficient));
        }

        string series = c.Op("mul", acc, d);
        string near = c.Compare("lt", c.Op("abs", d), c.Imm(0.0625));
        return c.Select(near, series, general);
    }

    /// <summary>
    /// sin.approx/cos.approx are accurate (absolute error about 2^-21) on [-π, π] only, so the
    /// argument is first reduced by a multiple of 2π (two-part constant).
    /// </summary>
    private static string SinCosF32(PtxContext c, string x, string function)
    {
        const float twoPiHi = 6.28318548f;
        const float twoPiLo = -1.74845553e-07f;
        string k = c.Op("cvt.rni.f32", c.Op("mul", x, c.Imm(1.0 / (2 * Math.PI))));
        string r = c.Op("fma.rn", k, c.Imm(-twoPiHi), x);
        r = c.Op("fma.rn", k, c.Imm(-twoPiLo), r);
        return c.Op(function + ".approx", r);
    }

    /// <summary>
    /// e^x for doubles: n = rint(x·log2 e), r = x − n·ln2 with a two-part ln2 (|r| ≤ 0.35), a
    /// degree-13 Taylor polynomial (truncation below 1e-17 relative), then 2^n built from exponent
    /// bits in two halves so that subnormal results round once. Overflow and underflow are
    /// decided on x directly.
    /// </summary>
    private static string ExpF64(PtxContext c, string x)
    {
        double ln2Hi = BitConverter.Int64BitsToDouble(Ln2HiBits);
        string n = c.Op("cvt.rni.f64", c.Op("mul", x, c.Imm(Log2E)));
        n = c.Op("min", c.Op("max", n, c.Imm(-1100)), c.Imm(1100));
        string r = c.Op("fma.rn", n, c.Imm(-ln2Hi), x);
        r = c.Op("fma.rn", n, c.Imm(-Ln2Lo), r);
        double factorial = 1;
        var coefficients = new double[14];
        for (int k = 0; k < 14; k++)
        {
            factorial *= k == 0 ? 1 : k;
            coefficients[k] = 1 / factorial;
        }

        string p = c.Const(coefficients[13]);
        for (int k = 12; k >= 0; k--)
        {
            p = c.Op("fma.rn", p, r, c.Imm(coefficients[k]));
        }

        string ni = c.NewB32();
        c.Emit($"cvt.rzi.s32.f64 {ni}, {n}");
        string h = c.NewB32();
        c.Emit($"shr.s32 {h}, {ni}, 1");
        string rest = c.NewB32();
        c.Emit($"sub.s32 {rest}, {ni}, {h}");
        string result = c.Op("mul", c.Op("mul", p, PowerOfTwo(c, h)), PowerOfTwo(c, rest));
        result = c.Select(c.Compare("gt", x, c.Imm(709.782712893384)), c.Imm(double.PositiveInfinity), result);
        return c.Select(c.Compare("lt", x, c.Imm(-745.1332191019412)), c.Imm(0), result);
    }

    /// <summary>2^e for -1022 ≤ e ≤ 1023, from its exponent bits.</summary>
    private static string PowerOfTwo(PtxContext c, string e)
    {
        string wide = c.NewB64();
        c.Emit($"cvt.s64.s32 {wide}, {e}");
        c.Emit($"add.s64 {wide}, {wide}, 1023");
        c.Emit($"shl.b64 {wide}, {wide}, 52");
        string d = c.NewF64();
        c.Emit($"mov.b64 {d}, {wide}");
        return d;
    }

    /// <summary>
    /// ln x for doubles: x = m·2^e with m in [√½, √2) (subnormals scaled by 2^54 first), then
    /// ln m = 2·atanh(f), f = (m−1)/(m+1), |f| ≤ 0.172, by its odd series to f^23 (truncation
    /// below 1e-18), plus e·ln2 in two parts. Zero, negatives, infinity and NaN are selected last.
    /// </summary>
    private static string LogF64(PtxContext c, string x)
    {
        string tiny = c.Compare("lt", x, c.Imm(2.2250738585072014e-308));
        string scaled = c.Select(tiny, c.Op("mul", x, c.Imm(18014398509481984.0)), x);
        string bits = c.NewB64();
        c.Emit($"mov.b64 {bits}, {scaled}");
        string exponentBits = c.NewB64();
        c.Emit($"shr.u64 {exponentBits}, {bits}, 52");
        c.Emit($"and.b64 {exponentBits}, {exponentBits}, 2047");
        string e = c.NewB32();
        c.Emit($"cvt.u32.u64 {e}, {exponentBits}");
        c.Emit($"sub.s32 {e}, {e}, 1023");
        string adjusted = c.NewB32();
        c.Emit($"sub.s32 {adjusted}, {e}, 54");
        c.Emit($"selp.b32 {e}, {adjusted}, {e}, {tiny}");
        string mantissaBits = c.NewB64();
        c.Emit($"and.b64 {mantissaBits}, {bits}, 4503599627370495");
        c.Emit($"or.b64 {mantissaBits}, {mantissaBits}, 4607182418800017408");
        string m = c.NewF64();
        c.Emit($"mov.b64 {m}, {mantissaBits}");
        string big = c.Compare("gt", m, c.Imm(Math.Sqrt(2)));
        m = c.Select(big, c.Op("mul", m, c.Imm(0.5)), m);
        string incremented = c.NewB32();
        c.Emit($"add.s32 {incremented}, {e}, 1");
        c.Emit($"selp.b32 {e}, {incremented}, {e}, {big}");
        string f = c.Op("div.rn", c.Op("sub", m, c.Imm(1)), c.Op("add", m, c.Imm(1)));
        string s = c.Op("mul", f, f);
        string q = c.Const(1.0 / 23);
        for (int k = 10; k >= 0; k--)
        {
            q = c.Op("fma.rn", q, s, c.Imm(1.0 / ((2 * k) + 1)));
        }

        string logM = c.Op("mul", c.Op("add", f, f), q);
        string ed = c.NewF64();
        c.Emit($"cvt.rn.f64.s32 {ed}, {e}");
        double ln2Hi = BitConverter.Int64BitsToDouble(Ln2HiBits);
        string result = c.Op("fma.rn", ed, c.Imm(ln2Hi), c.Op("fma.rn", ed, c.Imm(Ln2Lo), logM));
        // Unordered "greater than the largest double": +inf and NaN give x itself.
        result = c.Select(c.Compare("gtu", x, c.Imm(double.MaxValue)), x, result);
        result = c.Select(c.Compare("lt", x, c.Imm(0)), c.Imm(double.NaN), result);
        return c.Select(c.Compare("eq", x, c.Imm(0)), c.Imm(double.NegativeInfinity), result);
    }

    /// <summary>
    /// sin/cos for doubles: k = rint(x·2/π), r = x − k·π/2 with a three-part π/2 (accurate for
    /// |x| up to about 1e9), Taylor polynomials on |r| ≤ π/4 (sin to r^15, cos to r^16), and the
    /// quadrant k mod 4 picks ±sin r or ±cos r (cos x = sin(x + π/2): quadrant k + 1).
    /// </summary>
    private static string SinCosF64(PtxContext c, string x, bool cosine)
    {
        double pio2Part1 = BitConverter.Int64BitsToDouble(0x3FF921FB54400000);
        double pio2Part2 = BitConverter.Int64BitsToDouble(0x3DD0B4611A600000);
        double pio2Part3 = BitConverter.Int64BitsToDouble(0x3BA3198A2E037073);
        string k = c.Op("cvt.rni.f64", c.Op("mul", x, c.Imm(2 / Math.PI)));
        string r = c.Op("fma.rn", k, c.Imm(-pio2Part1), x);
        r = c.Op("fma.rn", k, c.Imm(-pio2Part2), r);
        r = c.Op("fma.rn", k, c.Imm(-pio2Part3), r);
        string s = c.Op("mul", r, r);

        // sin r = r + r·s·(−1/3! + s/5! − ...), cos r = 1 + s·(−1/2! + s/4! − ...).
        string sinPoly = c.Const(InverseFactorial(15, 15));
        for (int n = 13; n >= 3; n -= 2)
        {
            sinPoly = c.Op("fma.rn", sinPoly, s, c.Imm(InverseFactorial(n, n)));
        }

        string sinR = c.Op("fma.rn", c.Op("mul", r, s), sinPoly, r);
        string cosPoly = c.Const(InverseFactorial(16, 16));
        for (int n = 14; n >= 2; n -= 2)
        {
            cosPoly = c.Op("fma.rn", cosPoly, s, c.Imm(InverseFactorial(n, n)));
        }

        string cosR = c.Op("fma.rn", s, cosPoly, c.Imm(1));

        string quadrant = c.NewB32();
        c.Emit($"cvt.rzi.s32.f64 {quadrant}, {k}");
        if (cosine)
        {
            c.Emit($"add.s32 {quadrant}, {quadrant}, 1");
        }

        c.Emit($"and.b32 {quadrant}, {quadrant}, 3");
        string odd = c.NewPred();
        string bit0 = c.NewB32();
        c.Emit($"and.b32 {bit0}, {quadrant}, 1");
        c.Emit($"setp.ne.s32 {odd}, {bit0}, 0");
        string negate = c.NewPred();
        c.Emit($"setp.ge.s32 {negate}, {quadrant}, 2");
        string value = c.Select(odd, cosR, sinR);
        return c.Select(negate, c.Op("neg", value), value);
    }

    /// <summary>(−1)^(n/2 rounded down)/n! — the signed Taylor coefficient of sin (odd n) or cos (even n).</summary>
    private static double InverseFactorial(int n, int order)
    {
        double factorial = 1;
        for (int i = 2; i <= n; i++)
        {
            factorial *= i;
        }

        int sign = ((order / 2) % 2) == 0 ? 1 : -1;
        return sign / factorial;
    }
}
