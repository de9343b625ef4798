using System;
using System.Linq;
using KeOpsGen.Generator.Formulas;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// Reads an operation's test metadata (<see cref="Operation.Tests"/>, kept in its definition) the
/// way the table-driven tests call it.
/// </summary>
internal static class OperationTestCases
{
    /// <summary>The integer arguments of a call; an operation with integer parameters must give some.</summary>
    public static IntArgs Ints(Operation op)
        => op.Tests.Ints is { } ints ? new IntArgs(ints)
            : op.Parameters.Any(p => p != ParamKind.Formula)
                ? throw new InvalidOperationException($"{op.Name} takes integer arguments: give them in its definition's Tests.Ints")
                : OpKit.NoInts;
}
