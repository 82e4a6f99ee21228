using OrtGmt.Graph;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Autodiff;

/// <summary>One application of a gradient rule: the forward node, its output gradients, and which inputs need one.</summary>
internal sealed class RuleCall(GradContext ctx, NodeProto node, string?[] outputGrads, bool[] wants)
{
    public GradContext Ctx { get; } = ctx;

    public GraphBuilder G => Ctx.G;

    public NodeProto Node { get; } = node;

    /// <summary>Gradient of output <paramref name="i"/>, or null when that output does not reach the loss.</summary>
    public string? OutGrad(int i) => i < outputGrads.Length ? outputGrads[i] : null;

    /// <summary>Gradient of the first output (rules of single-output ops are only called with it set).</summary>
    public string Dy => outputGrads[0] ?? throw new InvalidOperationException($"node '{Node.Name}': no gradient for its first output");

    public string In(int i) => Node.Input[i];

    public string Out(int i) => Node.Output[i];

    /// <summary>True when optional input <paramref name="i"/> is given.</summary>
    public bool Has(int i) => i < Node.Input.Count && Node.Input[i].Length > 0;

    /// <summary>True when input <paramref name="i"/> needs a gradient.</summary>
    public bool Want(int i) => i < wants.Length && wants[i];

    public TensorType TypeOf(string value) => Ctx.Types.TypeOf(value);

    /// <summary>The gradient of input <paramref name="i"/> from <paramref name="make"/>, made only when wanted.</summary>
    public string? For(int i, Func<string> make) => Want(i) ? make() : null;

    /// <summary>Like <see cref="For"/>, then summed back over the axes broadcasting added to input <paramref name="i"/>.</summary>
    public string? ForBroadcast(int i, Func<string> make) => Want(i) ? Ctx.ReduceTo(make(), TypeOf(Out(0)), In(i)) : null;

    public string Scalar(double value, string like) => Ctx.ScalarLike(value, like);

    /// <summary>The rank of <paramref name="value"/>, which this rule cannot do without.</summary>
    public int Rank(string value) =>
        TypeOf(value).Rank ?? throw new RuleLimitationException($"the rank of '{value}' is unknown (add value_info for it to the model)");

    /// <summary>
    /// The name of optional output <paramref name="i"/> of the forward node, adding it to the node when the
    /// model left it out (for values the forward kernel computes anyway, such as LayerNormalization's mean).
    /// </summary>
    public string EnsureOutput(int i, string hint)
    {
        while (Node.Output.Count <= i) Node.Output.Add("");
        if (Node.Output[i].Length == 0) Node.Output[i] = G.UniqueName(hint);
        return Node.Output[i];
    }

    /// <summary>The constant int64 values of input <paramref name="i"/>, or null.</summary>
    public long[]? ConstInts(int i) => Has(i) ? Ctx.Types.IntsOf(In(i)) : null;

    public static RuleLimitationException Limit(string message) => new(message);
}
