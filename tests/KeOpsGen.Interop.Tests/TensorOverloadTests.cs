using System;
using System.Linq;
using System.Numerics.Tensors;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Interop.Tests;

/// <summary>Kernels of the tensor tests; the generator adds the tensor overloads because this project references System.Numerics.Tensors.</summary>
public static partial class TensorKernels
{
    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", GradientOrder = 1)]
    public static partial void Gauss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", GradientOrder = 1)]
    public static partial void GaussScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgKMin, K = 3, GradientOrder = 1)]
    public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);
}

/// <summary>
/// The System.Numerics.Tensors overloads: results written through the tensors' own memory and
/// compared with dense float64 loops written here; shapes and layouts that do not fit the
/// declarations are ArgumentExceptions naming the parameter.
/// </summary>
public sealed class TensorOverloadTests
{
    private const int M = 37, N = 53;

    [Fact]
    public void GaussianSumThroughTensorsMatchesTheDenseReference()
    {
        var random = new SeededRandom(nameof(GaussianSumThroughTensorsMatchesTheDenseReference));
        double[] x = random.Doubles(M * 3, -1, 1), y = random.Doubles(N * 3, -1, 1), b = random.Doubles(N * 2, -1, 1);
        double g = random.Double(0.5, 2);
        var result = new double[M * 2];

        TensorKernels.Gauss(
            new ReadOnlyTensorSpan<double>(x, new nint[] { M, 3 }),
            new ReadOnlyTensorSpan<double>(y, new nint[] { N, 3 }),
            new ReadOnlyTensorSpan<double>(b, new nint[] { N, 2 }),
            new ReadOnlyTensorSpan<double>(new[] { g }, new nint[] { 1 }),
            new TensorSpan<double>(result, new nint[] { M, 2 }));

        for (int i = 0; i < M; i++)
        {
            for (int c = 0; c < 2; c++)
            {
                double expected = 0;
                for (int j = 0; j < N; j++)
                {
                    expected += Math.Exp(-g * SqDist(x, i, y, j, 3)) * b[(j * 2) + c];
                }

                // Double data, N = 53 terms: only the summation order differs.
                Assert.True(Math.Abs(result[(i * 2) + c] - expected) <= 1e-12 * (1 + Math.Abs(expected)), $"{random} row {i} component {c}: {result[(i * 2) + c]} vs {expected}");
            }
        }
    }

    [Fact]
    public void GradientOverloadsTakeTensorsIncludingTheSummedParameterGradient()
    {
        var random = new SeededRandom(nameof(GradientOverloadsTakeTensorsIncludingTheSummedParameterGradient));
        double[] x = random.Doubles(M * 3, -1, 1), y = random.Doubles(N * 3, -1, 1), b = random.Doubles(N * 2, -1, 1), e = random.Doubles(M * 2, -1, 1);
        double g = random.Double(0.5, 2);
        var gradX = new double[M * 3];
        var gradG = new double[1];
        var xs = new ReadOnlyTensorSpan<double>(x, new nint[] { M, 3 });
        var ys = new ReadOnlyTensorSpan<double>(y, new nint[] { N, 3 });
        var bs = new ReadOnlyTensorSpan<double>(b, new nint[] { N, 2 });
        var gs = new ReadOnlyTensorSpan<double>(new[] { g }, new nint[] { 1 });
        var es = new ReadOnlyTensorSpan<double>(e, new nint[] { M, 2 });
        TensorKernels.GaussGradX(xs, ys, bs, gs, es, new TensorSpan<double>(gradX, new nint[] { M, 3 }));
        TensorKernels.GaussGradG(xs, ys, bs, gs, es, new TensorSpan<double>(gradG, new nint[] { 1 }));

        // d/dx_i Σ_j k_ij <b_j, e_i> = Σ_j −2g (x_i − y_j) k_ij <b_j, e_i>;  d/dg = −Σ_ij |x_i − y_j|² k_ij <b_j, e_i>.
        double expectedG = 0;
        for (int i = 0; i < M; i++)
        {
            var expected = new double[3];
            for (int j = 0; j < N; j++)
            {
                double d2 = SqDist(x, i, y, j, 3);
                double k = Math.Exp(-g * d2);
                double be = (b[j * 2] * e[i * 2]) + (b[(j * 2) + 1] * e[(i * 2) + 1]);
                for (int c = 0; c < 3; c++)
                {
                    expected[c] += -2 * g * (x[(i * 3) + c] - y[(j * 3) + c]) * k * be;
                }

                expectedG += -d2 * k * be;
            }

            for (int c = 0; c < 3; c++)
            {
                Assert.True(Math.Abs(gradX[(i * 3) + c] - expected[c]) <= 1e-11 * (1 + Math.Abs(expected[c])), $"{random} dx[{i},{c}]: {gradX[(i * 3) + c]} vs {expected[c]}");
            }
        }

        Assert.True(Math.Abs(gradG[0] - expectedG) <= 1e-10 * (1 + Math.Abs(expectedG)), $"{random} dg: {gradG[0]} vs {expectedG}");
    }

    [Fact]
    public void RankOneTensorsServeDimensionOneVariablesAndOutputs()
    {
        var random = new SeededRandom(nameof(RankOneTensorsServeDimensionOneVariablesAndOutputs));
        float[] x = random.Floats(M * 3, -1, 1), y = random.Floats(N * 3, -1, 1), b = random.Floats(N, -1, 1);
        var result = new float[M];
        TensorKernels.GaussScalar(
            new ReadOnlyTensorSpan<float>(x, new nint[] { M, 3 }),
            new ReadOnlyTensorSpan<float>(y, new nint[] { N, 3 }),
            new ReadOnlyTensorSpan<float>(b, new nint[] { N }),
            new TensorSpan<float>(result, new nint[] { M }));
        for (int i = 0; i < M; i++)
        {
            double expected = 0;
            for (int j = 0; j < N; j++)
            {
                expected += Math.Exp(-SqDist(x, i, y, j, 3)) * b[j];
            }

            // Float data: a few ulps of the largest partial sum (≤ N).
            Assert.True(Math.Abs(result[i] - expected) <= 1e-5 * N, $"{random} row {i}: {result[i]} vs {expected}");
        }
    }

    [Fact]
    public void IndexOutputsAreIntTensors()
    {
        var random = new SeededRandom(nameof(IndexOutputsAreIntTensors));
        float[] x = random.Floats(M * 2, -1, 1), y = random.Floats(N * 2, -1, 1);
        var indices = new int[M * 3];
        TensorKernels.Knn(
            new ReadOnlyTensorSpan<float>(x, new nint[] { M, 2 }),
            new ReadOnlyTensorSpan<float>(y, new nint[] { N, 2 }),
            new TensorSpan<int>(indices, new nint[] { M, 3 }));
        for (int i = 0; i < M; i++)
        {
            double[] distances = Enumerable.Range(0, N).Select(j => SqDist(x, i, y, j, 2)).ToArray();
            double[] nearest = distances.OrderBy(d => d).Take(3).ToArray();
            for (int s = 0; s < 3; s++)
            {
                // Float distances may swap near-equal neighbours: compare the distances.
                Assert.True(Math.Abs(distances[indices[(i * 3) + s]] - nearest[s]) <= 1e-5, $"{random} row {i} slot {s}");
            }
        }
    }

    [Fact]
    public void ShapesThatDoNotFitTheDeclarationsNameTheParameter()
    {
        nint[] x = { M, 3 }, y = { N, 3 }, b = { N, 2 }, g = { 1 }, r = { M, 2 };
        Assert.Null(GaussFailure(x, y, b, g, r));

        ArgumentException wrongDim = GaussFailure(new nint[] { M * 3 / 2, 2 }, y, b, g, r)!;
        Assert.Equal("x", wrongDim.ParamName);
        Assert.Contains("[rows, 3]", wrongDim.Message, StringComparison.Ordinal);
        Assert.Contains($"[{M * 3 / 2}, 2]", wrongDim.Message, StringComparison.Ordinal);

        Assert.Equal("g", GaussFailure(x, y, b, new nint[] { 2 }, r)?.ParamName);
        Assert.Equal("result", GaussFailure(x, y, b, g, new nint[] { M, 3 })?.ParamName);
        Assert.Equal("b", GaussFailure(x, y, new nint[] { N * 2 }, g, r)?.ParamName);

        // Row counts are still checked by the span overload underneath.
        Assert.Equal("result", GaussFailure(x, y, b, g, new nint[] { M + 1, 2 })?.ParamName);
    }

    [Fact]
    public void NonRowMajorLayoutsAreRefusedRatherThanReadWrongly()
    {
        ArgumentException? error = null;
        try
        {
            // A transposed view of a [3, M] buffer: shape [M, 3], strides [1, M].
            TensorKernels.Gauss(
                new ReadOnlyTensorSpan<double>(new double[M * 3], 0, new nint[] { M, 3 }, new nint[] { 1, M }),
                new ReadOnlyTensorSpan<double>(new double[N * 3], new nint[] { N, 3 }),
                new ReadOnlyTensorSpan<double>(new double[N * 2], new nint[] { N, 2 }),
                new ReadOnlyTensorSpan<double>(new[] { 1.0 }, new nint[] { 1 }),
                new TensorSpan<double>(new double[M * 2], new nint[] { M, 2 }));
        }
        catch (ArgumentException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Equal("x", error!.ParamName);
        Assert.Contains("row-major", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Calls the Gaussian tensor overload with zero tensors of these shapes; the ArgumentException, or null.</summary>
    private static ArgumentException? GaussFailure(nint[] x, nint[] y, nint[] b, nint[] g, nint[] result)
    {
        try
        {
            TensorKernels.Gauss(
                new ReadOnlyTensorSpan<double>(new double[Count(x)], x),
                new ReadOnlyTensorSpan<double>(new double[Count(y)], y),
                new ReadOnlyTensorSpan<double>(new double[Count(b)], b),
                new ReadOnlyTensorSpan<double>(new double[Count(g)], g),
                new TensorSpan<double>(new double[Count(result)], result));
            return null;
        }
        catch (ArgumentException e)
        {
            return e;
        }
    }

    private static int Count(nint[] shape) => (int)shape.Aggregate((nint)1, (a, b) => a * b);

    private static double SqDist(double[] a, int i, double[] b, int j, int d)
    {
        double sum = 0;
        for (int k = 0; k < d; k++)
        {
            double t = a[(i * d) + k] - b[(j * d) + k];
            sum += t * t;
        }

        return sum;
    }

    private static double SqDist(float[] a, int i, float[] b, int j, int d)
    {
        double sum = 0;
        for (int k = 0; k < d; k++)
        {
            double t = (double)a[(i * d) + k] - b[(j * d) + k];
            sum += t * t;
        }

        return sum;
    }
}
