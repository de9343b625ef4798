namespace KeOpsGen.Solvers;

/// <summary>
/// Preconditioned conjugate gradient for (alpha·I + K) x = b, K given by a generated
/// <see cref="IKernelSolveSystem{T}"/>. Vectors and CG scalars are kept in double whatever T is;
/// only K·v runs in T. With independent columns (the formula is c(x_i, y_j)·B_j) each of the E
/// right-hand sides gets its own CG scalars and stops on its own; otherwise the N·E unknowns form
/// one coupled system.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelSolver
{
    /// <summary>Restarts from the true residual allowed when it disagrees with the recursive one.</summary>
    private const int MaxResidualReplacements = 3;

    /// <summary>Solves (alpha·I + K) x = b; the generated solve methods call this with the operator's inputs.</summary>
    /// <param name="inputs">Every input of the operator but the unknown, in the order its system reads them.</param>
    /// <param name="rows">N: rows of the right-hand side and of the solution.</param>
    /// <param name="width">E: values per row (the dimension of the unknown variable).</param>
    /// <param name="b">Right-hand side, N × E.</param>
    /// <param name="x">Solution, N × E; the initial guess when <see cref="KernelSolveOptions.UseInitialGuess"/>.</param>
    /// <param name="alpha">The ridge alpha ≥ 0.</param>
    /// <param name="independentColumns">True when K acts on each column of B alike, so columns are solved as separate systems.</param>
    /// <param name="options">Options, or null for <see cref="KernelSolveOptions.Default"/>.</param>
    public static unsafe KernelSolveResult Solve<TSystem, T>(in Cpu.KernelSpans<T> inputs, int rows, int width, ReadOnlySpan<T> b, Span<T> x, double alpha, bool independentColumns, KernelSolveOptions? options)
        where TSystem : unmanaged, IKernelSolveSystem<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= KernelSolveOptions.Default;
        CheckOptions(alpha, options);
        int n = rows, e = width;
        long length = (long)n * e;
        if (b.Length != length)
        {
            throw new ArgumentException($"The right-hand side must hold {n} rows × {e} = {length} values, got {b.Length}.", nameof(b));
        }

        if (x.Length != length)
        {
            throw new ArgumentException($"The solution span must hold {n} rows × {e} = {length} values (shaped like the right-hand side), got {x.Length}.", nameof(x));
        }

        // A formula has few variables: their addresses fit on the stack.
        int count = inputs.Count;
        T** addresses = stackalloc T*[Math.Max(count, 1)];
        int* lengths = stackalloc int[Math.Max(count, 1)];
        return Pinned<TSystem, T>(in inputs, addresses, lengths, 0, b, x, new Settings(n, e, alpha, independentColumns, options));
    }

    private readonly record struct Settings(int N, int E, double Alpha, bool IndependentColumns, KernelSolveOptions Options);

    /// <summary>Pins input <paramref name="index"/> and the following ones (one <c>fixed</c> each), then solves.</summary>
    private static unsafe KernelSolveResult Pinned<TSystem, T>(in Cpu.KernelSpans<T> inputs, T** addresses, int* lengths, int index, ReadOnlySpan<T> b, Span<T> x, Settings settings)
        where TSystem : unmanaged, IKernelSolveSystem<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (index == inputs.Count)
        {
            var pinned = new KernelSolveInputs<T>(addresses, lengths, settings.N);
            return new Run<TSystem, T>(pinned, settings.N, settings.E, settings.Alpha, settings.IndependentColumns, settings.Options).Solve(b, x);
        }

        ReadOnlySpan<T> span = inputs[index];
        fixed (T* address = span)
        {
            addresses[index] = address;
            lengths[index] = span.Length;
            return Pinned<TSystem, T>(in inputs, addresses, lengths, index + 1, b, x, settings);
        }
    }

    /// <summary>Checks that the operator is square: as many output rows as right-hand side rows.</summary>
    public static void CheckSquare(int outerRows, int innerRows, string outerParameter, string rightHandSide)
    {
        if (outerRows != innerRows)
        {
            throw new ArgumentException(
                $"A kernel solve needs a square system: '{outerParameter}' has {outerRows} rows but the right-hand side '{rightHandSide}' has {innerRows}. Pass the same points for both axes (as KeOps: Kinv(x, x, b, ...)).",
                outerParameter);
        }
    }

    /// <summary>Checks alpha and the options, naming the caller's parameters.</summary>
    public static void CheckArguments(double alpha, KernelSolveOptions? options, string alphaParameter, string optionsParameter)
    {
        CheckOptions(alpha, options ?? KernelSolveOptions.Default, alphaParameter, optionsParameter);
    }

    internal static void CheckOptions(double alpha, KernelSolveOptions options, string alphaParameter = "alpha", string optionsParameter = "options")
    {
        if (!(alpha >= 0) || double.IsInfinity(alpha))
        {
            throw new ArgumentOutOfRangeException(alphaParameter, alpha, "alpha must be a finite number ≥ 0 (the system is (alpha·I + K) x = b).");
        }

        if (!(options.Tolerance > 0) || double.IsInfinity(options.Tolerance))
        {
            throw new ArgumentException($"Tolerance must be a finite number > 0, got {options.Tolerance}.", optionsParameter);
        }

        if (options.MaxIterations < 0)
        {
            throw new ArgumentException($"MaxIterations must be ≥ 0 (0: automatic), got {options.MaxIterations}.", optionsParameter);
        }

        if (!Enum.IsDefined(options.Preconditioner))
        {
            throw new ArgumentException($"Unknown preconditioner {(int)options.Preconditioner}.", optionsParameter);
        }

        if (options.Preconditioner == KernelPreconditioner.LowRank && alpha == 0)
        {
            throw new ArgumentOutOfRangeException(alphaParameter, alpha, "The low-rank preconditioner needs alpha > 0: it inverts alpha·I + L·Lᵀ by the Woodbury identity.");
        }

        if (options.Preconditioner == KernelPreconditioner.LowRank && options.Rank < 1)
        {
            throw new ArgumentException($"Rank must be ≥ 1 for the low-rank preconditioner, got {options.Rank}.", optionsParameter);
        }

        if (!(options.RankTolerance >= 0))
        {
            throw new ArgumentException($"RankTolerance must be ≥ 0, got {options.RankTolerance}.", optionsParameter);
        }
    }

    /// <summary>One solve: the vectors, the layout of systems inside them, and the preconditioner.</summary>
    private sealed unsafe class Run<TSystem, T>
        where TSystem : unmanaged, IKernelSolveSystem<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly KernelSolveInputs<T> _inputs;
        private readonly int _n;
        private readonly int _e;
        private readonly double _alpha;
        private readonly KernelSolveOptions _options;

        // Systems: independent columns give E systems of size N (entry k of system s at k·E + s);
        // coupled ones one system of size N·E (entry k at k).
        private readonly int _systems;
        private readonly int _size;
        private readonly int _length;

        public Run(KernelSolveInputs<T> inputs, int n, int e, double alpha, bool independentColumns, KernelSolveOptions options)
        {
            _inputs = inputs;
            _n = n;
            _e = e;
            _alpha = alpha;
            _options = options;
            _systems = independentColumns ? e : 1;
            _size = independentColumns ? n : n * e;
            _length = n * e;
        }

        public KernelSolveResult Solve(ReadOnlySpan<T> bSpan, Span<T> xSpan)
        {
            int s = _systems;
            var b = new double[_length];
            var x = new double[_length];
            for (int k = 0; k < _length; k++)
            {
                b[k] = double.CreateTruncating(bSpan[k]);
                x[k] = _options.UseInitialGuess ? double.CreateTruncating(xSpan[k]) : 0;
            }

            double[] bNorm = Norms(b);
            var r = new double[_length];
            var z = new double[_length];
            var p = new double[_length];
            var ap = new double[_length];
            T[] tIn = ArrayPool<T>.Shared.Rent(Math.Max(1, _length));
            T[] tOut = ArrayPool<T>.Shared.Rent(Math.Max(1, _length));
            try
            {
                var state = new SystemState[s];
                for (int sys = 0; sys < s; sys++)
                {
                    state[sys] = bNorm[sys] > 0 ? SystemState.Active : SystemState.Converged;
                }

                // Zero right-hand sides have the exact solution zero, even from a warm start.
                ZeroInactive(x, state);
                KernelSolveStatus? failure = null;
                Preconditioner preconditioner = Preconditioner.Create(this, out bool positive);
                if (!positive)
                {
                    failure = KernelSolveStatus.NotPositiveDefinite;
                }

                Residual(b, x, r, tIn, tOut);
                if (failure is null)
                {
                    Restart(r, z, p, preconditioner);
                }

                // A warm start may already be good enough; it is then confirmed like any other.
                double[] initial = Norms(r);
                for (int sys = 0; sys < s; sys++)
                {
                    if (state[sys] == SystemState.Active && initial[sys] <= _options.Tolerance * bNorm[sys])
                    {
                        state[sys] = SystemState.Pending;
                    }
                }

                double[] rz = Dots(r, z);
                int iterations = 0, replacements = 0;
                int limit = _options.MaxIterations > 0 ? _options.MaxIterations : (int)Math.Min(100_000L, Math.Max(1L, (long)_length));
                double[]? trueResidual = null;
                while (failure is null)
                {
                    if (!Any(state, SystemState.Active))
                    {
                        // Every system converged on its recursive residual: confirm on the true one,
                        // restarting those that drifted (rounding in K·v accumulates in r).
                        Residual(b, x, r, tIn, tOut);
                        trueResidual = Relative(Norms(r), bNorm);
                        bool restarted = false;
                        for (int sys = 0; sys < s; sys++)
                        {
                            if (state[sys] == SystemState.Pending)
                            {
                                if (trueResidual[sys] <= _options.Tolerance)
                                {
                                    state[sys] = SystemState.Converged;
                                }
                                else if (replacements < MaxResidualReplacements && iterations < limit)
                                {
                                    state[sys] = SystemState.Active;
                                    restarted = true;
                                }
                                else
                                {
                                    state[sys] = SystemState.Stagnated;
                                }
                            }
                        }

                        if (!restarted)
                        {
                            break;
                        }

                        replacements++;
                        trueResidual = null;
                        Restart(r, z, p, preconditioner);
                        double[] fresh = Dots(r, z);
                        for (int sys = 0; sys < s; sys++)
                        {
                            if (state[sys] == SystemState.Active)
                            {
                                rz[sys] = fresh[sys];
                            }
                        }

                        continue;
                    }

                    if (iterations >= limit)
                    {
                        break;
                    }

                    ApplyOperator(p, ap, tIn, tOut);
                    iterations++;
                    double[] pap = Dots(p, ap);
                    for (int sys = 0; sys < s && failure is null; sys++)
                    {
                        if (state[sys] != SystemState.Active)
                        {
                            continue;
                        }

                        if (!double.IsFinite(pap[sys]) || !double.IsFinite(rz[sys]))
                        {
                            failure = KernelSolveStatus.NotFinite;
                        }
                        else if (pap[sys] <= 0)
                        {
                            failure = KernelSolveStatus.NotPositiveDefinite;
                        }
                        else
                        {
                            double step = rz[sys] / pap[sys];
                            for (int k = sys; k < _length; k += s)
                            {
                                x[k] += step * p[k];
                                r[k] -= step * ap[k];
                            }
                        }
                    }

                    if (failure is not null)
                    {
                        break;
                    }

                    double[] rNorm = Norms(r);
                    for (int sys = 0; sys < s; sys++)
                    {
                        if (state[sys] == SystemState.Active && rNorm[sys] <= _options.Tolerance * bNorm[sys])
                        {
                            state[sys] = SystemState.Pending;
                        }
                    }

                    preconditioner.Apply(r, z);
                    double[] rzNew = Dots(r, z);
                    for (int sys = 0; sys < s; sys++)
                    {
                        if (state[sys] != SystemState.Active)
                        {
                            continue;
                        }

                        if (!(rzNew[sys] > 0))
                        {
                            // r ≠ 0 with rᵀM⁻¹r ≤ 0: the preconditioner lost definiteness (an indefinite K).
                            failure = double.IsFinite(rzNew[sys]) ? KernelSolveStatus.NotPositiveDefinite : KernelSolveStatus.NotFinite;
                            break;
                        }

                        double beta = rzNew[sys] / rz[sys];
                        rz[sys] = rzNew[sys];
                        for (int k = sys; k < _length; k += s)
                        {
                            p[k] = z[k] + (beta * p[k]);
                        }
                    }
                }

                if (trueResidual is null)
                {
                    Residual(b, x, r, tIn, tOut);
                    trueResidual = Relative(Norms(r), bNorm);
                }

                KernelSolveStatus status = failure
                    ?? (Any(state, SystemState.Active) || Any(state, SystemState.Pending) ? KernelSolveStatus.IterationLimit
                        : Any(state, SystemState.Stagnated) ? KernelSolveStatus.Stagnated
                        : KernelSolveStatus.Converged);
                if (status == KernelSolveStatus.Converged && !AllFinite(x))
                {
                    status = KernelSolveStatus.NotFinite;
                }

                for (int k = 0; k < _length; k++)
                {
                    xSpan[k] = T.CreateTruncating(x[k]);
                }

                double worst = 0;
                foreach (double value in trueResidual)
                {
                    worst = double.IsNaN(value) || value > worst ? value : worst;
                }

                return new KernelSolveResult(status, iterations, worst, trueResidual, preconditioner.Rank);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(tIn);
                ArrayPool<T>.Shared.Return(tOut);
            }
        }

        private enum SystemState
        {
            Active,
            Pending,
            Converged,
            Stagnated,
        }

        private static bool Any(SystemState[] states, SystemState wanted) => Array.IndexOf(states, wanted) >= 0;

        private static bool AllFinite(double[] values)
        {
            foreach (double v in values)
            {
                if (!double.IsFinite(v))
                {
                    return false;
                }
            }

            return true;
        }

        private void ZeroInactive(double[] x, SystemState[] state)
        {
            for (int sys = 0; sys < _systems; sys++)
            {
                if (state[sys] != SystemState.Active)
                {
                    for (int k = sys; k < _length; k += _systems)
                    {
                        x[k] = 0;
                    }
                }
            }
        }

        private void Restart(double[] r, double[] z, double[] p, Preconditioner preconditioner)
        {
            preconditioner.Apply(r, z);
            Array.Copy(z, p, _length);
        }

        /// <summary>r = b − (alpha·I + K) x.</summary>
        private void Residual(double[] b, double[] x, double[] r, T[] tIn, T[] tOut)
        {
            ApplyOperator(x, r, tIn, tOut);
            for (int k = 0; k < _length; k++)
            {
                r[k] = b[k] - r[k];
            }
        }

        /// <summary>result = (alpha·I + K) v, K·v by the generated reduction in T.</summary>
        private void ApplyOperator(double[] v, double[] result, T[] tIn, T[] tOut)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            for (int k = 0; k < _length; k++)
            {
                tIn[k] = T.CreateTruncating(v[k]);
            }

            fixed (T* input = tIn, output = tOut)
            {
                TSystem.Apply(_inputs, new ReadOnlySpan<T>(input, _length), new Span<T>(output, _length), _options.CancellationToken);
            }

            for (int k = 0; k < _length; k++)
            {
                result[k] = double.CreateTruncating(tOut[k]) + (_alpha * v[k]);
            }
        }

        private double[] Dots(double[] u, double[] v)
        {
            var dots = new double[_systems];
            for (int k = 0; k < _length; k++)
            {
                dots[k % _systems] += u[k] * v[k];
            }

            return dots;
        }

        private double[] Norms(double[] u)
        {
            double[] norms = Dots(u, u);
            for (int sys = 0; sys < norms.Length; sys++)
            {
                norms[sys] = Math.Sqrt(norms[sys]);
            }

            return norms;
        }

        private static double[] Relative(double[] norms, double[] bNorm)
        {
            var relative = new double[norms.Length];
            for (int sys = 0; sys < norms.Length; sys++)
            {
                relative[sys] = bNorm[sys] > 0 ? norms[sys] / bNorm[sys] : 0;
            }

            return relative;
        }

        /// <summary>Diagonal of one system's matrix K (size values).</summary>
        internal double[] Diagonal()
        {
            var diagonal = new double[_size];
            Span<T> values = _e <= 64 ? stackalloc T[_e] : new T[_e];
            for (int q = 0; q < _size; q++)
            {
                int row = _systems == 1 ? q / _e : q;
                int component = _systems == 1 ? q % _e : 0;
                TSystem.Entry(_inputs, row, component, values);
                diagonal[q] = double.CreateTruncating(values[component]);
            }

            return diagonal;
        }

        /// <summary>Column q of one system's matrix K (size values).</summary>
        internal void Column(int q, double[] column, T[] buffer)
        {
            int row = _systems == 1 ? q / _e : q;
            int component = _systems == 1 ? q % _e : 0;
            TSystem.Column(_inputs, row, component, buffer.AsSpan(0, _length));

            if (_systems == 1)
            {
                for (int k = 0; k < _size; k++)
                {
                    column[k] = double.CreateTruncating(buffer[k]);
                }
            }
            else
            {
                for (int k = 0; k < _size; k++)
                {
                    column[k] = double.CreateTruncating(buffer[(long)k * _e]);
                }
            }
        }

        public int Systems => _systems;

        public int Size => _size;

        public int Length => _length;

        public double Alpha => _alpha;

        public KernelSolveOptions Options => _options;

        /// <summary>M⁻¹ applied to every system of a full N × E vector.</summary>
        internal abstract class Preconditioner
        {
            public virtual int Rank => 0;

            public abstract void Apply(double[] r, double[] z);

            public static Preconditioner Create(Run<TSystem, T> run, out bool positive)
            {
                positive = true;
                switch (run.Options.Preconditioner)
                {
                    case KernelPreconditioner.Jacobi:
                        {
                            double[] diagonal = run.Diagonal();
                            var inverse = new double[diagonal.Length];
                            for (int q = 0; q < diagonal.Length; q++)
                            {
                                double d = run.Alpha + diagonal[q];
                                positive &= d > 0;
                                inverse[q] = 1 / d;
                            }

                            return new JacobiPreconditioner(run, inverse);
                        }

                    case KernelPreconditioner.LowRank:
                        {
                            var factor = LowRankFactor.Build(run, out positive);
                            return new LowRankPreconditioner(run, factor);
                        }

                    default:
                        return new IdentityPreconditioner();
                }
            }
        }

        private sealed class IdentityPreconditioner : Preconditioner
        {
            public override void Apply(double[] r, double[] z) => Array.Copy(r, z, r.Length);
        }

        private sealed class JacobiPreconditioner(Run<TSystem, T> run, double[] inverse) : Preconditioner
        {
            public override void Apply(double[] r, double[] z)
            {
                int s = run.Systems;
                for (int k = 0; k < r.Length; k++)
                {
                    z[k] = r[k] * inverse[k / s];
                }
            }
        }

        private sealed class LowRankPreconditioner(Run<TSystem, T> run, LowRankFactor factor) : Preconditioner
        {
            private readonly double[] _gathered = new double[run.Size];
            private readonly double[] _applied = new double[run.Size];

            public override int Rank => factor.Rank;

            public override void Apply(double[] r, double[] z)
            {
                int s = run.Systems;
                for (int sys = 0; sys < s; sys++)
                {
                    for (int q = 0, k = sys; q < _gathered.Length; q++, k += s)
                    {
                        _gathered[q] = r[k];
                    }

                    factor.ApplyInverse(_gathered, _applied);
                    for (int q = 0, k = sys; q < _applied.Length; q++, k += s)
                    {
                        z[k] = _applied[q];
                    }
                }
            }
        }

        /// <summary>
        /// K ≈ L·Lᵀ from a greedy pivoted partial Cholesky, and (alpha·I + L·Lᵀ)⁻¹ by Woodbury:
        /// (v − L (alpha·I_r + LᵀL)⁻¹ Lᵀ v) / alpha, the r × r matrix factored once.
        /// </summary>
        internal sealed class LowRankFactor
        {
            private readonly double[][] _columns;
            private readonly double[] _cholesky;
            private readonly double _alpha;
            private readonly double[] _u;

            private LowRankFactor(double[][] columns, double[] cholesky, double alpha)
            {
                _columns = columns;
                _cholesky = cholesky;
                _alpha = alpha;
                _u = new double[columns.Length];
            }

            public int Rank => _columns.Length;

            public static LowRankFactor Build(Run<TSystem, T> run, out bool positive)
            {
                int m = run.Size;
                double alpha = run.Alpha;
                double[] remaining = run.Diagonal();
                positive = true;
                foreach (double d in remaining)
                {
                    // A positive semi-definite K has a non-negative diagonal; alpha + d must be positive.
                    positive &= alpha + d > 0;
                }

                int rank = Math.Min(run.Options.Rank, m);
                var columns = new System.Collections.Generic.List<double[]>(rank);
                var pivoted = new bool[m];
                T[] buffer = ArrayPool<T>.Shared.Rent(Math.Max(1, run.Length));
                try
                {
                    double stop = run.Options.RankTolerance * alpha;
                    for (int k = 0; k < rank && positive; k++)
                    {
                        run.Options.CancellationToken.ThrowIfCancellationRequested();
                        int pivot = -1;
                        double best = 0;
                        for (int q = 0; q < m; q++)
                        {
                            if (!pivoted[q] && remaining[q] > best)
                            {
                                best = remaining[q];
                                pivot = q;
                            }
                        }

                        if (pivot < 0 || best <= stop || !double.IsFinite(best))
                        {
                            break;
                        }

                        var column = new double[m];
                        run.Column(pivot, column, buffer);
                        foreach (double[] previous in columns)
                        {
                            Axpy(-previous[pivot], previous, column);
                        }

                        double scale = 1 / Math.Sqrt(best);
                        for (int q = 0; q < m; q++)
                        {
                            // Rows already pivoted are exactly zero in exact arithmetic.
                            column[q] = pivoted[q] ? 0 : column[q] * scale;
                            remaining[q] = pivoted[q] ? 0 : Math.Max(0, remaining[q] - (column[q] * column[q]));
                        }

                        pivoted[pivot] = true;
                        remaining[pivot] = 0;
                        columns.Add(column);
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(buffer);
                }

                // alpha·I_r + LᵀL and its Cholesky factor (lower, row-major r × r).
                int r = columns.Count;
                var s = new double[r * r];
                for (int i = 0; i < r; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        double dot = Dot(columns[i], columns[j]);
                        s[(i * r) + j] = dot + (i == j ? alpha : 0);
                    }
                }

                for (int j = 0; j < r && positive; j++)
                {
                    double d = s[(j * r) + j];
                    for (int k = 0; k < j; k++)
                    {
                        d -= s[(j * r) + k] * s[(j * r) + k];
                    }

                    // alpha > 0 makes alpha·I + LᵀL positive definite; only NaN/∞ fail here.
                    positive = d > 0 && double.IsFinite(d);
                    d = Math.Sqrt(d);
                    s[(j * r) + j] = d;
                    for (int i = j + 1; i < r; i++)
                    {
                        double v = s[(i * r) + j];
                        for (int k = 0; k < j; k++)
                        {
                            v -= s[(i * r) + k] * s[(j * r) + k];
                        }

                        s[(i * r) + j] = v / d;
                    }
                }

                return new LowRankFactor(columns.ToArray(), s, alpha);
            }

            public void ApplyInverse(double[] v, double[] z)
            {
                int r = _columns.Length;
                for (int i = 0; i < r; i++)
                {
                    _u[i] = Dot(_columns[i], v);
                }

                // Solve C Cᵀ y = u in place.
                for (int i = 0; i < r; i++)
                {
                    double sum = _u[i];
                    for (int k = 0; k < i; k++)
                    {
                        sum -= _cholesky[(i * r) + k] * _u[k];
                    }

                    _u[i] = sum / _cholesky[(i * r) + i];
                }

                for (int i = r - 1; i >= 0; i--)
                {
                    double sum = _u[i];
                    for (int k = i + 1; k < r; k++)
                    {
                        sum -= _cholesky[(k * r) + i] * _u[k];
                    }

                    _u[i] = sum / _cholesky[(i * r) + i];
                }

                Array.Copy(v, z, v.Length);
                for (int i = 0; i < r; i++)
                {
                    Axpy(-_u[i], _columns[i], z);
                }

                double inverseAlpha = 1 / _alpha;
                for (int q = 0; q < z.Length; q++)
                {
                    z[q] *= inverseAlpha;
                }
            }
        }
    }

    internal static double Dot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        int k = 0;
        var acc = Vector<double>.Zero;
        for (; k <= u.Length - Vector<double>.Count; k += Vector<double>.Count)
        {
            acc += new Vector<double>(u.Slice(k)) * new Vector<double>(v.Slice(k));
        }

        double sum = Vector.Sum(acc);
        for (; k < u.Length; k++)
        {
            sum += u[k] * v[k];
        }

        return sum;
    }

    internal static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int k = 0;
        var va = new Vector<double>(a);
        for (; k <= x.Length - Vector<double>.Count; k += Vector<double>.Count)
        {
            (new Vector<double>(y.Slice(k)) + (va * new Vector<double>(x.Slice(k)))).CopyTo(y.Slice(k));
        }

        for (; k < x.Length; k++)
        {
            y[k] += a * x[k];
        }
    }
}
