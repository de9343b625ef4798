using System;

namespace KeOpsGen.Tests.Solvers;

/// <summary>
/// The independent float64 reference of the solver tests: the dense matrix alpha·I + K built with
/// plain loops, its Cholesky factor, and residuals. Nothing here calls KeOpsGen.
/// </summary>
internal sealed class DenseSystem
{
    private readonly double[,] _a;
    private readonly int _n;

    public DenseSystem(int n, Func<int, int, double> entry, double alpha)
    {
        _n = n;
        _a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                _a[i, j] = entry(i, j) + (i == j ? alpha : 0);
            }
        }
    }

    public int Size => _n;

    /// <summary>A x for a vector of length n.</summary>
    public double[] Multiply(double[] x)
    {
        var y = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            double sum = 0;
            for (int j = 0; j < _n; j++)
            {
                sum += _a[i, j] * x[j];
            }

            y[i] = sum;
        }

        return y;
    }

    /// <summary>‖b − A x‖ / ‖b‖.</summary>
    public double RelativeResidual(double[] b, double[] x)
    {
        double[] ax = Multiply(x);
        double r = 0, nb = 0;
        for (int i = 0; i < _n; i++)
        {
            r += (b[i] - ax[i]) * (b[i] - ax[i]);
            nb += b[i] * b[i];
        }

        return Math.Sqrt(r / nb);
    }

    /// <summary>A⁻¹ b by Cholesky (A = L Lᵀ); throws if A is not positive definite.</summary>
    public double[] Solve(double[] b)
    {
        var l = new double[_n, _n];
        for (int j = 0; j < _n; j++)
        {
            double d = _a[j, j];
            for (int k = 0; k < j; k++)
            {
                d -= l[j, k] * l[j, k];
            }

            if (!(d > 0))
            {
                throw new InvalidOperationException("dense reference: matrix not positive definite");
            }

            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < _n; i++)
            {
                double v = _a[i, j];
                for (int k = 0; k < j; k++)
                {
                    v -= l[i, k] * l[j, k];
                }

                l[i, j] = v / l[j, j];
            }
        }

        var y = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            double v = b[i];
            for (int k = 0; k < i; k++)
            {
                v -= l[i, k] * y[k];
            }

            y[i] = v / l[i, i];
        }

        var x = new double[_n];
        for (int i = _n - 1; i >= 0; i--)
        {
            double v = y[i];
            for (int k = i + 1; k < _n; k++)
            {
                v -= l[k, i] * x[k];
            }

            x[i] = v / l[i, i];
        }

        return x;
    }

    public static double RelativeError(double[] actual, double[] expected)
    {
        double e = 0, n = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            e += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            n += expected[i] * expected[i];
        }

        return Math.Sqrt(e / n);
    }

    /// <summary>Column c of a row-major rows × width array.</summary>
    public static double[] Column(ReadOnlySpan<double> values, int width, int c)
    {
        var column = new double[values.Length / width];
        for (int i = 0; i < column.Length; i++)
        {
            column[i] = values[(i * width) + c];
        }

        return column;
    }

    public static double Gaussian(ReadOnlySpan<double> x, int dim, int i, int j, double g)
    {
        double d2 = 0;
        for (int k = 0; k < dim; k++)
        {
            double t = x[(i * dim) + k] - x[(j * dim) + k];
            d2 += t * t;
        }

        return Math.Exp(-g * d2);
    }
}
