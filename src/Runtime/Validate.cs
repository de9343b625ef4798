namespace KeOpsGen;

/// <summary>Argument checks shared by all generated methods; messages name the parameter.</summary>
public static partial class Validate
{
    /// <summary>Rows of a variable span of dimension <paramref name="dim"/>.</summary>
    public static int Rows(int length, int dim, string parameterName)
        => Divide(length, dim, parameterName, $"its dimension {dim} (rows × {dim} values, row-major)");

    /// <summary>
    /// The row count shared by a group of variable spans of one axis, checked as <see cref="Rows(int, int, string)"/>
    /// then <see cref="SameRows"/> check each (the first fixes the rows): one call for the group, so a
    /// generated method's checks do not grow by a line per variable.
    /// </summary>
    /// <param name="parameterNames">The spans' names, comma-separated, in the order of <paramref name="shapes"/>.</param>
    /// <param name="shapes">(length, dimension) of each span, flat.</param>
    public static int Rows(string parameterNames, ReadOnlySpan<int> shapes)
    {
        int rows = 0;
        for (int k = 0; 2 * k + 1 < shapes.Length; k++)
        {
            int length = shapes[2 * k], dim = shapes[(2 * k) + 1];
            int r = length % dim == 0 ? length / dim : Rows(length, dim, Name(parameterNames, k));
            if (k == 0)
            {
                rows = r;
            }
            else if (r != rows)
            {
                SameRows(r, rows, dim, Name(parameterNames, k), Name(parameterNames, 0));
            }
        }

        return rows;
    }

    /// <summary>The <paramref name="index"/>-th of the comma-separated <paramref name="names"/>; only cut out on a failing path.</summary>
    private static string Name(string names, int index)
    {
        string[] all = names.Split(',');
        return index < all.Length ? all[index] : names;
    }

    /// <summary>Checks that a variable has the same row count as the first variable of its axis.</summary>
    public static void SameRows(int rows, int expectedRows, int dim, string parameterName, string firstParameterName)
    {
        if (rows != expectedRows)
        {
            throw new ArgumentException(
                $"'{parameterName}' has {rows} rows but '{firstParameterName}' has {expectedRows}: expected {expectedRows} × {dim} = {(long)expectedRows * dim} values.",
                parameterName);
        }
    }

    /// <summary>Checks a parameter (Pm) span length.</summary>
    public static void ParameterLength(int length, int dim, string parameterName)
    {
        if (length != dim)
        {
            throw new ArgumentException(
                $"'{parameterName}' is a parameter of dimension {dim}: expected exactly {dim} values, got {length}.",
                parameterName);
        }
    }

    /// <summary>Checks an output span length.</summary>
    public static void OutputLength(int length, int rows, int width, string parameterName)
    {
        long expected = (long)rows * width;
        if (length != expected)
        {
            throw new ArgumentException(
                $"'{parameterName}' must hold {rows} rows × {width} = {expected} values, got {length}.",
                parameterName);
        }
    }

    /// <summary>Row count of an output when no input fixes it.</summary>
    public static int OutputRows(int length, int width, string parameterName)
        => Divide(length, width, parameterName, $"the output width {width}");

    private static int Divide(int length, int divisor, string parameterName, string what)
    {
        if (length % divisor != 0)
        {
            throw new ArgumentException($"Length {length} of '{parameterName}' is not a multiple of {what}.", parameterName);
        }

        return length / divisor;
    }
}
