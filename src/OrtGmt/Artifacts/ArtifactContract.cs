namespace OrtGmt.Artifacts;

/// <summary>
/// The names and values that forward models, training and eval graphs, batches, batch files and the
/// runners agree on (README.md, "Artifacts"). They are defined here once; a manifest records which of
/// them an artifact folder's graphs take.
/// </summary>
public static class ArtifactContract
{
    /// <summary>Token ids, int64 [batch, seq]: the one input every forward model must have.</summary>
    public const string InputIds = "input_ids";

    /// <summary>Padding mask for attention, int64 [batch, seq] (1 = token, 0 = padding); optional, defaults to all ones.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>Targets, int64 [batch, seq]: labels[b, t] is the target of logits[b, t].</summary>
    public const string Labels = "labels";

    /// <summary>The forward model's output the loss is taken over, float [batch, seq, vocab].</summary>
    public const string Logits = "logits";

    /// <summary>Mean token cross-entropy over the positions that count (training and eval graphs).</summary>
    public const string Loss = "loss";

    /// <summary>Sum of the token losses (eval graph), so held-out loss can be weighted by tokens.</summary>
    public const string LossSum = "loss_sum";

    /// <summary>Number of positions that count in the loss (eval graph).</summary>
    public const string TokenCount = "token_count";

    /// <summary>A parameter's gradient output is its name with this suffix.</summary>
    public const string GradSuffix = "_grad";

    /// <summary>The label of a position that does not count in the loss (PyTorch's and Hugging Face's convention).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The training graph's gradient output for <paramref name="parameter"/>.</summary>
    public static string GradientOf(string parameter) => parameter + GradSuffix;
}
