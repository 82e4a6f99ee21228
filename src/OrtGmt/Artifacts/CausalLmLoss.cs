using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Artifacts;

/// <summary>
/// Appends the causal-LM loss of the batch contract: labels int64 [batch, seq] aligned with
/// the logits (the data pipeline shifts), −100 ignored, mean token cross-entropy over the kept
/// tokens. A batch with no kept token gives loss 0 and zero gradients instead of 0/0.
/// </summary>
public static class CausalLmLoss
{
    /// <summary>Names of the values the loss adds.</summary>
    public sealed record Outputs(string Loss, string LossSum, string TokenCount);

    /// <summary>Adds the labels input and the loss nodes over <paramref name="logits"/> [batch, seq, vocab].</summary>
    public static Outputs Append(GraphBuilder g, string logits, int? vocab)
    {
        var labels = g.Input(ArtifactContract.Labels, DataType.Int64, "batch", "seq");
        using var _ = g.Scope("loss");
        var vocabDim = vocab is { } v ? g.Ints(v) : g.Shape(logits, -1);
        var flatLogits = g.Reshape(logits, g.Concat(0, g.Ints(-1), vocabDim));
        var flatLabels = g.Reshape(labels, -1);
        var perToken = g.Node("SoftmaxCrossEntropyLoss", [flatLogits, flatLabels], 1,
            Attr.Int("ignore_index", ArtifactContract.IgnoreIndex), Attr.String("reduction", "none"))[0];
        var kept = g.Cast(g.Not(g.Equal(flatLabels, g.IntScalar(ArtifactContract.IgnoreIndex))), DataType.Float);
        var count = g.ReduceSum(kept, (string?)null, keepDims: false);
        var sum = g.ReduceSum(perToken, (string?)null, keepDims: false);
        var loss = g.Div(sum, g.Max(count, g.FloatScalar(1f)));
        return new Outputs(loss, sum, count);
    }
}
