namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// How an operation carries linearity in a variable (the unknown of a <c>[KernelSolve]</c>
/// formula): the structural rule behind KEOPS0125 (Planning/KernelSolveAnalyzer's Linearity)
/// reads it from the operation's definition.
/// </summary>
internal enum LinearRole
{
    /// <summary>Any use of the variable breaks linearity (Exp, Abs, Max, ...).</summary>
    None,

    /// <summary>A linear map of its argument (Minus, Sum, Elem, Extract, the complex re/im/conj maps, ...).</summary>
    Map,

    /// <summary>A sum of terms that must each be linear (zero constants count): Add, Subtract, Concat.</summary>
    Additive,

    /// <summary>Linear in each factor: exactly one factor may hold the variable (Mult, Scalprod, MatVecMult, ...).</summary>
    Bilinear,

    /// <summary>A linear numerator over a denominator free of the variable.</summary>
    Quotient,

    /// <summary>IfElse: a condition free of the variable selects between linear branches.</summary>
    Select,
}
