using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// The update as ONNX graphs on the session's execution provider: GMT's mask from mask_model (its
/// kept counts come out of the same graph), any other policy's mask written on the host, then
/// optimizer_model. Masked entries follow the same freeze / zero-grad rule as on the host, and
/// tests hold both implementations to the same kept set and the same parameters.
/// </summary>
internal sealed class GraphUpdateStep : HostGradientUpdateStep
{
    private readonly OptimizerGraphRunner _optimizer;
    private readonly GradientMaskGraphRunner? _maskGraph;
    private readonly GradientMask? _hostMask;
    private readonly MaskedEntryMode _mode;
    private readonly bool[] _booleanMask;

    // The runners are opened here, over the boolean mask and kept-count slots this step owns;
    // the caller decides where their graphs come from (the artifact folder, or built in memory).
    public GraphUpdateStep(IMaskPolicy policy, FlatLayout layout, MaskedEntryMode mode, GradientPrep prep, KeptCounts kept, float[] gradients,
        Func<bool[], OptimizerGraphRunner> openOptimizerGraph, Func<TopKRule, bool[], long[], GradientMaskGraphRunner> openMaskGraph)
        : base(policy, prep, kept, gradients)
    {
        _mode = mode;
        _booleanMask = new bool[layout.TotalElements];
        _optimizer = openOptimizerGraph(_booleanMask);
        try
        {
            if (policy.TopK is { } rule) _maskGraph = openMaskGraph(rule, _booleanMask, kept.Slots);
            else _hostMask = new GradientMask(layout, mode);
        }
        catch
        {
            _optimizer.Dispose();
            throw;
        }
    }

    public override OptimizerKind Optimizer => _optimizer.Kind;

    public override long StepCount => _optimizer.StepCount;

    protected override void MaskAndStep(double learningRate)
    {
        bool freeze = _mode == MaskedEntryMode.Freeze;
        if (_maskGraph is not null) _maskGraph.Run();
        else
        {
            Policy.Select(Gradients, _hostMask!);
            _hostMask!.WriteBooleans(Gradients, _booleanMask, Kept.Slots);
            freeze |= FreezesWholeSegmentsOnly(_hostMask);
        }
        _optimizer.Step(learningRate, freeze);
    }

    // A segment frozen whole (HFT) stays untouched in zero-grad mode too, and the graph's one freeze
    // switch can say so only when no segment is thresholded: then every dropped entry belongs to
    // such a segment. No policy mixes the two; one that did would need a per-entry switch.
    private static bool FreezesWholeSegmentsOnly(GradientMask mask)
    {
        bool frozen = false, thresholded = false;
        foreach (var keep in mask.Keep)
        {
            frozen |= keep == SegmentKeep.None;
            thresholded |= keep == SegmentKeep.Threshold;
        }
        if (frozen && thresholded && mask.Mode == MaskedEntryMode.ZeroGrad)
            throw new InvalidOperationException("the optimizer graph cannot freeze whole segments while zeroing the dropped gradients of others");
        return frozen && !thresholded;
    }

    public override OptimizerState ExportOptimizerState() => _optimizer.ExportState();

    public override void ImportOptimizerState(OptimizerState state) => _optimizer.ImportState(state);

    public override void Dispose()
    {
        _optimizer.Dispose();
        _maskGraph?.Dispose();
        base.Dispose();
    }
}
