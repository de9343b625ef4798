// The kernel Hamiltonian of samples/KernelHamiltonian, driven from TorchSharp:
//
//     H(q, p) = ½ Σ_ij exp(−|q_i − q_j|² / s²) <p_i, p_j>
//
// H comes from the TorchSharp overload KeOpsGen generates for the Energy reduction (a custom
// torch.autograd function), and dH/dq, dH/dp from torch.autograd.grad, whose backward pass runs the
// generated gradient methods. They are checked against those gradient methods called directly on
// spans, and against central finite differences of H.
using System;
using KeOpsGen;
using TorchSharp;

const int N = 500;
const double Sigma = 0.5;
torch.random.manual_seed(7);
var q = (torch.rand(new long[] { N, 3 }, torch.float64) * 2 - 1).requires_grad_(true);
var p = ((torch.rand(new long[] { N, 3 }, torch.float64) * 2 - 1) * 0.1).requires_grad_(true);
var s = torch.tensor(new[] { 1 / (Sigma * Sigma) }, torch.float64);

// q and p appear as both Vi and Vj: autograd adds the two halves of each gradient.
torch.Tensor h = 0.5 * Hamiltonian.Energy(q, q, p, p, s).sum();
var grads = torch.autograd.grad(new[] { h }, new[] { q, p });
double[] dq = grads[0].data<double>().ToArray(), dp = grads[1].data<double>().ToArray();
Console.WriteLine($"N = {N}: H = {h.item<double>():F9}");

// The same gradients from the generated methods on spans (gradOutput ½ per row).
double[] qa = q.detach().data<double>().ToArray(), pa = p.detach().data<double>().ToArray(), sa = { 1 / (Sigma * Sigma) };
var half = new double[N];
Array.Fill(half, 0.5);
double[] dqSpan = Sum(Gradient(Hamiltonian.EnergyGradQi), Gradient(Hamiltonian.EnergyGradQj));
double[] dpSpan = Sum(Gradient(Hamiltonian.EnergyGradPi), Gradient(Hamiltonian.EnergyGradPj));
double spanDifference = Math.Max(MaxDifference(dq, dqSpan), MaxDifference(dp, dpSpan));

// Central differences of H (double, h = 1e-6): truncation and rounding well below 1e-6.
int failures = spanDifference <= 1e-10 ? 0 : 1;
Console.WriteLine($"autograd vs generated gradient methods: max difference {spanDifference:E2} {(failures == 0 ? "ok" : "MISMATCH")}");
foreach ((string name, double[] values, double[] gradient) in new[] { ("q", qa, dq), ("p", pa, dp) })
{
    foreach (int k in new[] { 0, 3 * 123 + 1, 3 * (N - 1) + 2 })
    {
        double original = values[k];
        values[k] = original + 1e-6;
        double plus = H(qa, pa);
        values[k] = original - 1e-6;
        double minus = H(qa, pa);
        values[k] = original;
        double fd = (plus - minus) / 2e-6;
        bool ok = Math.Abs(gradient[k] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd));
        failures += ok ? 0 : 1;
        Console.WriteLine($"d{name}[{k / 3},{k % 3}]  autograd {gradient[k],16:F9}  finite differences {fd,16:F9}  {(ok ? "ok" : "MISMATCH")}");
    }
}

Console.WriteLine(failures == 0 ? "OK: torch.autograd through KeOpsGen matches the generated gradients and finite differences" : $"FAILED: {failures} check(s)");
return failures == 0 ? 0 : 1;

double H(double[] qv, double[] pv)
{
    var perRow = new double[N];
    Hamiltonian.Energy(qv, qv, pv, pv, sa, perRow);
    double sum = 0;
    foreach (double v in perRow)
    {
        sum += v;
    }

    return 0.5 * sum;
}

double[] Gradient(GradientMethod method)
{
    var result = new double[N * 3];
    method(qa, qa, pa, pa, sa, half, result);
    return result;
}

static double[] Sum(double[] a, double[] b)
{
    var sum = new double[a.Length];
    for (int k = 0; k < a.Length; k++)
    {
        sum[k] = a[k] + b[k];
    }

    return sum;
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

/// <summary>The shape of the generated gradient methods of Energy.</summary>
internal delegate void GradientMethod(ReadOnlySpan<double> qi, ReadOnlySpan<double> qj, ReadOnlySpan<double> pi, ReadOnlySpan<double> pj, ReadOnlySpan<double> s, ReadOnlySpan<double> gradOutput, Span<double> result);

/// <summary>The reduction of this sample; KeOpsGen adds the torch.Tensor overload because the project references TorchSharp.</summary>
public static partial class Hamiltonian
{
    /// <summary>Energy_i = Σ_j exp(−s|q_i − q_j|²)·&lt;p_i, p_j&gt;, so H = ½ Σ_i Energy_i.</summary>
    [Reduction("Exp(-S*SqDist(Qi,Qj))*(Pi|Pj)", "Qi = Vi(3)", "Qj = Vj(3)", "Pi = Vi(3)", "Pj = Vj(3)", "S = Pm(1)", Axis = 1, GradientOrder = 1)]
    public static partial void Energy(ReadOnlySpan<double> qi, ReadOnlySpan<double> qj, ReadOnlySpan<double> pi, ReadOnlySpan<double> pj, ReadOnlySpan<double> s, Span<double> result);
}
