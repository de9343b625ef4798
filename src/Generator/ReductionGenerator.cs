using System.Collections.Immutable;
using System.Threading;
using KeOpsGen.Generator.Emit;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KeOpsGen.Generator;

/// <summary>
/// The KeOpsGen source generator: [Reduction] methods in, kernels and gradient methods out.
/// Tracked steps, each a pure function over equatable records (Planning/PipelineModels.cs):
/// Extract (symbols to values) → Parse → Bind → Differentiate → Plan → Emit. Source locations and
/// diagnostics are split off after Differentiate, so Plan and Emit never see a location: an edit
/// that only moves a method's text leaves its Plan and Emit steps Cached. What Plan and Emit
/// report waits as <see cref="PendingDiagnostic"/>s until matched with the method's current
/// <see cref="MethodAnchors"/>. See docs/architecture.md.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ReductionGenerator : IIncrementalGenerator
{
    public const string ExtractStep = "KeOpsGen.Extract";
    public const string ParseStep = "KeOpsGen.Parse";
    public const string BindStep = "KeOpsGen.Bind";
    public const string DifferentiateStep = "KeOpsGen.Differentiate";
    public const string PlanStep = "KeOpsGen.Plan";
    public const string EmitStep = "KeOpsGen.Emit";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ReductionDeclaration> declarations = GeneratorWiring.Declarations<ReductionDeclaration>(context, GeneratorInfo.AttributeName, Extract, ExtractStep);

        // Cancellation is checked as each step starts: an edit made while a large formula is
        // analyzed stops the run between stages.
        IncrementalValuesProvider<DifferentiatedReduction> differentiated = declarations
            .Select(static (d, ct) => Step(ct, d, ReductionAnalyzer.Parse))
            .WithTrackingName(ParseStep)
            .Select(static (p, ct) => Step(ct, p, ReductionAnalyzer.Bind))
            .WithTrackingName(BindStep)
            .Select(static (b, ct) => Step(ct, b, ReductionAnalyzer.Differentiate))
            .WithTrackingName(DifferentiateStep);

        // The located side: diagnostics so far, and the stub of a method that failed.
        GeneratorWiring.ReportDiagnostics(context, differentiated.Select(static (r, _) => r.Diagnostics));

        IncrementalValuesProvider<(string HintName, string Source)> stubs = differentiated
            .Where(static r => r.Stub is not null)
            .Select(static (r, _) => ApiEmitter.EmitStub(r.Stub!));

        context.RegisterSourceOutput(stubs, static (spc, source) => spc.AddSource(source.HintName, source.Source));

        // The location-free side.
        IncrementalValuesProvider<EmittedReduction> emitted = differentiated
            .Where(static r => r.Plan is not null)
            .Select(static (r, _) => r.Plan!)
            .Select(static (input, ct) => Step(ct, input, ReductionAnalyzer.Plan))
            .WithTrackingName(PlanStep)
            .Select(static (planned, ct) => Step(ct, planned, Emit.EmitStep.Emit))
            .WithTrackingName(EmitStep);

        context.RegisterSourceOutput(emitted, static (spc, e) => spc.AddSource(e.HintName, e.Source));

        // Plan's and Emit's diagnostics meet the methods' current locations here, in one small
        // node that re-runs on any edit; the steps that produced them stay Cached.
        IncrementalValueProvider<ImmutableArray<MethodAnchors>> anchors = differentiated
            .Where(static r => r.Anchors is not null)
            .Select(static (r, _) => r.Anchors!)
            .Collect();
        IncrementalValueProvider<ImmutableArray<(string Key, EquatableArray<PendingDiagnostic> Pending)>> pending = emitted
            .Where(static e => e.Pending.Count > 0)
            .Select(static (e, _) => (e.Key, e.Pending))
            .Collect();
        context.RegisterSourceOutput(pending.Combine(anchors), static (spc, pair) =>
        {
            foreach (DiagnosticInfo d in Emit.EmitStep.Resolve(pair.Left, pair.Right))
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<ReductionModel> models = emitted
            .Where(static e => e.Fits)
            .Select(static (e, _) => e.Model);

        // Optional interop overloads (System.Numerics.Tensors, TorchSharp) in files of their own,
        // only for the libraries the compilation references: see Emit/InteropEmitter.cs.
        InteropEmitter.Register(context, models);

        RegisterIlgpuAccess(context, models.Select(static (m, _) => m.MethodName));
    }

    private static TOut Step<TIn, TOut>(CancellationToken cancellationToken, TIn input, System.Func<TIn, TOut> stage)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return stage(input);
    }

    /// <summary>
    /// ILGPU compiles the generated GPU kernels through a dynamic assembly named ILGPURuntime, which
    /// must see their internal classes: one attribute per compilation that has a kernel, from
    /// whichever generator emitted it ([Reduction] or [KernelSolve]'s operator).
    /// </summary>
    internal static void RegisterIlgpuAccess<T>(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<T> sources)
        => context.RegisterSourceOutput(sources.Collect(), static (spc, all) =>
        {
            if (!all.IsEmpty)
            {
                spc.AddSource("KeOpsGen.IlgpuAccess.g.cs", "// <auto-generated/>\n[assembly: global::System.Runtime.CompilerServices.InternalsVisibleTo(\"ILGPURuntime\")]\n");
            }
        });

    internal static ReductionDeclaration? Extract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return null;
        }

        AttributeData? attribute = context.Attributes.FirstOrDefault();
        if (attribute is null || attribute.ConstructorArguments.Length < 1)
        {
            return null;
        }

        SemanticModel model = context.SemanticModel;
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        Location attributeLocation = attributeSyntax?.GetLocation() ?? syntax.Identifier.GetLocation();

        // Positional arguments: the formula, then the declarations (inline or as one array).
        var positional = new List<ExpressionSyntax>();
        var named = new List<(string Name, LocationInfo Location)>();
        ExpressionSyntax? weightSyntax = null;
        if (attributeSyntax?.ArgumentList is { } list)
        {
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals is { } nameEquals)
                {
                    string name = nameEquals.Name.Identifier.ValueText;
                    named.Add((name, LocationInfo.From(argument.GetLocation())));
                    if (name == "Weight")
                    {
                        weightSyntax = argument.Expression;
                    }
                }
                else if (argument.NameColon is null)
                {
                    positional.Add(argument.Expression);
                }
            }
        }

        string? formula = attribute.ConstructorArguments[0].Value as string;
        var variables = new List<string>();
        if (attribute.ConstructorArguments.Length > 1)
        {
            TypedConstant vars = attribute.ConstructorArguments[1];
            if (vars.Kind == TypedConstantKind.Array && !vars.IsNull)
            {
                variables.AddRange(vars.Values.Select(v => v.Value as string ?? string.Empty));
            }
        }

        List<ExpressionSyntax?> variableSyntax = positional.Skip(1).Cast<ExpressionSyntax?>().ToList();
        if (variableSyntax.Count == 1 && variableSyntax[0] is ExpressionSyntax single
            && (single is ArrayCreationExpressionSyntax || single is ImplicitArrayCreationExpressionSyntax))
        {
            InitializerExpressionSyntax? initializer = single switch
            {
                ArrayCreationExpressionSyntax a => a.Initializer,
                ImplicitArrayCreationExpressionSyntax a => a.Initializer,
                _ => null,
            };
            variableSyntax = initializer?.Expressions.Cast<ExpressionSyntax?>().ToList() ?? new List<ExpressionSyntax?>();
        }

        var variableMaps = new List<SourceMap>();
        for (int v = 0; v < variables.Count; v++)
        {
            ExpressionSyntax? expression = v < variableSyntax.Count ? variableSyntax[v] : null;
            variableMaps.Add(SourceMapBuilder.Build(expression, variables[v], model, attributeLocation));
        }

        string? weight = null;
        int op = 0, axis = 1, k = 0, sumScheme = 0, accumulation = 0, backend = 0, gradientOrder = 0;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Op": op = argument.Value.Value is int o ? o : 0; break;
                case "Axis": axis = argument.Value.Value is int a ? a : 1; break;
                case "K": k = argument.Value.Value is int kk ? kk : 0; break;
                case "SumScheme": sumScheme = argument.Value.Value is int s ? s : 0; break;
                case "Accumulation": accumulation = argument.Value.Value is int acc ? acc : 0; break;
                case "Weight": weight = argument.Value.Value as string; break;
                case "Backend": backend = argument.Value.Value is int be ? be : 0; break;
                case "GradientOrder": gradientOrder = argument.Value.Value is int go ? go : 0; break;
            }
        }

        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
            string keyword = type.IsRecord ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : type.TypeKind == TypeKind.Struct ? "struct" : type.TypeKind == TypeKind.Interface ? "interface" : "class";
            // ILGPU loads kernels through a dynamic assembly: InternalsVisibleTo lets it into internal
            // types, nothing lets it into private or protected ones (KEOPS0306).
            string hidden = type.DeclaredAccessibility switch
            {
                Microsoft.CodeAnalysis.Accessibility.Private => "private",
                Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
                Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
                _ => string.Empty,
            };
            Location? name = hidden.Length == 0 ? null : type.Locations.FirstOrDefault(l => l.IsInSource);
            containing.Insert(0, new ContainingType(keyword, type.Name, isPartial, type.IsGenericType, type.IsStatic)
            {
                HiddenAt = name is null ? (LocationInfo?)null : LocationInfo.From(name),
                HiddenAccessibility = name is null ? string.Empty : hidden,
            });
        }

        var parameters = method.Parameters.Select(p => Describe(p, cancellationToken)).ToEquatableArray();
        bool overloaded = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GeneratorInfo.AttributeName)) > 1;

        return new ReductionDeclaration(
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containing.ToEquatableArray(),
            method.Name,
            syntax.Modifiers.Any(m => SyntaxFacts.IsAccessibilityModifier(m.Kind())) ? Accessibility(method.DeclaredAccessibility) : string.Empty,
            method.IsStatic,
            method.IsPartialDefinition,
            method.PartialImplementationPart is not null,
            method.ReturnsVoid,
            method.IsGenericMethod,
            overloaded,
            LocationInfo.From(syntax.Identifier.GetLocation()),
            LocationInfo.From(attributeLocation),
            parameters,
            formula,
            SourceMapBuilder.Build(positional.FirstOrDefault(), formula, model, attributeLocation),
            variables.ToEquatableArray(),
            variableMaps.ToEquatableArray(),
            weight,
            weight is null ? null : SourceMapBuilder.Build(weightSyntax, weight, model, attributeLocation),
            op,
            axis,
            k,
            sumScheme,
            accumulation,
            named.ToEquatableArray())
        {
            Backend = backend,
            GradientOrder = gradientOrder,
        };
    }

    private static ParameterInfo Describe(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        ITypeSymbol type = parameter.Type;
        ParameterShape shape = ParameterShape.Other;
        string element = string.Empty;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && (named.Name == "ReadOnlySpan" || named.Name == "Span"))
        {
            shape = named.Name == "ReadOnlySpan" ? ParameterShape.ReadOnlySpan : ParameterShape.Span;
            element = Element(named.TypeArguments[0]);
        }
        else if (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double)
        {
            shape = ParameterShape.Scalar;
            element = Element(type);
        }

        Location location = parameter.Locations.FirstOrDefault() ?? Location.None;
        string display = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string name = SyntaxFacts.GetKeywordKind(parameter.Name) != SyntaxKind.None ? "@" + parameter.Name : parameter.Name;
        return new ParameterInfo(name, shape, element, display, parameter.RefKind != RefKind.None, LocationInfo.From(location));
    }

    private static string Element(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_Int32 => "int",
        _ => type.ToDisplayString(),
    };

    private static string Accessibility(Microsoft.CodeAnalysis.Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Private => "private",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
