using System;
using System.Collections.Generic;

namespace KeOpsGen.Benchmarks;

/// <summary>One benchmarked reduction: the generated call and its two baselines.</summary>
internal sealed class Case
{
    public Case(string name, Action<Case, int> prepare, Action<Case> run, Action<Case, int> scalar, Action<Case>? dense)
    {
        Name = name;
        _prepare = prepare;
        _run = run;
        _scalar = scalar;
        _dense = dense;
    }

    private readonly Action<Case, int> _prepare;
    private readonly Action<Case> _run;
    private readonly Action<Case, int> _scalar;
    private readonly Action<Case>? _dense;

    public string Name { get; }

    public int N { get; private set; }

    public float[] Xf = Array.Empty<float>(), Yf = Array.Empty<float>(), Bf = Array.Empty<float>(), Rf = Array.Empty<float>();
    public int[] Ri = Array.Empty<int>();
    public double[] Xd = Array.Empty<double>(), Yd = Array.Empty<double>(), Bd = Array.Empty<double>(), Rd = Array.Empty<double>();

    public void Prepare(int n)
    {
        N = n;
        _prepare(this, n);
    }

    public void Run() => _run(this);

    public void Scalar(int rows) => _scalar(this, rows);

    public Action? Dense => _dense is null ? null : () => _dense(this);
}

internal static class Cases
{
    private const float G = 2f;

    public static IReadOnlyList<Case> All { get; } = new List<Case>
    {
        new("Gaussian sum D=3 E=1 float", (c, n) => Fill(c, n, 3, 1, isFloat: true),
            c => Kernels.GaussF(c.Xf, c.Yf, c.Bf, new[] { G }, c.Rf),
            (c, rows) => ScalarGaussF(c, rows, 1),
            c => DenseGaussF(c, 1)),
        new("Gaussian sum D=3 E=3 float", (c, n) => Fill(c, n, 3, 3, isFloat: true),
            c => Kernels.GaussF3(c.Xf, c.Yf, c.Bf, new[] { G }, c.Rf),
            (c, rows) => ScalarGaussF(c, rows, 3),
            c => DenseGaussF(c, 3)),
        new("Gaussian sum D=3 E=1 double", (c, n) => Fill(c, n, 3, 1, isFloat: false),
            c => Kernels.GaussD(c.Xd, c.Yd, c.Bd, new[] { (double)G }, c.Rd),
            (c, rows) => ScalarGaussD(c, rows, 1),
            null),
        new("Gaussian sum D=3 E=3 double", (c, n) => Fill(c, n, 3, 3, isFloat: false),
            c => Kernels.GaussD3(c.Xd, c.Yd, c.Bd, new[] { (double)G }, c.Rd),
            (c, rows) => ScalarGaussD(c, rows, 3),
            null),
        new("Seed Square(p-a)*Exp(x+y) float", (c, n) => Fill(c, n, 3, 1, isFloat: true, resultDim: 3),
            c => Kernels.SeedF(c.Xf, c.Yf, c.Bf, new[] { 0.5f }, c.Rf),
            ScalarSeedF,
            null),
        new("Seed gradient wrt y, float", (c, n) => Fill(c, n, 3, 1, isFloat: true, resultDim: 3),
            c => Kernels.Seed2FGradY(c.Xf, c.Yf, c.Bf, new[] { 0.5f }, c.Xf, c.Rf),
            ScalarSeedGradF,
            null),
        new("LogSumExp -SqDist D=3 float", (c, n) => Fill(c, n, 3, 1, isFloat: true, resultDim: 1),
            c => Kernels.LseF(c.Xf, c.Yf, c.Rf),
            ScalarLseF,
            null),
        new("LogSumExp -SqDist D=3 double", (c, n) => Fill(c, n, 3, 1, isFloat: false, resultDim: 1),
            c => Kernels.LseD(c.Xd, c.Yd, c.Rd),
            ScalarLseD,
            null),
        new("ArgKMin K=10 D=3 float", (c, n) => FillKnn(c, n, 3),
            c => Kernels.Knn3F(c.Xf, c.Yf, c.Ri),
            (c, rows) => ScalarKnnF(c, rows, 3),
            null),
        new("ArgKMin K=10 D=16 float", (c, n) => FillKnn(c, n, 16),
            c => Kernels.Knn16F(c.Xf, c.Yf, c.Ri),
            (c, rows) => ScalarKnnF(c, rows, 16),
            null),
        new("ArgKMin K=10 D=3 double", (c, n) => { Fill(c, n, 3, 1, isFloat: false); c.Ri = new int[n * 10]; },
            c => Kernels.Knn3D(c.Xd, c.Yd, c.Ri),
            ScalarKnnD,
            null),
        new("Seed Square(p-a)*Exp(x+y) double", (c, n) => Fill(c, n, 3, 1, isFloat: false, resultDim: 3),
            c => Kernels.SeedD(c.Xd, c.Yd, c.Bd, new[] { 0.5 }, c.Rd),
            ScalarSeedD,
            null),
    };

    private static void Fill(Case c, int n, int d, int e, bool isFloat, int? resultDim = null)
    {
        var random = new Random(n + d + e);
        if (isFloat)
        {
            c.Xf = Floats(random, n * d);
            c.Yf = Floats(random, n * d);
            c.Bf = Floats(random, n * e);
            c.Rf = new float[n * (resultDim ?? e)];
        }
        else
        {
            c.Xd = Doubles(random, n * d);
            c.Yd = Doubles(random, n * d);
            c.Bd = Doubles(random, n * e);
            c.Rd = new double[n * (resultDim ?? e)];
        }
    }

    private static void FillKnn(Case c, int n, int d)
    {
        var random = new Random(n + d);
        c.Xf = Floats(random, n * d);
        c.Yf = Floats(random, n * d);
        c.Ri = new int[n * 10];
    }

    private static float[] Floats(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }

    private static double[] Doubles(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.NextDouble();
        }

        return values;
    }

    // ---- Baselines: what a careful C# programmer writes without KeOpsGen ---------------------

    private static void ScalarGaussF(Case c, int rows, int e)
    {
        float[] x = c.Xf, y = c.Yf, b = c.Bf, r = c.Rf;
        int n = c.N;
        for (int i = 0; i < rows; i++)
        {
            float s0 = 0, s1 = 0, s2 = 0;
            for (int j = 0; j < n; j++)
            {
                float dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                float k = MathF.Exp(-G * ((dx * dx) + (dy * dy) + (dz * dz)));
                s0 += k * b[j * e];
                if (e == 3)
                {
                    s1 += k * b[(j * 3) + 1];
                    s2 += k * b[(j * 3) + 2];
                }
            }

            r[i * e] = s0;
            if (e == 3)
            {
                r[(i * 3) + 1] = s1;
                r[(i * 3) + 2] = s2;
            }
        }
    }

    private static void ScalarGaussD(Case c, int rows, int e)
    {
        double[] x = c.Xd, y = c.Yd, b = c.Bd, r = c.Rd;
        int n = c.N;
        for (int i = 0; i < rows; i++)
        {
            double s0 = 0, s1 = 0, s2 = 0;
            for (int j = 0; j < n; j++)
            {
                double dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                double k = Math.Exp(-G * ((dx * dx) + (dy * dy) + (dz * dz)));
                s0 += k * b[j * e];
                if (e == 3)
                {
                    s1 += k * b[(j * 3) + 1];
                    s2 += k * b[(j * 3) + 2];
                }
            }

            r[i * e] = s0;
            if (e == 3)
            {
                r[(i * 3) + 1] = s1;
                r[(i * 3) + 2] = s2;
            }
        }
    }

    private static void ScalarSeedF(Case c, int rows)
    {
        float[] x = c.Xf, y = c.Yf, a = c.Bf, r = c.Rf;
        int n = c.N;
        const float p = 0.5f;
        for (int i = 0; i < rows; i++)
        {
            float s0 = 0, s1 = 0, s2 = 0;
            for (int j = 0; j < n; j++)
            {
                float w = (p - a[j]) * (p - a[j]);
                s0 += w * MathF.Exp(x[i * 3] + y[j * 3]);
                s1 += w * MathF.Exp(x[(i * 3) + 1] + y[(j * 3) + 1]);
                s2 += w * MathF.Exp(x[(i * 3) + 2] + y[(j * 3) + 2]);
            }

            r[i * 3] = s0;
            r[(i * 3) + 1] = s1;
            r[(i * 3) + 2] = s2;
        }
    }

    private static void ScalarSeedD(Case c, int rows)
    {
        double[] x = c.Xd, y = c.Yd, a = c.Bd, r = c.Rd;
        int n = c.N;
        const double p = 0.5;
        for (int i = 0; i < rows; i++)
        {
            double s0 = 0, s1 = 0, s2 = 0;
            for (int j = 0; j < n; j++)
            {
                double w = (p - a[j]) * (p - a[j]);
                s0 += w * Math.Exp(x[i * 3] + y[j * 3]);
                s1 += w * Math.Exp(x[(i * 3) + 1] + y[(j * 3) + 1]);
                s2 += w * Math.Exp(x[(i * 3) + 2] + y[(j * 3) + 2]);
            }

            r[i * 3] = s0;
            r[(i * 3) + 1] = s1;
            r[(i * 3) + 2] = s2;
        }
    }

    private static void ScalarSeedGradF(Case c, int rows)
    {
        // d/dy_j of Σ_i e_i·(p − a_j)² exp(x_i + y_j), with e = x: reduce over i for rows j.
        float[] x = c.Xf, y = c.Yf, a = c.Bf, r = c.Rf;
        int n = c.N;
        const float p = 0.5f;
        for (int j = 0; j < rows; j++)
        {
            float w = (p - a[j]) * (p - a[j]);
            float s0 = 0, s1 = 0, s2 = 0;
            for (int i = 0; i < n; i++)
            {
                s0 += x[i * 3] * w * MathF.Exp(x[i * 3] + y[j * 3]);
                s1 += x[(i * 3) + 1] * w * MathF.Exp(x[(i * 3) + 1] + y[(j * 3) + 1]);
                s2 += x[(i * 3) + 2] * w * MathF.Exp(x[(i * 3) + 2] + y[(j * 3) + 2]);
            }

            r[j * 3] = s0;
            r[(j * 3) + 1] = s1;
            r[(j * 3) + 2] = s2;
        }
    }

    private static void ScalarLseF(Case c, int rows)
    {
        float[] x = c.Xf, y = c.Yf, r = c.Rf;
        int n = c.N;
        for (int i = 0; i < rows; i++)
        {
            // Two passes: the maximum, then the shifted sum (the textbook stable way).
            float m = float.NegativeInfinity;
            for (int j = 0; j < n; j++)
            {
                float dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                m = MathF.Max(m, -((dx * dx) + (dy * dy) + (dz * dz)));
            }

            float s = 0;
            for (int j = 0; j < n; j++)
            {
                float dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                s += MathF.Exp(-((dx * dx) + (dy * dy) + (dz * dz)) - m);
            }

            r[i] = m + MathF.Log(s);
        }
    }

    private static void ScalarLseD(Case c, int rows)
    {
        double[] x = c.Xd, y = c.Yd, r = c.Rd;
        int n = c.N;
        for (int i = 0; i < rows; i++)
        {
            double m = double.NegativeInfinity;
            for (int j = 0; j < n; j++)
            {
                double dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                m = Math.Max(m, -((dx * dx) + (dy * dy) + (dz * dz)));
            }

            double s = 0;
            for (int j = 0; j < n; j++)
            {
                double dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                s += Math.Exp(-((dx * dx) + (dy * dy) + (dz * dz)) - m);
            }

            r[i] = m + Math.Log(s);
        }
    }

    // The usual brute-force k-NN, per row an insertion into a sorted list of the 10 best.
    private static void ScalarKnnF(Case c, int rows, int d) => Baselines.NaiveKnn(c.Xf, c.Yf, rows, c.N, d, 10, c.Ri);

    private static void ScalarKnnD(Case c, int rows)
    {
        double[] x = c.Xd, y = c.Yd;
        int n = c.N;
        Span<double> best = stackalloc double[10];
        Span<int> index = stackalloc int[10];
        for (int i = 0; i < rows; i++)
        {
            best.Fill(double.PositiveInfinity);
            index.Fill(-1);
            for (int j = 0; j < n; j++)
            {
                double dx = x[i * 3] - y[j * 3], dy = x[(i * 3) + 1] - y[(j * 3) + 1], dz = x[(i * 3) + 2] - y[(j * 3) + 2];
                double dist = (dx * dx) + (dy * dy) + (dz * dz);
                if (dist < best[9])
                {
                    int slot = 9;
                    while (slot > 0 && best[slot - 1] > dist)
                    {
                        best[slot] = best[slot - 1];
                        index[slot] = index[slot - 1];
                        slot--;
                    }

                    best[slot] = dist;
                    index[slot] = j;
                }
            }

            index.CopyTo(c.Ri.AsSpan(i * 10, 10));
        }
    }

    /// <summary>Materializes the N×M kernel matrix, then multiplies: the memory-hungry way.</summary>
    private static void DenseGaussF(Case c, int e)
    {
        int n = c.N;
        var k = new float[(long)n * n];
        System.Threading.Tasks.Parallel.For(0, n, i =>
        {
            for (int j = 0; j < n; j++)
            {
                float dx = c.Xf[i * 3] - c.Yf[j * 3], dy = c.Xf[(i * 3) + 1] - c.Yf[(j * 3) + 1], dz = c.Xf[(i * 3) + 2] - c.Yf[(j * 3) + 2];
                k[((long)i * n) + j] = MathF.Exp(-G * ((dx * dx) + (dy * dy) + (dz * dz)));
            }
        });
        System.Threading.Tasks.Parallel.For(0, n, i =>
        {
            for (int t = 0; t < e; t++)
            {
                float s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += k[((long)i * n) + j] * c.Bf[(j * e) + t];
                }

                c.Rf[(i * e) + t] = s;
            }
        });
    }
}
