using System;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using KeOpsGen.Cpu;

namespace KeOpsGen.Benchmarks;

/// <summary>
/// What a .NET performance engineer writes by hand for the same problems, measured in the same
/// run as KeOpsGen: the machine's FMA peak, a Vector512 Gaussian sum, a TensorPrimitives k-NN,
/// and the plain single-threaded loops.
/// </summary>
internal static unsafe class Baselines
{
    /// <summary>
    /// FLOP/s of fused multiply-adds on all cores: 12 independent chains per core (enough to cover
    /// the FMA latency on two ports), each a register-resident vector, for about
    /// <paramref name="seconds"/>.
    /// </summary>
    public static double FmaPeak<T>(double seconds)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const long iterations = 1 << 22;
        int lanes = Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count;
        int workers = Environment.ProcessorCount;
        ChainRun<T>(1000);
        long rounds = 1;
        while (true)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => ChainRun<T>(iterations * rounds));
            double elapsed = watch.Elapsed.TotalSeconds;
            if (elapsed >= seconds || rounds > 1 << 10)
            {
                return workers * (double)iterations * rounds * 12 * lanes * 2 / elapsed;
            }

            rounds *= 2;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ChainRun<T>(long iterations)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return typeof(T) == typeof(float) ? (T)(object)Chains512(iterations, 0.999f, 1e-3f) : (T)(object)Chains512(iterations, 0.999, 1e-3);
        }

        return typeof(T) == typeof(float) ? (T)(object)Chains256(iterations, 0.999f, 1e-3f) : (T)(object)Chains256(iterations, 0.999, 1e-3);
    }

    private static float Chains512(long iterations, float scale, float add) => Vector512.Sum(Chains(iterations, Vector512.Create(scale), Vector512.Create(add)));

    private static double Chains512(long iterations, double scale, double add) => Vector512.Sum(Chains(iterations, Vector512.Create(scale), Vector512.Create(add)));

    private static float Chains256(long iterations, float scale, float add) => Vector256.Sum(Chains(iterations, Vector256.Create(scale), Vector256.Create(add)));

    private static double Chains256(long iterations, double scale, double add) => Vector256.Sum(Chains(iterations, Vector256.Create(scale), Vector256.Create(add)));

    private static Vector512<float> Chains(long iterations, Vector512<float> a, Vector512<float> b)
    {
        Vector512<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b); c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b); c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b); c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b); c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }

    private static Vector512<double> Chains(long iterations, Vector512<double> a, Vector512<double> b)
    {
        Vector512<double> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b); c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b); c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b); c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b); c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }

    private static Vector256<float> Chains(long iterations, Vector256<float> a, Vector256<float> b)
    {
        Vector256<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b); c2 = Vector256.FusedMultiplyAdd(c2, a, b);
            c3 = Vector256.FusedMultiplyAdd(c3, a, b); c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b); c8 = Vector256.FusedMultiplyAdd(c8, a, b);
            c9 = Vector256.FusedMultiplyAdd(c9, a, b); c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }

    private static Vector256<double> Chains(long iterations, Vector256<double> a, Vector256<double> b)
    {
        Vector256<double> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b); c2 = Vector256.FusedMultiplyAdd(c2, a, b);
            c3 = Vector256.FusedMultiplyAdd(c3, a, b); c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b); c8 = Vector256.FusedMultiplyAdd(c8, a, b);
            c9 = Vector256.FusedMultiplyAdd(c9, a, b); c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }

    // ---- Hand-written Vector512 Gaussian, D = 3, E = 1 ------------------------------------------

    /// <summary>
    /// r_i = Σ_j exp(−g |x_i − y_j|²) b_j for rows [0, rows): y and b transposed once to
    /// structure-of-arrays (padded with b = 0), 16 j lanes × 4 i rows per load, every broadcast
    /// and the −g splat hoisted out of the j loop, KeOpsGen's own Exp (Vector512Lane.Exp); all cores.
    /// </summary>
    public static void HandGaussF(float[] x, float[] y, float[] b, float g, float[] r, int rows)
    {
        int m = b.Length;
        int padded = (m + 15) & ~15;
        var soa = new float[4 * padded];
        for (int j = 0; j < m; j++)
        {
            soa[j] = y[j * 3];
            soa[padded + j] = y[(j * 3) + 1];
            soa[(2 * padded) + j] = y[(j * 3) + 2];
            soa[(3 * padded) + j] = b[j];
        }

        int blocks = (rows + 3) / 4;
        int chunk = Math.Max(1, blocks / (8 * Environment.ProcessorCount));
        Parallel.For(0, (blocks + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            fixed (float* ys = soa)
            fixed (float* xs = x)
            fixed (float* rs = r)
            {
                for (int block = c * chunk; block < Math.Min(blocks, (c + 1) * chunk); block++)
                {
                    GaussBlockF(xs, ys, padded, g, rs, block * 4, Math.Min(4, rows - (block * 4)));
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GaussBlockF(float* x, float* soa, int padded, float g, float* r, int i, int valid)
    {
        // Rows past the end repeat the last valid row; their sums are not stored.
        int i1 = i + Math.Min(1, valid - 1), i2 = i + Math.Min(2, valid - 1), i3 = i + Math.Min(3, valid - 1);
        Vector512<float> x00 = Vector512.Create(x[i * 3]), x01 = Vector512.Create(x[(i * 3) + 1]), x02 = Vector512.Create(x[(i * 3) + 2]);
        Vector512<float> x10 = Vector512.Create(x[i1 * 3]), x11 = Vector512.Create(x[(i1 * 3) + 1]), x12 = Vector512.Create(x[(i1 * 3) + 2]);
        Vector512<float> x20 = Vector512.Create(x[i2 * 3]), x21 = Vector512.Create(x[(i2 * 3) + 1]), x22 = Vector512.Create(x[(i2 * 3) + 2]);
        Vector512<float> x30 = Vector512.Create(x[i3 * 3]), x31 = Vector512.Create(x[(i3 * 3) + 1]), x32 = Vector512.Create(x[(i3 * 3) + 2]);
        Vector512<float> ng = Vector512.Create(-g);
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* y0 = soa, y1 = soa + padded, y2 = soa + (2 * padded), bs = soa + (3 * padded);
        for (int j = 0; j < padded; j += 16)
        {
            Vector512<float> a = Vector512.Load(y0 + j), bb = Vector512.Load(y1 + j), cc = Vector512.Load(y2 + j), w = Vector512.Load(bs + j);
            s0 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x00, x01, x02, a, bb, cc)), w, s0);
            s1 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x10, x11, x12, a, bb, cc)), w, s1);
            s2 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x20, x21, x22, a, bb, cc)), w, s2);
            s3 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x30, x31, x32, a, bb, cc)), w, s3);
        }

        r[i] = Vector512.Sum(s0);
        if (valid > 1) r[i + 1] = Vector512.Sum(s1);
        if (valid > 2) r[i + 2] = Vector512.Sum(s2);
        if (valid > 3) r[i + 3] = Vector512.Sum(s3);
    }

    // KMath's exp is written once over its lane types; the wrapper adds no instruction (it is the
    // vector itself), so the hand-written loop still runs the same code as the kernels.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> v) => Vector512Lane<float>.Exp(new Vector512Lane<float>(v)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Exp(Vector512<double> v) => Vector512Lane<double>.Exp(new Vector512Lane<double>(v)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SqDist(Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> y0, Vector512<float> y1, Vector512<float> y2)
    {
        Vector512<float> d0 = x0 - y0, d1 = x1 - y1, d2 = x2 - y2;
        return Vector512.FusedMultiplyAdd(d2, d2, Vector512.FusedMultiplyAdd(d1, d1, d0 * d0));
    }

    /// <inheritdoc cref="HandGaussF"/>
    public static void HandGaussD(double[] x, double[] y, double[] b, double g, double[] r, int rows)
    {
        int m = b.Length;
        int padded = (m + 7) & ~7;
        var soa = new double[4 * padded];
        for (int j = 0; j < m; j++)
        {
            soa[j] = y[j * 3];
            soa[padded + j] = y[(j * 3) + 1];
            soa[(2 * padded) + j] = y[(j * 3) + 2];
            soa[(3 * padded) + j] = b[j];
        }

        int blocks = (rows + 3) / 4;
        int chunk = Math.Max(1, blocks / (8 * Environment.ProcessorCount));
        Parallel.For(0, (blocks + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            fixed (double* ys = soa)
            fixed (double* xs = x)
            fixed (double* rs = r)
            {
                for (int block = c * chunk; block < Math.Min(blocks, (c + 1) * chunk); block++)
                {
                    GaussBlockD(xs, ys, padded, g, rs, block * 4, Math.Min(4, rows - (block * 4)));
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GaussBlockD(double* x, double* soa, int padded, double g, double* r, int i, int valid)
    {
        int i1 = i + Math.Min(1, valid - 1), i2 = i + Math.Min(2, valid - 1), i3 = i + Math.Min(3, valid - 1);
        Vector512<double> x00 = Vector512.Create(x[i * 3]), x01 = Vector512.Create(x[(i * 3) + 1]), x02 = Vector512.Create(x[(i * 3) + 2]);
        Vector512<double> x10 = Vector512.Create(x[i1 * 3]), x11 = Vector512.Create(x[(i1 * 3) + 1]), x12 = Vector512.Create(x[(i1 * 3) + 2]);
        Vector512<double> x20 = Vector512.Create(x[i2 * 3]), x21 = Vector512.Create(x[(i2 * 3) + 1]), x22 = Vector512.Create(x[(i2 * 3) + 2]);
        Vector512<double> x30 = Vector512.Create(x[i3 * 3]), x31 = Vector512.Create(x[(i3 * 3) + 1]), x32 = Vector512.Create(x[(i3 * 3) + 2]);
        Vector512<double> ng = Vector512.Create(-g);
        Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
        double* y0 = soa, y1 = soa + padded, y2 = soa + (2 * padded), bs = soa + (3 * padded);
        for (int j = 0; j < padded; j += 8)
        {
            Vector512<double> a = Vector512.Load(y0 + j), bb = Vector512.Load(y1 + j), cc = Vector512.Load(y2 + j), w = Vector512.Load(bs + j);
            s0 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x00, x01, x02, a, bb, cc)), w, s0);
            s1 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x10, x11, x12, a, bb, cc)), w, s1);
            s2 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x20, x21, x22, a, bb, cc)), w, s2);
            s3 = Vector512.FusedMultiplyAdd(Exp(ng * SqDist(x30, x31, x32, a, bb, cc)), w, s3);
        }

        r[i] = Vector512.Sum(s0);
        if (valid > 1) r[i + 1] = Vector512.Sum(s1);
        if (valid > 2) r[i + 2] = Vector512.Sum(s2);
        if (valid > 3) r[i + 3] = Vector512.Sum(s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> SqDist(Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> y0, Vector512<double> y1, Vector512<double> y2)
    {
        Vector512<double> d0 = x0 - y0, d1 = x1 - y1, d2 = x2 - y2;
        return Vector512.FusedMultiplyAdd(d2, d2, Vector512.FusedMultiplyAdd(d1, d1, d0 * d0));
    }

    // ---- TensorPrimitives k-NN: ‖x‖² + ‖y‖² − 2 x·y with a blocked product, then top-K ----------

    /// <summary>
    /// The brute-force k-NN people write with System.Numerics.Tensors: the reduced rows transposed
    /// once into blocks of <see cref="TensorBlock"/> columns (<see cref="TensorSide"/>), then per
    /// output row and block of reduced rows the squared distances from a small matrix product
    /// (<see cref="TensorDistances"/>), and the K best kept by insertion; output rows in parallel
    /// on all cores.
    /// </summary>
    public static void TensorKnn(float[] x, float[] y, int rows, int m, int d, int k, int[] indices)
    {
        var (transposed, yNorms) = TensorSide(y, m, d);
        int blocks = yNorms.Length / TensorBlock;
        TensorRows(rows, () => (new float[TensorBlock], new float[k], new int[k]), (i, scratch) =>
        {
            var (products, best, index) = scratch;
            ReadOnlySpan<float> xi = x.AsSpan(i * d, d);
            float xNorm = TensorPrimitives.SumOfSquares(xi);
            Array.Fill(best, float.PositiveInfinity);
            Array.Fill(index, -1);
            for (int block = 0; block < blocks; block++)
            {
                TensorDistances(transposed, yNorms, xi, xNorm, block, products);
                for (int l = 0; l < TensorBlock; l++)
                {
                    Keep(products[l], (block * TensorBlock) + l, best, index);
                }
            }

            index.CopyTo(indices.AsSpan(i * k, k));
        });
    }

    /// <summary>
    /// The Gaussian sum written the same way: the distance block of <see cref="TensorKnn"/>, then
    /// exp(−g·d) with TensorPrimitives.Exp and a dot product with the block's b values.
    /// </summary>
    public static void TensorGauss(float[] x, float[] y, float[] b, float g, float[] r, int rows, int m, int d)
    {
        var (transposed, yNorms) = TensorSide(y, m, d);
        int blocks = yNorms.Length / TensorBlock;
        TensorRows(rows, () => new float[TensorBlock], (i, products) =>
        {
            ReadOnlySpan<float> xi = x.AsSpan(i * d, d);
            float xNorm = TensorPrimitives.SumOfSquares(xi);
            double sum = 0;
            for (int block = 0; block < blocks; block++)
            {
                int valid = Math.Min(TensorBlock, m - (block * TensorBlock));
                Span<float> p = products.AsSpan(0, valid);
                TensorDistances(transposed, yNorms, xi, xNorm, block, products);
                TensorPrimitives.Multiply(p, -g, p);
                TensorPrimitives.Exp(p, p);
                sum += TensorPrimitives.Dot(p, b.AsSpan(block * TensorBlock, valid));
            }

            r[i] = (float)sum;
        });
    }

    private const int TensorBlock = 256;

    /// <summary>The reduced side in blocks of <see cref="TensorBlock"/> columns (component-major), and its squared norms (+∞ past the last row).</summary>
    private static (float[] Transposed, float[] Norms) TensorSide(float[] y, int m, int d)
    {
        int blocks = (m + TensorBlock - 1) / TensorBlock;
        var transposed = new float[(long)blocks * d * TensorBlock];
        var norms = new float[blocks * TensorBlock];
        Array.Fill(norms, float.PositiveInfinity);
        for (int j = 0; j < m; j++)
        {
            ReadOnlySpan<float> row = y.AsSpan(j * d, d);
            norms[j] = TensorPrimitives.SumOfSquares(row);
            long at = ((long)(j / TensorBlock) * d * TensorBlock) + (j % TensorBlock);
            for (int c = 0; c < d; c++)
            {
                transposed[at + ((long)c * TensorBlock)] = row[c];
            }
        }

        return (transposed, norms);
    }

    /// <summary>‖x‖² + ‖y_j‖² − 2 x·y_j for the columns of one block: an axpy per component (a small matrix product).</summary>
    private static void TensorDistances(float[] transposed, float[] norms, ReadOnlySpan<float> xi, float xNorm, int block, Span<float> p)
    {
        int d = xi.Length;
        p.Clear();
        for (int c = 0; c < d; c++)
        {
            TensorPrimitives.MultiplyAdd(transposed.AsSpan((int)(((long)block * d * TensorBlock) + ((long)c * TensorBlock)), TensorBlock), xi[c], p, p);
        }

        TensorPrimitives.MultiplyAdd(p, -2f, norms.AsSpan(block * TensorBlock, TensorBlock), p);
        TensorPrimitives.Add(p, xNorm, p);
    }

    /// <summary>Output rows in blocks of 16 on all cores, each block with its own scratch.</summary>
    private static void TensorRows<TScratch>(int rows, Func<TScratch> scratch, Action<int, TScratch> row)
    {
        const int IB = 16;
        Parallel.For(0, (rows + IB - 1) / IB, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, ib =>
        {
            TScratch mine = scratch();
            for (int i = ib * IB; i < Math.Min(rows, (ib + 1) * IB); i++)
            {
                row(i, mine);
            }
        });
    }

    // ---- Plain single-threaded loops at any D -----------------------------------------------------

    public static void NaiveGauss(float[] x, float[] y, float[] b, float g, float[] r, int rows, int m, int d)
    {
        for (int i = 0; i < rows; i++)
        {
            float s = 0;
            for (int j = 0; j < m; j++)
            {
                float dist = 0;
                for (int c = 0; c < d; c++)
                {
                    float diff = x[(i * d) + c] - y[(j * d) + c];
                    dist += diff * diff;
                }

                s += MathF.Exp(-g * dist) * b[j];
            }

            r[i] = s;
        }
    }

    public static void NaiveKnn(float[] x, float[] y, int rows, int m, int d, int k, int[] indices)
    {
        Span<float> best = stackalloc float[k];
        Span<int> index = stackalloc int[k];
        for (int i = 0; i < rows; i++)
        {
            best.Fill(float.PositiveInfinity);
            index.Fill(-1);
            for (int j = 0; j < m; j++)
            {
                float dist = 0;
                for (int c = 0; c < d; c++)
                {
                    float diff = x[(i * d) + c] - y[(j * d) + c];
                    dist += diff * diff;
                }

                Keep(dist, j, best, index);
            }

            index.CopyTo(indices.AsSpan(i * k, k));
        }
    }

    /// <summary>Insertion into an ascending list of the K best: the usual brute-force k-NN step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(float value, int j, Span<float> best, Span<int> index)
    {
        int k = best.Length;
        if (!(value < best[k - 1]))
        {
            return;
        }

        int slot = k - 1;
        while (slot > 0 && best[slot - 1] > value)
        {
            best[slot] = best[slot - 1];
            index[slot] = index[slot - 1];
            slot--;
        }

        best[slot] = value;
        index[slot] = j;
    }

    public static void NaiveLse(float[] x, float[] y, float s, float[] r, int rows, int m, int d)
    {
        var terms = new float[m];
        for (int i = 0; i < rows; i++)
        {
            // Two passes over stored terms: the maximum, then the shifted sum.
            float max = float.NegativeInfinity;
            for (int j = 0; j < m; j++)
            {
                float dot = 0;
                for (int c = 0; c < d; c++)
                {
                    dot += x[(i * d) + c] * y[(j * d) + c];
                }

                terms[j] = s * dot;
                max = MathF.Max(max, terms[j]);
            }

            float sum = 0;
            for (int j = 0; j < m; j++)
            {
                sum += MathF.Exp(terms[j] - max);
            }

            r[i] = max + MathF.Log(sum);
        }
    }
}
