using OrtGmt.Config;
using OrtGmt.Errors;

namespace OrtGmt.Optimizers;

/// <summary>
/// An optimizer's checkpointable state: its name, the step count and its flat buffers keyed by the
/// names PyTorch uses ("exp_avg", "exp_avg_sq", "momentum_buffer").
/// </summary>
/// <param name="Optimizer">Which optimizer the state belongs to.</param>
/// <param name="Step">Steps taken.</param>
/// <param name="Buffers">Flat state buffers, each as long as the parameter buffer.</param>
public sealed record OptimizerState(OptimizerKind Optimizer, long Step, IReadOnlyDictionary<string, float[]> Buffers)
{
    internal void CopyInto(OptimizerKind optimizer, string buffer, float[] destination)
    {
        if (Optimizer != optimizer)
            throw new OrtGmtException($"optimizer state is for '{EnumSpelling.Of(Optimizer)}', this run uses '{EnumSpelling.Of(optimizer)}'");
        if (Step < 0) throw new OrtGmtException($"optimizer state: step count {Step} is negative");
        if (!Buffers.TryGetValue(buffer, out var source))
            throw new OrtGmtException($"optimizer state for '{EnumSpelling.Of(optimizer)}' has no '{buffer}' buffer");
        if (source.Length != destination.Length)
            throw new OrtGmtException($"optimizer state buffer '{buffer}' has {source.Length} elements, the model {destination.Length}");
        source.AsSpan().CopyTo(destination);
    }
}
