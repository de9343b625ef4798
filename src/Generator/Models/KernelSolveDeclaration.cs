namespace KeOpsGen.Generator.Models;

/// <summary>
/// A [KernelSolve] method as equatable values: the reduction-shaped part (formula, declarations,
/// parameters, axis and sum options, read by the same extraction as [Reduction]) plus what only a
/// solve has.
/// </summary>
/// <param name="Core">The method read as a [Reduction] declaration (Op ignored: always Sum).</param>
/// <param name="Unknown">The <c>Variable</c> property: name of the unknown the formula is linear in.</param>
/// <param name="ReturnType">The declared return type, fully qualified.</param>
internal sealed record KernelSolveDeclaration(ReductionDeclaration Core, string Unknown, string ReturnType);
