using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The interop outputs: which optional libraries the compilation references is one small value
/// (<see cref="InteropFeatures"/>), combined with each analyzed model; tensor and TorchSharp
/// overloads go to files of their own, so the main emission step and its cache are untouched.
/// </summary>
internal static class InteropEmitter
{
    public const string InteropStep = "KeOpsGen.Interop";

    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ReductionModel> models)
    {
        IncrementalValueProvider<InteropFeatures> features = context.CompilationProvider
            .Select(static (compilation, _) => InteropFeatures.From(compilation));

        context.RegisterSourceOutput(features, static (spc, f) =>
        {
            if (f.Tensors)
            {
                (string hint, string source) = TensorEmitter.EmitHelpers();
                spc.AddSource(hint, source);
            }

            if (f.Torch)
            {
                (string hint, string source) = TorchEmitter.EmitHelpers();
                spc.AddSource(hint, source);
            }
        });

        IncrementalValuesProvider<EquatableSources> sources = models
            .Combine(features)
            .Select(static (pair, _) => Emit(pair.Left, pair.Right))
            .WithTrackingName(InteropStep);

        context.RegisterSourceOutput(sources, static (spc, files) =>
        {
            foreach ((string hint, string source) in files.Files)
            {
                spc.AddSource(hint, source);
            }
        });
    }

    private static EquatableSources Emit(ReductionModel model, InteropFeatures features)
    {
        var files = new List<(string, string)>();
        if (features.Tensors)
        {
            files.Add(TensorEmitter.Emit(model));
        }

        if (features.Torch && TorchEmitter.Emit(model) is { } torch)
        {
            files.Add(torch);
        }

        return new EquatableSources(new Models.EquatableArray<(string, string)>(files.ToArray()));
    }
}

/// <summary>Generated files as a value, so an unchanged set stays cached.</summary>
internal sealed record EquatableSources(Models.EquatableArray<(string HintName, string Source)> Files);
