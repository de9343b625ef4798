namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// The dimension rules several operations share, each written once with its error: the check and
/// a message that names the operation, the argument at fault, what it should be and what it is.
/// An entry's <see cref="Operation.Dim"/> then reads as its rule in words, one condition after
/// the other ("e has the dimension of f, then d(v)"). Arguments are numbered as the call writes
/// them (what a diagnostic points at); formula arguments come first in every signature these
/// rules serve, so a formula's position among the dimensions is its argument's.
/// </summary>
internal static class DimRules
{
    /// <summary>The result is a scalar.</summary>
    public static readonly DimRule Scalar = (_, _) => DimResult.Ok(1);

    /// <summary>The result has d(f)·d(g) components: an outer product of the two formula arguments.</summary>
    public static readonly DimRule Product = (dims, _) => DimResult.Ok(dims[0] * dims[1]);

    /// <summary>The result has the dimension of formula argument <paramref name="formula"/>.</summary>
    public static DimRule DimensionOf(int formula) => (dims, _) => DimResult.Ok(dims[formula]);

    /// <summary>The result's dimension is integer argument <paramref name="integer"/> (among the integers).</summary>
    public static DimRule GivenDimension(int integer) => (_, ints) => DimResult.Ok(ints[integer]);

    /// <summary>
    /// Formula argument <paramref name="argument"/> (called <paramref name="name"/>) must have the
    /// dimension of formula argument <paramref name="like"/> (<paramref name="likeName"/>); then
    /// <paramref name="then"/>.
    /// </summary>
    public static DimRule SameDimension(string op, int argument, string name, int like, string likeName, DimRule then)
        => (dims, ints) => dims[argument] == dims[like] ? then(dims, ints)
            : DimResult.Fail($"{op} needs {name} with the dimension of {likeName} ({dims[like]}), found {dims[argument]}", argument);

    /// <summary>Formula argument <paramref name="argument"/> (<paramref name="name"/>) must be a scalar; then <paramref name="then"/>.</summary>
    public static DimRule ScalarArgument(string op, int argument, string name, DimRule then)
        => (dims, ints) => dims[argument] == 1 ? then(dims, ints)
            : DimResult.Fail($"{op} needs a scalar {name}, found dimension {dims[argument]}", argument);

    /// <summary>
    /// Integer <paramref name="integer"/> (argument <paramref name="argument"/>, called
    /// <paramref name="name"/>) counts components, so it must be at least 1; then <paramref name="then"/>.
    /// </summary>
    public static DimRule AtLeastOne(string op, int integer, string name, int argument, DimRule then)
        => (dims, ints) => ints[integer] >= 1 ? then(dims, ints)
            : DimResult.Fail($"{op} needs {name} >= 1, found {ints[integer]}", argument);

    /// <summary>
    /// A scalar f spread over D components (SumT, OneHot): f must be a scalar and the integer D,
    /// the second argument, at least 1; the result has D components.
    /// </summary>
    public static DimRule ScalarToDimension(string op)
        => ScalarArgument(op, 0, "f", then: AtLeastOne(op, 0, "D", argument: 1, then: GivenDimension(0)));

    /// <summary>
    /// A row-major matrix (formula <paramref name="matrix"/>) times a vector (formula
    /// <paramref name="vector"/>) on the side they share: the matrix's dimension must be a multiple
    /// of the vector's, and the result has the quotient. The error points at the second argument.
    /// </summary>
    public static DimRule MatrixTimesVector(string op, int matrix, int vector)
        => (dims, _) => dims[matrix] % dims[vector] == 0 ? DimResult.Ok(dims[matrix] / dims[vector])
            : DimResult.Fail($"{op} needs dim(A) = {dims[matrix]} to be a multiple of dim(b) = {dims[vector]}", 1);

    /// <summary>
    /// Components <paramref name="start"/> to start + <paramref name="length"/> − 1 lie within a
    /// vector of dimension <paramref name="size"/> (an index when <paramref name="length"/> is 1):
    /// the result <paramref name="dim"/>, or KEOPS0105 on argument <paramref name="argument"/>.
    /// <paramref name="within"/> says which vector that is ("a formula of dimension" for the
    /// argument, "dimension" for the result); <paramref name="placed"/>, what fills the components
    /// when it is a formula argument.
    /// </summary>
    public static DimResult Placement(string op, long start, long length, int size, string within, int argument, int dim, string? placed = null)
    {
        if (start >= 0 && start + length <= size)
        {
            return DimResult.Ok(dim);
        }

        string components = length == 1 ? $"index {start}" : $"range [{start}, {start + length})";
        string of = placed is null ? string.Empty : $" for {placed}";
        string valid = length == 1 && size >= 1 ? $" (valid: 0 to {size - 1})" : string.Empty;
        return DimResult.OutOfRange($"{op} {components}{of} is out of range for {within} {size}{valid}", argument);
    }
}
