using OrtGmt.Graph;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Optimizers;

/// <summary>
/// ONNX models of the masked optimizer step over flat buffers (optimizer_model.onnx), for
/// execution providers where the host pass is not an option. Same formulas and operation order
/// as <see cref="AdamW"/> and <see cref="Sgd"/>. Hyper-parameters are double scalars and the
/// per-step constants (1 − β, 1 − lr·wd, the bias corrections) are derived in double and rounded
/// once to float, as on the host: in float, 1 − 0.999f is already 1.3e-5 off.
/// </summary>
public static class OptimizerGraphs
{
    /// <summary>Input and output names shared by both models; <see cref="GradientMask"/> is the step's gradient mask (true = update).</summary>
    public const string Params = "params", Grads = "grads", GradientMask = "mask", Freeze = "freeze",
        LearningRate = "lr", WeightDecay = "weight_decay", StepInput = "step";

    /// <summary>AdamW-only inputs.</summary>
    public const string ExpAvg = "exp_avg", ExpAvgSq = "exp_avg_sq", Beta1 = "beta1", Beta2 = "beta2", Epsilon = "epsilon";

    /// <summary>SGD-only inputs.</summary>
    public const string MomentumBuffer = "momentum_buffer", Momentum = "momentum";

    /// <summary>Suffix of each output: the updated buffer of the input with the same stem.</summary>
    public const string OutSuffix = "_out";

    /// <summary>
    /// AdamW over <paramref name="numel"/> entries. Inputs: params, grads, exp_avg, exp_avg_sq (float [N]),
    /// mask (bool [N], true = update), freeze (bool scalar: true leaves masked entries untouched, false
    /// zeroes their gradient), lr, weight_decay, beta1, beta2, epsilon (double scalars), step (t after
    /// this step, float scalar). Outputs: params_out, exp_avg_out, exp_avg_sq_out.
    /// </summary>
    public static ModelProto BuildAdamW(long numel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numel);
        var g = new GraphBuilder("adamw_step");
        string p = g.Input(Params, DataType.Float, numel);
        string grad = g.Input(Grads, DataType.Float, numel);
        string m = g.Input(ExpAvg, DataType.Float, numel);
        string v = g.Input(ExpAvgSq, DataType.Float, numel);
        var (gEff, update) = MaskInputs(g, numel, grad);
        string lr = g.Input(LearningRate, DataType.Double);
        string wd = g.Input(WeightDecay, DataType.Double);
        string t = g.Cast(g.Input(StepInput, DataType.Float), DataType.Double);
        string b1 = g.Input(Beta1, DataType.Double);
        string b2 = g.Input(Beta2, DataType.Double);
        string eps = g.Input(Epsilon, DataType.Double);
        string one = g.Scalar(1, DataType.Double);
        string F(string x) => g.Cast(x, DataType.Float);

        string p1 = g.Mul(p, F(g.Sub(one, g.Mul(lr, wd))));
        string m1 = g.Add(g.Mul(m, F(b1)), g.Mul(gEff, F(g.Sub(one, b1))));
        string v1 = g.Add(g.Mul(v, F(b2)), g.Mul(g.Mul(gEff, F(g.Sub(one, b2))), gEff));
        string negStep = F(g.Neg(g.Div(lr, g.Sub(one, g.Pow(b1, t)))));
        string bc2Sqrt = F(g.Sqrt(g.Sub(one, g.Pow(b2, t))));
        string denom = g.Add(g.Div(g.Sqrt(v1), bc2Sqrt), F(eps));
        string p2 = g.Add(p1, g.Mul(negStep, g.Div(m1, denom)));

        g.Output(g.Where(update, p2, p), Params + OutSuffix, DataType.Float, numel);
        g.Output(g.Where(update, m1, m), ExpAvg + OutSuffix, DataType.Float, numel);
        g.Output(g.Where(update, v1, v), ExpAvgSq + OutSuffix, DataType.Float, numel);
        return g.ToModel();
    }

    /// <summary>
    /// SGD with momentum over <paramref name="numel"/> entries. Inputs: params, grads, momentum_buffer
    /// (float [N]), mask, freeze (as for AdamW), lr, weight_decay, momentum (double scalars).
    /// Outputs: params_out, momentum_buffer_out.
    /// </summary>
    public static ModelProto BuildSgd(long numel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numel);
        var g = new GraphBuilder("sgd_step");
        string p = g.Input(Params, DataType.Float, numel);
        string grad = g.Input(Grads, DataType.Float, numel);
        string buf = g.Input(MomentumBuffer, DataType.Float, numel);
        var (gEff, update) = MaskInputs(g, numel, grad);
        string lr = g.Cast(g.Input(LearningRate, DataType.Double), DataType.Float);
        string wd = g.Cast(g.Input(WeightDecay, DataType.Double), DataType.Float);
        string mu = g.Cast(g.Input(Momentum, DataType.Double), DataType.Float);

        string d = g.Add(gEff, g.Mul(wd, p));
        string b1 = g.Add(g.Mul(buf, mu), d);
        string p1 = g.Add(p, g.Mul(g.Neg(lr), b1));

        g.Output(g.Where(update, p1, p), Params + OutSuffix, DataType.Float, numel);
        g.Output(g.Where(update, b1, buf), MomentumBuffer + OutSuffix, DataType.Float, numel);
        return g.ToModel();
    }

    // The gradient with masked entries zeroed, and where to write the update: kept entries, or
    // every entry in zero-grad mode.
    private static (string GradEffective, string Update) MaskInputs(GraphBuilder g, long numel, string grad)
    {
        string mask = g.Input(GradientMask, DataType.Bool, numel);
        string freeze = g.Input(Freeze, DataType.Bool);
        string gEff = g.Where(mask, grad, g.FloatScalar(0f));
        return (gEff, g.Or(mask, g.Not(freeze)));
    }
}
