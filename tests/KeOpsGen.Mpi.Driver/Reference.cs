using System;

namespace KeOpsGen.Mpi.Driver;

/// <summary>A float64 result with Σ|term| per output: the scale of the summation error bound.</summary>
public sealed record Dense(double[] Values, double[] AbsSums)
{
    public Dense Slice(int start, int length) => new(Values[start..(start + length)], AbsSums[start..(start + length)]);
}

/// <summary>Dense float64 loops, independent of the engine (also compiled into KeOpsGen.Mpi.Tests).</summary>
public static class Reference
{
    private static double Sq(float[] x, int i, float[] y, int j)
    {
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            double d = (double)x[(i * 3) + k] - y[(j * 3) + k];
            s += d * d;
        }

        return s;
    }

    public static Dense Gauss(float[] x, float[] y, float[] b, double g)
    {
        int n = x.Length / 3, m = y.Length / 3;
        var v = new double[n * 2];
        var a = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double k = Math.Exp(-g * Sq(x, i, y, j));
                for (int c = 0; c < 2; c++)
                {
                    double t = k * b[(j * 2) + c];
                    v[(i * 2) + c] += t;
                    a[(i * 2) + c] += Math.Abs(t);
                }
            }
        }

        return new Dense(v, a);
    }

    /// <summary>∂/∂x_i of Σ_j e^(−g|x_i−y_j|²) (b_j · e_i): Σ_j −2g e^(−g d²) (b_j·e_i) (x_i − y_j).</summary>
    public static Dense GaussGradX(float[] x, float[] y, float[] b, double g, float[] e) => Grad(x, y, b, g, e, overJ: true);

    /// <summary>∂/∂y_j: Σ_i 2g e^(−g d²) (b_j·e_i) (x_i − y_j).</summary>
    public static Dense GaussGradY(float[] x, float[] y, float[] b, double g, float[] e) => Grad(x, y, b, g, e, overJ: false);

    /// <summary>∂/∂g: Σ_ij −d² e^(−g d²) (b_j·e_i).</summary>
    public static Dense GaussGradG(float[] x, float[] y, float[] b, double g, float[] e)
    {
        int n = x.Length / 3, m = y.Length / 3;
        double v = 0, a = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double d2 = Sq(x, i, y, j);
                double t = -d2 * Math.Exp(-g * d2) * ((b[j * 2] * e[i * 2]) + (b[(j * 2) + 1] * e[(i * 2) + 1]));
                v += t;
                a += Math.Abs(t);
            }
        }

        return new Dense(new[] { v }, new[] { a });
    }

    private static Dense Grad(float[] x, float[] y, float[] b, double g, float[] e, bool overJ)
    {
        int n = x.Length / 3, m = y.Length / 3;
        var v = new double[(overJ ? n : m) * 3];
        var a = new double[v.Length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double d2 = Sq(x, i, y, j);
                double w = 2 * g * Math.Exp(-g * d2) * ((b[j * 2] * e[i * 2]) + (b[(j * 2) + 1] * e[(i * 2) + 1]));
                int row = overJ ? i : j;
                for (int k = 0; k < 3; k++)
                {
                    double t = w * ((double)x[(i * 3) + k] - y[(j * 3) + k]) * (overJ ? -1 : 1);
                    v[(row * 3) + k] += t;
                    a[(row * 3) + k] += Math.Abs(t);
                }
            }
        }

        return new Dense(v, a);
    }

    public static double[] Lse(float[] x, float[] y, double g)
    {
        int n = x.Length / 3, m = y.Length / 3;
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < m; j++)
            {
                max = Math.Max(max, -g * Sq(x, i, y, j));
            }

            double s = 0;
            for (int j = 0; j < m; j++)
            {
                s += Math.Exp((-g * Sq(x, i, y, j)) - max);
            }

            r[i] = max + Math.Log(s);
        }

        return r;
    }
}
