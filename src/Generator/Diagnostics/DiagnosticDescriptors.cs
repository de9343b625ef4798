namespace KeOpsGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic KeOpsGen reports. Ranges: 00xx formula syntax, 01xx formula meaning
/// (names, dimensions, types), 02xx binding to the C# method, 03xx backend limits.
/// Each id has a help page under docs/diagnostics/.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string HelpRoot = "https://github.com/keopsgen/keopsgen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor UnexpectedCharacter = new(
        "KEOPS0001", "Unexpected character in formula", "Unexpected character '{0}' in the formula", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0001.md");

    public static readonly DiagnosticDescriptor UnbalancedParenthesis = new(
        "KEOPS0002", "Unbalanced parenthesis", "{0}", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0002.md");

    public static readonly DiagnosticDescriptor ExpectedExpression = new(
        "KEOPS0003", "Expected an expression", "Expected an expression {0}", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0003.md");

    public static readonly DiagnosticDescriptor ExpectedToken = new(
        "KEOPS0004", "Expected a token", "Expected {0} but found {1}", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0004.md");

    public static readonly DiagnosticDescriptor EmptyFormula = new(
        "KEOPS0005", "Empty formula", "The formula is empty: write a KeOps expression such as \"Exp(-SqDist(X,Y))*B\"", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0005.md");

    public static readonly DiagnosticDescriptor UnsupportedOperator = new(
        "KEOPS0006", "Unsupported operator", "The operator '{0}' is not part of the KeOps formula language: {1}", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0006.md");

    public static readonly DiagnosticDescriptor InvalidNumber = new(
        "KEOPS0007", "Invalid number", "'{0}' is not a valid number", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0007.md");

    public static readonly DiagnosticDescriptor MalformedDeclaration = new(
        "KEOPS0008", "Malformed variable declaration", "Malformed variable declaration '{0}': expected \"Name = Vi(dim)\", \"Name = Vj(pos,dim)\", \"Name = Pm(dim)\" or \"Var(pos,dim,cat)\"", "KeOpsGen.Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0008.md");

    public static readonly DiagnosticDescriptor UnknownOperation = new(
        "KEOPS0101", "Unknown operation", "Unknown operation '{0}'{1}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0101.md");

    public static readonly DiagnosticDescriptor WrongArgumentCount = new(
        "KEOPS0102", "Wrong number of arguments", "{0} takes {1} but was given {2}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0102.md");

    public static readonly DiagnosticDescriptor IntegerExpected = new(
        "KEOPS0103", "Integer expected", "{0}: expected {1}, found '{2}'", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0103.md");

    public static readonly DiagnosticDescriptor DimensionMismatch = new(
        "KEOPS0104", "Dimension mismatch", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0104.md");

    public static readonly DiagnosticDescriptor IndexOutOfRange = new(
        "KEOPS0105", "Index out of range", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0105.md");

    public static readonly DiagnosticDescriptor UndeclaredVariable = new(
        "KEOPS0106", "Undeclared variable", "'{0}' is not a declared variable{1}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0106.md");

    public static readonly DiagnosticDescriptor UnusedVariable = new(
        "KEOPS0107", "Unused variable", "Variable '{0}' is declared but not used in the formula; its parameter is still checked but does not change the result", "KeOpsGen.Formula", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0107.md");

    public static readonly DiagnosticDescriptor InvalidDeclaration = new(
        "KEOPS0108", "Invalid variable declaration", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0108.md");

    public static readonly DiagnosticDescriptor GradTargetNotVariable = new(
        "KEOPS0109", "Gradient target is not a variable", "{0} must differentiate with respect to a declared variable, found '{1}'", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0109.md");

    public static readonly DiagnosticDescriptor InvalidArgument = new(
        "KEOPS0110", "Invalid argument", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0110.md");

    public static readonly DiagnosticDescriptor NotDifferentiable = new(
        "KEOPS0111", "Not differentiable", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0111.md");

    public static readonly DiagnosticDescriptor OperationWithoutCall = new(
        "KEOPS0112", "Operation used without arguments", "'{0}' is an operation: call it with arguments such as '{0}(...)'", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0112.md");

    public static readonly DiagnosticDescriptor ListNotAllowed = new(
        "KEOPS0113", "List literal not allowed here", "A list literal is only allowed as an integer-list argument (TensorDot, Kron)", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0113.md");

    public static readonly DiagnosticDescriptor InvalidMethod = new(
        "KEOPS0201", "Invalid [Reduction] method", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0201.md");

    public static readonly DiagnosticDescriptor ParameterCountMismatch = new(
        "KEOPS0202", "Parameters do not match the declarations", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0202.md");

    public static readonly DiagnosticDescriptor ParameterTypeMismatch = new(
        "KEOPS0203", "Parameter type does not match its declaration", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0203.md");

    public static readonly DiagnosticDescriptor NoReducedVariable = new(
        "KEOPS0204", "No variable on the reduced axis", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0204.md");

    public static readonly DiagnosticDescriptor InvalidReductionOption = new(
        "KEOPS0205", "Invalid reduction option", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0205.md");

    public static readonly DiagnosticDescriptor OverloadedReduction = new(
        "KEOPS0206", "Overloaded [Reduction] method", "[Reduction] method '{0}' is overloaded; give each reduction its own name", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0206.md");

    public static readonly DiagnosticDescriptor FormulaTooLarge = new(
        "KEOPS0302", "Formula too large", "{0}", "KeOpsGen.Backend", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0302.md");

    public static readonly DiagnosticDescriptor InternalError = new(
        "KEOPS0399", "Internal generator error", "KeOpsGen could not process this reduction ({0}); please report it with the formula", "KeOpsGen.Backend", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0399.md");

    public static readonly DiagnosticDescriptor CpuOnlyKernel = new(
        "KEOPS0303", "Kernel runs on the CPU only", "Backend = Gpu, but '{0}' runs on the CPU: {1}", "KeOpsGen.Backend", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0303.md");
    public static readonly DiagnosticDescriptor GradientNotGenerated = new(
        "KEOPS0114", "Gradient method not generated", "Gradient method '{0}' is not generated: {1}", "KeOpsGen.Formula", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0114.md");

    public static readonly DiagnosticDescriptor NotLinear = new(
        "KEOPS0120", "Formula not linear in the variable", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0120.md");

    public static readonly DiagnosticDescriptor InvalidImplicitVariable = new(
        "KEOPS0121", "Invalid undeclared Var", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0121.md");

    public static readonly DiagnosticDescriptor InconsistentImplicitVariable = new(
        "KEOPS0122", "Inconsistent uses of an undeclared Var", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0122.md");

    public static readonly DiagnosticDescriptor ImplicitVariableGap = new(
        "KEOPS0123", "Undeclared Var leaves a gap in the positions", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0123.md");

    public static readonly DiagnosticDescriptor UnsupportedGradientOrder = new(
        "KEOPS0207", "Unsupported gradient order", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0207.md");

    // KernelSolve (KEOPS0125-0129 formula, KEOPS0210-0214 method).
    public static readonly DiagnosticDescriptor SolveNotLinear = new(
        "KEOPS0125", "Formula not linear in the unknown", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0125.md");

    public static readonly DiagnosticDescriptor SolveUnknownNotDeclared = new(
        "KEOPS0126", "Unknown variable not declared", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0126.md");

    public static readonly DiagnosticDescriptor SolveUnknownWrongAxis = new(
        "KEOPS0127", "Unknown variable on the wrong axis", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0127.md");

    public static readonly DiagnosticDescriptor SolveNotSquare = new(
        "KEOPS0128", "Kernel system not square", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0128.md");

    public static readonly DiagnosticDescriptor SolveUnknownUnused = new(
        "KEOPS0129", "Formula does not use the unknown", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0129.md");

    public static readonly DiagnosticDescriptor InvalidSolveMethod = new(
        "KEOPS0210", "Invalid [KernelSolve] method", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0210.md");

    public static readonly DiagnosticDescriptor SolveParameterMismatch = new(
        "KEOPS0211", "[KernelSolve] parameters do not match", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0211.md");

    public static readonly DiagnosticDescriptor SolveOptionsParameter = new(
        "KEOPS0212", "Invalid [KernelSolve] options parameter", "{0}", "KeOpsGen.Signature", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0212.md");

    public static readonly DiagnosticDescriptor IntegerOutOfRange = new(
        "KEOPS0115", "Integer argument out of range", "{0}", "KeOpsGen.Formula", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0115.md");

    public static readonly DiagnosticDescriptor GeneratedCodeTooLarge = new(
        "KEOPS0304", "Generated code too large", "{0}", "KeOpsGen.Backend", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0304.md");

    public static readonly DiagnosticDescriptor KernelTypeNotReachable = new(
        "KEOPS0306", "Reduction inside a type ILGPU cannot reach", "'{0}' runs on the CPU engine only: it is declared inside '{1}', a {2} type, and ILGPU loads kernels only from public or internal types; make '{1}' internal (or public) to run it on the GPU", "KeOpsGen.Backend", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0306.md");

    public static readonly DiagnosticDescriptor ExpressionTooLong = new(
        "KEOPS0305", "Reduction over too many components", "{0}", "KeOpsGen.Backend", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0305.md");

    public static readonly DiagnosticDescriptor PerVariableGradientsReplaced = new(
        "KEOPS0307", "Per-variable gradient methods replaced by the combined one", "'{0}' has {1} variables, more than {2}: its gradients are computed by the combined method '{0}Grad' (one output span per variable, empty to skip one) instead of one '{0}Grad<Variable>' method each, which would grow the generated code with the square of the variable count", "KeOpsGen.Backend", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0307.md");

    // Reported by GradientRequestAnalyzer (not the generator) on a call of a gradient method that was not requested.
    public static readonly DiagnosticDescriptor GradientsNotRequested = new(
        "KEOPS0308", "Gradient method not requested", "'{0}' is not generated: KeOpsGen generates the gradient methods of '{1}' on request; set GradientOrder = {2} on its [{3}] attribute", "KeOpsGen.Backend", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "KEOPS0308.md");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Build();

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var all = new DiagnosticDescriptor[]
        {
            UnexpectedCharacter,
            UnbalancedParenthesis,
            ExpectedExpression,
            ExpectedToken,
            EmptyFormula,
            UnsupportedOperator,
            InvalidNumber,
            MalformedDeclaration,
            UnknownOperation,
            WrongArgumentCount,
            IntegerExpected,
            DimensionMismatch,
            IndexOutOfRange,
            UndeclaredVariable,
            UnusedVariable,
            InvalidDeclaration,
            GradTargetNotVariable,
            InvalidArgument,
            NotDifferentiable,
            OperationWithoutCall,
            ListNotAllowed,
            InvalidMethod,
            ParameterCountMismatch,
            ParameterTypeMismatch,
            NoReducedVariable,
            InvalidReductionOption,
            OverloadedReduction,
            FormulaTooLarge,
            InternalError,
            CpuOnlyKernel,
            GradientNotGenerated,
            NotLinear,
            InvalidImplicitVariable,
            InconsistentImplicitVariable,
            ImplicitVariableGap,
            UnsupportedGradientOrder,
            SolveNotLinear,
            SolveUnknownNotDeclared,
            SolveUnknownWrongAxis,
            SolveNotSquare,
            SolveUnknownUnused,
            InvalidSolveMethod,
            SolveParameterMismatch,
            SolveOptionsParameter,
            IntegerOutOfRange,
            GeneratedCodeTooLarge,
            ExpressionTooLong,
            PerVariableGradientsReplaced,
            KernelTypeNotReachable,
            GradientsNotRequested,
        };
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptor d in all)
        {
            map.Add(d.Id, d);
        }

        return map;
    }
}
