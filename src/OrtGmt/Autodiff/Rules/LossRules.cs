using OrtGmt.Graph;

namespace OrtGmt.Autodiff.Rules;

/// <summary>SoftmaxCrossEntropyLoss over scores [N, C, d…] with reductions none/sum/mean, ignore_index and weights.</summary>
internal static class LossRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // lᵢ = −wᵢ·log pᵢ[labelᵢ] with p = softmax over axis 1 and wᵢ = weight[labelᵢ] (0 where ignored):
        // dscores = (p − onehot(label))·wᵢ·dlᵢ, where dlᵢ is dl (none, sum) or dl/Σwᵢ (mean);
        // the log_prob output adds dlp − p·Σ dlp.
        r["SoftmaxCrossEntropyLoss"] = SoftmaxCrossEntropy;
    }

    private static string?[] SoftmaxCrossEntropy(RuleCall c)
    {
        if (c.Want(2)) throw RuleCall.Limit("gradients of SoftmaxCrossEntropyLoss's weights are not supported");
        var g = c.G;
        string scores = c.In(0), labels = c.In(1);
        // The forward node computes log_prob anyway: expose it instead of recomputing a [N, C, d…] LogSoftmax.
        string logp = c.EnsureOutput(1, "log_prob");
        string p = g.Exp(logp);
        string? result = null;

        if (c.OutGrad(0) is { } dl)
        {
            string safe = labels;
            string? weight = null;
            if (c.Node.Find("ignore_index") is { } ii)
            {
                var ignored = g.Equal(labels, g.CastLike(g.IntScalar(ii.I), labels));
                safe = g.Where(ignored, g.CastLike(g.IntScalar(0), labels), labels);
                weight = g.CastLike(g.Not(ignored), scores);
            }
            if (c.Has(2))
            {
                var w = g.Gather(c.In(2), safe);
                weight = weight is null ? w : g.Mul(weight, w);
            }
            string perItem = c.Node.GetString("reduction", "mean") switch
            {
                "none" or "sum" => dl,
                "mean" => g.Div(dl, weight is null ? g.CastLike(g.Size(labels), scores) : g.ReduceSum(weight, (string?)null, keepDims: false)),
                var other => throw RuleCall.Limit($"reduction '{other}' is not supported"),
            };
            var factor = g.Expand(weight is null ? perItem : g.Mul(weight, perItem), g.Shape(labels));
            var factor1 = g.Unsqueeze(factor, 1);
            result = g.ScatterElements(g.Mul(p, factor1), g.Unsqueeze(safe, 1), g.Neg(factor1), axis: 1, reduction: "add");
        }
        if (c.OutGrad(1) is { } dlp)
        {
            var fromLogProb = g.Sub(dlp, g.Mul(p, g.ReduceSum(dlp, [1L])));
            result = result is null ? fromLogProb : g.Add(result, fromLogProb);
        }
        return [result, null, null];
    }
}
