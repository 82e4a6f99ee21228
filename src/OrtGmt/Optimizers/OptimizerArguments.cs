using OrtGmt.Layout;

namespace OrtGmt.Optimizers;

/// <summary>The buffer-length checks every <see cref="IFlatOptimizer.Step"/> makes before touching anything.</summary>
internal static class OptimizerArguments
{
    public static void Check(FlatLayout? layout, int parameters, int gradients, int state, int keptCounts)
    {
        if (gradients != parameters) throw new ArgumentException($"the gradient buffer has {gradients} elements, the parameter buffer {parameters}");
        if (state != parameters) throw new ArgumentException($"the optimizer state has {state} elements, the parameter buffer {parameters}");
        layout?.CheckLength(parameters, "the parameter buffer");
        if (keptCounts != 0 && keptCounts != (layout?.Count ?? 0))
            throw new ArgumentException($"{keptCounts} kept counts for {layout?.Count ?? 0} segments");
    }
}
