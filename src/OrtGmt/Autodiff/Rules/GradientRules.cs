namespace OrtGmt.Autodiff.Rules;

/// <summary>Given the forward node and its output gradients, returns one gradient (or null) per input.</summary>
internal delegate string?[] GradientRule(RuleCall call);

/// <summary>Every gradient rule, by ONNX op type (default domain). One file per op family registers its rules.</summary>
internal static class GradientRules
{
    public static IReadOnlyDictionary<string, GradientRule> All { get; } = Build();

    private static Dictionary<string, GradientRule> Build()
    {
        var rules = new Dictionary<string, GradientRule>(StringComparer.Ordinal);
        ArithmeticRules.Register(rules);
        ActivationRules.Register(rules);
        SoftmaxRules.Register(rules);
        MatMulRules.Register(rules);
        ShapeRules.Register(rules);
        ConcatSplitRules.Register(rules);
        SliceRules.Register(rules);
        GatherRules.Register(rules);
        ReductionRules.Register(rules);
        NormalizationRules.Register(rules);
        LossRules.Register(rules);
        return rules;
    }
}
