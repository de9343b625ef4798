// Kernel Hamiltonian dynamics (LDDMM-style geodesic shooting) with KeOpsGen gradients.
//
//     H(q, p) = ½ Σ_ij k(q_i, q_j) <p_i, p_j>,   k(x, y) = exp(−|x − y|² / s²)
//
// Part 1, N = 5000 points in 3D: H from a generated reduction, and dH/dq, dH/dp from the gradient
// methods KeOpsGen generates for it (q and p appear as both Vi and Vj, so each gradient is the sum
// of the Vi and the Vj method), checked against central finite differences of H on a few coordinates.
//
// Part 2: geodesic shooting q' = ∂H/∂p, p' = −∂H/∂q by explicit Euler steps, and gradient descent on
// the initial momentum p0 so that the final points match a target shape. The gradient of the loss
// with respect to p0 is exact backpropagation through the Euler steps: the vector field is written
// as two reductions (the second with Grad in its formula), and the transposed Jacobians of the
// steps are their generated gradient methods — second derivatives of H via nested Grad. It is
// checked against finite differences of the shooting loss on a few coordinates of p0 first.
using System;
using System.Diagnostics;
using KeOpsGen;
using KeOpsGen.Samples;

const double Sigma = 0.5;
double[] scale = { 1 / (Sigma * Sigma) };
var random = new Random(7);
int failures = 0;
var total = Stopwatch.StartNew();

// ---- Part 1: H and its gradients at N = 5000 ---------------------------------------------------
{
    const int N = 5000;
    double[] q = RandomArray(N * 3, -1, 1), p = RandomArray(N * 3, -0.1, 0.1);
    var watch = Stopwatch.StartNew();
    double h = Hamiltonian(q, p);
    (double[] dq, double[] dp) = HamiltonianGradient(q, p);
    Console.WriteLine($"N = {N}: H = {h:F6}; H, dH/dq and dH/dp in {watch.Elapsed.TotalMilliseconds:F0} ms");

    // Central differences with h = 1e-5: truncation ~ h²·|H'''| and rounding ~ 1e-16·Σ|terms|/h;
    // Σ|terms| ≈ N²·0.01·0.3 ≈ 1e5 gives ≈ 1e-6 absolute, hence a 1e-5 tolerance (gradients are O(1)).
    const double Step = 1e-5, Tolerance = 1e-5;
    Console.WriteLine("coordinate     generated gradient     finite differences");
    foreach ((string name, double[] array, double[] gradient) in new[] { ("q", q, dq), ("p", p, dp) })
    {
        foreach (int k in new[] { 0, 3 * 1234 + 1, 3 * 4999 + 2 })
        {
            double original = array[k];
            array[k] = original + Step;
            double plus = Hamiltonian(q, p);
            array[k] = original - Step;
            double minus = Hamiltonian(q, p);
            array[k] = original;
            double fd = (plus - minus) / (2 * Step);
            bool ok = Math.Abs(gradient[k] - fd) <= Tolerance * Math.Max(1, Math.Abs(fd));
            failures += ok ? 0 : 1;
            Console.WriteLine($"d{name}[{k / 3},{k % 3}]      {gradient[k],18:F9}     {fd,18:F9}   {(ok ? "ok" : "MISMATCH")}");
        }
    }

    // The vector field reductions of part 2 must be the same gradients.
    var fieldQ = new double[N * 3];
    var fieldP = new double[N * 3];
    HamiltonianKernels.Velocity(q, q, p, scale, fieldP);
    HamiltonianKernels.Force(q, q, p, p, scale, fieldQ);
    double difference = Math.Max(MaxDifference(fieldP, dp), MaxDifference(fieldQ, dq));

    // Double, same terms in another order: rounding only.
    bool same = difference <= 1e-9 * Math.Max(1, Math.Max(MaxAbs(dp), MaxAbs(dq)));
    failures += same ? 0 : 1;
    Console.WriteLine($"vector-field reductions vs generated gradient methods: max difference {difference:E2} {(same ? "ok" : "MISMATCH")}");
}

// ---- Part 2: geodesic shooting and matching ----------------------------------------------------
{
    const int N = 600, Steps = 5, Iterations = 25;
    const double Dt = 1.0 / Steps;
    double[] q0 = RandomArray(N * 3, -1, 1);
    var target = new double[N * 3];
    for (int i = 0; i < N; i++)
    {
        // A smooth bend and twist of the cloud.
        double x = q0[i * 3], y = q0[(i * 3) + 1], z = q0[(i * 3) + 2];
        target[i * 3] = x + (0.3 * Math.Sin(2 * y));
        target[(i * 3) + 1] = y + (0.2 * z);
        target[(i * 3) + 2] = z + (0.25 * x * x) - 0.1;
    }

    var shooting = new Shooting(N, Steps, Dt, q0, target, scale);

    // The backpropagated gradient against central differences of the loss (h = 1e-6; the loss is
    // a smooth O(1) function of p0, so 1e-6 relative to the largest entry is ample).
    double[] p0 = RandomArray(N * 3, -0.01, 0.01);
    double[] gradient = shooting.LossGradient(p0, out double loss0);
    double gradientScale = MaxAbs(gradient);
    foreach (int k in new[] { 0, 3 * 100 + 1, 3 * (N - 1) + 2 })
    {
        double original = p0[k];
        p0[k] = original + 1e-6;
        double plus = shooting.Loss(p0);
        p0[k] = original - 1e-6;
        double minus = shooting.Loss(p0);
        p0[k] = original;
        double fd = (plus - minus) / 2e-6;
        bool ok = Math.Abs(gradient[k] - fd) <= 1e-6 * gradientScale;
        failures += ok ? 0 : 1;
        Console.WriteLine($"dLoss/dp0[{k / 3},{k % 3}]: backpropagated {gradient[k]:E6}, finite differences {fd:E6} {(ok ? "ok" : "MISMATCH")}");
    }

    // Gradient descent with a backtracking step: the loss must go down every iteration.
    // A first step that moves p0 by at most 0.005 (backtracking adapts it from there).
    double stepSize = 0.005 / gradientScale;
    double loss = loss0;
    double initialLoss = loss0;
    bool decreased = true;
    var losses = new System.Collections.Generic.List<double> { loss };
    double[] startMomentum = (double[])p0.Clone();
    Console.WriteLine($"shooting N = {N}, {Steps} Euler steps; iteration 0: loss {loss:E4}");
    SampleProgress.Run("gradient descent on p0", Iterations, progress =>
    {
        for (int iteration = 1; iteration <= Iterations; iteration++)
        {
            progress.Advance();
            gradient = shooting.LossGradient(p0, out loss);
            var trial = new double[p0.Length];
            double trialLoss;
            while (true)
            {
                for (int k = 0; k < p0.Length; k++)
                {
                    trial[k] = p0[k] - (stepSize * gradient[k]);
                }

                trialLoss = shooting.Loss(trial);
                if (trialLoss < loss || stepSize < 1e-12)
                {
                    break;
                }

                stepSize *= 0.5;
            }

            if (!(trialLoss < loss))
            {
                decreased = false;
                progress.Log($"iteration {iteration}: no decrease (loss {loss:E4})");
                break;
            }

            p0 = trial;
            progress.Log($"iteration {iteration,2}: loss {trialLoss:E4}  (step {stepSize:E2})");
            loss = trialLoss;
            stepSize *= 1.5;
            losses.Add(loss);
        }
    });

    Figures.Geodesic(shooting.Path(startMomentum), shooting.Path(p0), target);
    Figures.LossCurve(losses);
    bool matched = decreased && loss < 0.2 * initialLoss;
    failures += matched ? 0 : 1;
    Console.WriteLine($"loss {initialLoss:E4} -> {loss:E4} ({(matched ? "ok: below 20% of the start" : "FAILED: not below 20% of the start")})");
}

Console.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");
Console.WriteLine(failures == 0 ? "OK: gradients match finite differences and shooting matched the target" : $"FAILED: {failures} check(s)");
return failures == 0 ? 0 : 1;

double Hamiltonian(double[] q, double[] p)
{
    int n = q.Length / 3;
    var perRow = new double[n];
    HamiltonianKernels.Energy(q, q, p, p, scale, perRow);
    double sum = 0;
    foreach (double v in perRow)
    {
        sum += v;
    }

    return 0.5 * sum;
}

(double[] Dq, double[] Dp) HamiltonianGradient(double[] q, double[] p)
{
    int n = q.Length / 3;

    // H = ½ Σ_i Energy_i: the gradient output is ½ for every row.
    var half = new double[n];
    Array.Fill(half, 0.5);
    var dq = new double[n * 3];
    var dp = new double[n * 3];
    var part = new double[n * 3];
    HamiltonianKernels.EnergyGradQi(q, q, p, p, scale, half, dq);
    HamiltonianKernels.EnergyGradQj(q, q, p, p, scale, half, part);
    Add(dq, part, 1);
    HamiltonianKernels.EnergyGradPi(q, q, p, p, scale, half, dp);
    HamiltonianKernels.EnergyGradPj(q, q, p, p, scale, half, part);
    Add(dp, part, 1);
    return (dq, dp);
}

double[] RandomArray(int length, double low, double high)
{
    var values = new double[length];
    for (int n = 0; n < length; n++)
    {
        values[n] = low + ((high - low) * random.NextDouble());
    }

    return values;
}

static void Add(double[] target, double[] values, double factor)
{
    for (int k = 0; k < target.Length; k++)
    {
        target[k] += factor * values[k];
    }
}

static double MaxAbs(double[] values)
{
    double max = 0;
    foreach (double v in values)
    {
        max = Math.Max(max, Math.Abs(v));
    }

    return double.IsNaN(max) ? double.PositiveInfinity : max;
}

static double MaxDifference(double[] a, double[] b)
{
    double max = 0;
    for (int k = 0; k < a.Length; k++)
    {
        max = Math.Max(max, Math.Abs(a[k] - b[k]));
    }

    return double.IsNaN(max) ? double.PositiveInfinity : max;
}

/// <summary>Euler shooting of the Hamiltonian flow and its exact reverse-mode derivative.</summary>
internal sealed class Shooting
{
    private readonly int _n;
    private readonly int _steps;
    private readonly double _dt;
    private readonly double[] _q0;
    private readonly double[] _target;
    private readonly double[] _scale;

    public Shooting(int n, int steps, double dt, double[] q0, double[] target, double[] scale)
    {
        _n = n;
        _steps = steps;
        _dt = dt;
        _q0 = q0;
        _target = target;
        _scale = scale;
    }

    /// <summary>The points before each Euler step and after the last one (for the figure).</summary>
    public double[][] Path(double[] p0)
    {
        var qs = new double[_steps + 1][];
        qs[_steps] = Shoot(p0, qs, new double[_steps][]);
        return qs;
    }

    /// <summary>Mean squared distance between the shot points and the target.</summary>
    public double Loss(double[] p0) => LossOf(Shoot(p0, null, null));

    public double[] LossGradient(double[] p0, out double loss)
    {
        var qs = new double[_steps][];
        var ps = new double[_steps][];
        double[] qT = Shoot(p0, qs, ps);
        loss = LossOf(qT);

        // Adjoints of (q, p) after the last step, then back through each step.
        var alpha = new double[_n * 3];
        var beta = new double[_n * 3];
        for (int k = 0; k < alpha.Length; k++)
        {
            alpha[k] = 2 * (qT[k] - _target[k]) / _n;
        }

        var part = new double[_n * 3];
        for (int step = _steps - 1; step >= 0; step--)
        {
            double[] q = qs[step], p = ps[step];

            // Step: q+ = q + dt·V(q,p), p+ = p − dt·Fo(q,p). Its transpose applied to (α, β):
            //   ᾱ = α + dt·[∂V/∂q]ᵀα − dt·[∂Fo/∂q]ᵀβ,   β̄ = β + dt·[∂V/∂p]ᵀα − dt·[∂Fo/∂p]ᵀβ,
            // each [∂·/∂q]ᵀ the sum of the generated Vi and Vj gradient methods (q and p are both sides).
            var newAlpha = (double[])alpha.Clone();
            var newBeta = (double[])beta.Clone();
            HamiltonianKernels.VelocityGradQi(q, q, p, _scale, alpha, part);
            Vectors.Accumulate(newAlpha, part, _dt);
            HamiltonianKernels.VelocityGradQj(q, q, p, _scale, alpha, part);
            Vectors.Accumulate(newAlpha, part, _dt);
            HamiltonianKernels.VelocityGradPj(q, q, p, _scale, alpha, part);
            Vectors.Accumulate(newBeta, part, _dt);
            HamiltonianKernels.ForceGradQi(q, q, p, p, _scale, beta, part);
            Vectors.Accumulate(newAlpha, part, -_dt);
            HamiltonianKernels.ForceGradQj(q, q, p, p, _scale, beta, part);
            Vectors.Accumulate(newAlpha, part, -_dt);
            HamiltonianKernels.ForceGradPi(q, q, p, p, _scale, beta, part);
            Vectors.Accumulate(newBeta, part, -_dt);
            HamiltonianKernels.ForceGradPj(q, q, p, p, _scale, beta, part);
            Vectors.Accumulate(newBeta, part, -_dt);
            alpha = newAlpha;
            beta = newBeta;
        }

        return beta;
    }

    private double[] Shoot(double[] p0, double[][]? qs, double[][]? ps)
    {
        var q = (double[])_q0.Clone();
        var p = (double[])p0.Clone();
        var velocity = new double[_n * 3];
        var force = new double[_n * 3];
        for (int step = 0; step < _steps; step++)
        {
            if (qs is not null && ps is not null)
            {
                qs[step] = (double[])q.Clone();
                ps[step] = (double[])p.Clone();
            }

            HamiltonianKernels.Velocity(q, q, p, _scale, velocity);
            HamiltonianKernels.Force(q, q, p, p, _scale, force);
            Vectors.Accumulate(q, velocity, _dt);
            Vectors.Accumulate(p, force, -_dt);
        }

        return q;
    }

    private double LossOf(double[] q)
    {
        double sum = 0;
        for (int k = 0; k < q.Length; k++)
        {
            sum += (q[k] - _target[k]) * (q[k] - _target[k]);
        }

        return sum / _n;
    }
}

/// <summary>The reductions of this sample (qi/qj and pi/pj receive the same arrays).</summary>
public static partial class HamiltonianKernels
{
    /// <summary>Energy_i = Σ_j exp(−s|q_i − q_j|²)·&lt;p_i, p_j&gt;, so H = ½ Σ_i Energy_i.</summary>
    [Reduction("Exp(-S*SqDist(Qi,Qj))*(Pi|Pj)", "Qi = Vi(3)", "Qj = Vj(3)", "Pi = Vi(3)", "Pj = Vj(3)", "S = Pm(1)", Axis = 1, GradientOrder = 1)]
    public static partial void Energy(ReadOnlySpan<double> qi, ReadOnlySpan<double> qj, ReadOnlySpan<double> pi, ReadOnlySpan<double> pj, ReadOnlySpan<double> s, Span<double> result);

    /// <summary>∂H/∂p_i = Σ_j k(q_i, q_j)·p_j.</summary>
    [Reduction("Exp(-S*SqDist(Qi,Qj))*Pj", "Qi = Vi(3)", "Qj = Vj(3)", "Pj = Vj(3)", "S = Pm(1)", Axis = 1, GradientOrder = 1)]
    public static partial void Velocity(ReadOnlySpan<double> qi, ReadOnlySpan<double> qj, ReadOnlySpan<double> pj, ReadOnlySpan<double> s, Span<double> result);

    /// <summary>∂H/∂q_i = Σ_j ∂_{q_i} k(q_i, q_j)·&lt;p_i, p_j&gt; (k is symmetric, so the Vj half is the same).</summary>
    [Reduction("Grad(Exp(-S*SqDist(Qi,Qj))*(Pi|Pj),Qi,1)", "Qi = Vi(3)", "Qj = Vj(3)", "Pi = Vi(3)", "Pj = Vj(3)", "S = Pm(1)", Axis = 1, GradientOrder = 1)]
    public static partial void Force(ReadOnlySpan<double> qi, ReadOnlySpan<double> qj, ReadOnlySpan<double> pi, ReadOnlySpan<double> pj, ReadOnlySpan<double> s, Span<double> result);
}

/// <summary>y += factor·x over whole arrays.</summary>
internal static class Vectors
{
    public static void Accumulate(double[] target, double[] values, double factor)
    {
        for (int k = 0; k < target.Length; k++)
        {
            target[k] += factor * values[k];
        }
    }
}
