namespace KeOpsGen.Generator.Emit;

/// <summary>
/// Which optional libraries the consuming compilation references: the generator emits their
/// overloads only then, so a project without them gets no dependency. A value (not the
/// compilation) so the pipeline stays cached while the answer stays the same.
/// </summary>
internal readonly record struct InteropFeatures(bool Tensors, bool Torch)
{
    public const string TensorSpanType = "System.Numerics.Tensors.ReadOnlyTensorSpan`1";
    public const string TorchTensorType = "TorchSharp.torch+Tensor";
    public const string TorchFunctionType = "TorchSharp.Modules.MultiTensorFunction`1";

    public bool Any => Tensors || Torch;

    public static InteropFeatures From(Compilation compilation)
        => new(
            compilation.GetTypeByMetadataName(TensorSpanType) is not null,
            compilation.GetTypeByMetadataName(TorchTensorType) is not null);
}
