using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using OrtGmt.Autodiff;
using OrtGmt.Graph;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

/// <summary>Tolerances of a gradient check: |analytic − numeric| ≤ Abs + Rel·max(|analytic|, |numeric|).</summary>
internal sealed record Tolerance(double Step, double Abs, double Rel)
{
    /// <summary>Float64 end to end: central differences are accurate to ~1e-9 here.</summary>
    public static readonly Tolerance Float64 = new(1e-6, 1e-6, 1e-5);

    /// <summary>For ops ONNX Runtime only computes in float32 (the graph casts around them): float32 rounding dominates.</summary>
    public static readonly Tolerance Float32 = new(1e-2, 2e-3, 2e-2);
}

/// <summary>
/// A test graph with float64 inputs whose gradients are checked against central differences.
/// The loss is Σ over every output Y of Σ(Y·R) with a fixed random R, so every output entry matters.
/// </summary>
internal sealed class GradCheck
{
    private readonly Random _rng;
    private readonly Dictionary<string, (Array Data, long[] Shape)> _feeds = new(StringComparer.Ordinal);
    private readonly List<string> _outputs = [];

    public GraphBuilder G { get; } = new("grad_check");

    public GradCheck(int seed) => _rng = new Random(seed);

    /// <summary>A random int in [lo, hi] (for random shapes).</summary>
    public int Dim(int lo, int hi) => _rng.Next(lo, hi + 1);

    /// <summary>A float64 input with random values in [lo, hi]; declared with <paramref name="declared"/> dims when given.</summary>
    public string Double(string name, long[] shape, double lo = -1, double hi = 1, object?[]? declared = null)
    {
        var data = new double[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = lo + (hi - lo) * _rng.NextDouble();
        G.Input(name, DataType.Double, declared ?? shape.Cast<object?>().ToArray());
        _feeds[name] = (data, shape);
        return name;
    }

    /// <summary>An int64 input with the given values.</summary>
    public string Long(string name, long[] shape, long[] values, object?[]? declared = null)
    {
        G.Input(name, DataType.Int64, declared ?? shape.Cast<object?>().ToArray());
        _feeds[name] = (values, shape);
        return name;
    }

    /// <summary>A bool input with the given values.</summary>
    public string Bool(string name, long[] shape, bool[] values)
    {
        G.Input(name, DataType.Bool, shape.Cast<object?>().ToArray());
        _feeds[name] = (values, shape);
        return name;
    }

    /// <summary>Replaces the values fed to an input (e.g. to run at another shape).</summary>
    public void Feed(string name, Array data, long[] shape) => _feeds[name] = (data, shape);

    /// <summary>Marks a float64 value as an output that enters the loss.</summary>
    public void Output(string value)
    {
        string name = "y" + _outputs.Count;
        G.Graph.Output.Add(Untyped(name, DataType.Double));
        G.AddNode("Identity", [value], [name]);
        _outputs.Add(name);
    }

    /// <summary>The loss graph (forward + loss), its gradient graph, and the gradient result.</summary>
    public (ModelProto Loss, ModelProto Grad, GradientResult Result) Build(params string[] wrt)
    {
        var lossGraph = G.Graph.Clone();
        var lg = new GraphBuilder(lossGraph);
        var terms = new List<string>();
        for (int i = 0; i < _outputs.Count; i++)
        {
            string r = "r" + i;
            lossGraph.Input.Add(Untyped(r, DataType.Double));
            lg.ReserveName(r);
            terms.Add(lg.ReduceSum(lg.Mul(_outputs[i], r), (string?)null, keepDims: false));
        }
        lg.Output(lg.Sum([.. terms]), "loss", DataType.Double);
        var lossModel = lg.ToModel();

        var gradGraph = lossGraph.Clone();
        var gg = new GraphBuilder(gradGraph);
        var result = GradientBuilder.Build(gg, "loss", wrt);
        foreach (var (p, grad) in result.Gradients)
        {
            string name = "grad_" + p;
            gg.ReserveName(name);
            gg.AddNode("Identity", [grad], [name]);
            gradGraph.Output.Add(Untyped(name, DataType.Double));
        }
        return (lossModel, gg.ToModel(), result);
    }

    /// <summary>Builds gradients for <paramref name="wrt"/> and checks each against central differences.</summary>
    public GradientResult Check(Tolerance tol, params string[] wrt)
    {
        var (lossModel, gradModel, result) = Build(wrt);
        foreach (var n in gradModel.Graph.Node)
            Assert.That(n.Domain, Is.EqualTo(""), $"node {n.Name} ({n.OpType}) is outside the default domain");
        Verify(lossModel, gradModel, result, tol);
        return result;
    }

    /// <summary>Runs the gradient model with the current feeds and compares with central differences.</summary>
    public void Verify(ModelProto lossModel, ModelProto gradModel, GradientResult result, Tolerance tol)
    {
        // The reference runs unoptimized: ONNX Runtime's RMSNorm fusion changes float64 results at the 1e-4 level.
        // The gradient graph runs with every optimization on, as training does.
        using var plain = Options(GraphOptimizationLevel.ORT_DISABLE_ALL);
        using var optimized = Options();
        using var forwardSession = new InferenceSession(G.ToModel().ToByteArray(), plain);
        using var lossSession = new InferenceSession(lossModel.ToByteArray(), plain);
        using var gradSession = new InferenceSession(gradModel.ToByteArray(), optimized);
        var rFeeds = OutputWeights(forwardSession);
        var analytic = Run(gradSession, rFeeds, result.Gradients.Keys.Select(p => "grad_" + p).ToArray());
        foreach (var (p, _) in result.Gradients)
        {
            var (data, shape) = _feeds[p];
            var x = (double[])data;
            var (g, gShape) = analytic["grad_" + p];
            Assert.That(gShape, Is.EqualTo(shape), $"gradient of '{p}' has the wrong shape");
            for (int j = 0; j < x.Length; j++)
            {
                double keep = x[j];
                x[j] = keep + tol.Step;
                double up = Loss(lossSession, rFeeds);
                x[j] = keep - tol.Step;
                double down = Loss(lossSession, rFeeds);
                x[j] = keep;
                double numeric = (up - down) / (2 * tol.Step);
                double limit = tol.Abs + tol.Rel * Math.Max(Math.Abs(numeric), Math.Abs(g[j]));
                Assert.That(Math.Abs(g[j] - numeric), Is.LessThanOrEqualTo(limit), $"d loss / d {p}[{j}]: analytic {g[j]}, numeric {numeric}");
            }
        }
    }

    public static SessionOptions Options(GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        new() { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = level };

    // The random R of each output, shaped like the output at the current feeds.
    private Dictionary<string, (Array, long[])> OutputWeights(InferenceSession forwardSession)
    {
        var rFeeds = new Dictionary<string, (Array, long[])>(StringComparer.Ordinal);
        var outs = Run(forwardSession, [], [.. _outputs]);
        for (int i = 0; i < _outputs.Count; i++)
        {
            var shape = outs[_outputs[i]].Shape;
            var r = new double[Count(shape)];
            for (int k = 0; k < r.Length; k++) r[k] = _rng.NextDouble() * 2 - 1;
            rFeeds["r" + i] = (r, shape);
        }
        return rFeeds;
    }

    private double Loss(InferenceSession s, Dictionary<string, (Array, long[])> rFeeds) => Run(s, rFeeds, ["loss"])["loss"].Data[0];

    private Dictionary<string, (double[] Data, long[] Shape)> Run(InferenceSession s, Dictionary<string, (Array, long[])> extra, string[] outputs)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, (data, shape)) in _feeds.Concat(extra))
            {
                if (!s.InputMetadata.ContainsKey(name)) continue;
                names.Add(name);
                values.Add(data switch
                {
                    double[] d => OrtValue.CreateTensorValueFromMemory(d, shape),
                    long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
                    bool[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
                    _ => throw new ArgumentException(name),
                });
            }
            using var runOptions = new RunOptions();
            using var results = s.Run(runOptions, names, values, outputs);
            var map = new Dictionary<string, (double[], long[])>(StringComparer.Ordinal);
            for (int i = 0; i < outputs.Length; i++)
                map[outputs[i]] = (results[i].GetTensorDataAsSpan<double>().ToArray(), results[i].GetTensorTypeAndShape().Shape);
            return map;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    private static ValueInfoProto Untyped(string name, DataType type) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } };
}
