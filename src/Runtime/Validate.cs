using System;

namespace KeOpsGen;

/// <summary>Argument checks shared by all generated methods; messages name the parameter.</summary>
public static partial class Validate
{
    /// <summary>Rows of a variable span of dimension <paramref name="dim"/>.</summary>
    public static int Rows(int length, int dim, string parameterName)
    {
        if (length % dim != 0)
        {
            throw new ArgumentException(
                $"Length {length} of '{parameterName}' is not a multiple of its dimension {dim} (rows × {dim} values, row-major).",
                parameterName);
        }

        return length / dim;
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
    {
        if (length % width != 0)
        {
            throw new ArgumentException(
                $"Length {length} of '{parameterName}' is not a multiple of the output width {width}.",
                parameterName);
        }

        return length / width;
    }
}
