using System;
using KeOpsGen;

namespace KeOpsGen.Tests.Solvers;

/// <summary>The [KernelSolve] methods the solver tests call.</summary>
internal static partial class SolveKernels
{
    // Gaussian RBF, one right-hand side, double (as in the README).
    [KernelSolve("Exp(-G*SqDist(X,Y)) * B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
    public static partial KernelSolveResult Gauss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, double alpha, Span<double> result);

    // Several right-hand sides solved together (independent columns), float, options declared.
    [KernelSolve("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(3)", "G = Pm(1)")]
    public static partial KernelSolveResult GaussMulti(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, double alpha, Span<float> result, KernelSolveOptions? options);

    // Coupled columns: a 2×2 symmetric positive definite mixing matrix A (a Pm) times the kernel.
    [KernelSolve("Exp(-SqDist(X,Y)) * MatVecMult(A, B)", "X = Vi(1)", "Y = Vj(1)", "B = Vj(2)", "A = Pm(4)")]
    public static partial KernelSolveResult Coupled(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> a, double alpha, Span<double> result);

    // Axis 0, a plain-scalar parameter and another unknown name: a Laplace (exponential) kernel.
    [KernelSolve("Exp(-S*Norm2(X-Y)) * U", "X = Vi(2)", "Y = Vj(2)", "U = Vi(1)", "S = Pm(1)", Variable = "U", Axis = 0)]
    public static partial KernelSolveResult LaplaceOverI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> u, double s, double alpha, Span<double> result);

    // Indefinite: -Gaussian is negative definite.
    [KernelSolve("-Exp(-SqDist(X,Y)) * B", "X = Vi(1)", "Y = Vj(1)", "B = Vj(1)")]
    public static partial KernelSolveResult NegativeGauss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double alpha, Span<double> result);
}
