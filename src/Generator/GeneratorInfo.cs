namespace KeOpsGen.Generator;

internal static class GeneratorInfo
{
    public const string Version = "0.1.0";

    public const string AttributeName = "KeOpsGen.ReductionAttribute";

    public const string KernelSolveAttributeName = "KeOpsGen.KernelSolveAttribute";
}
