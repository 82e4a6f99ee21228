using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

/// <summary>One run of the AdamW optimizer graph on host arrays, for tests that hold it to the host pass.</summary>
internal static class AdamWGraph
{
    public static (float[] Params, float[] ExpAvg, float[] ExpAvgSq) Step(OrtGmt.Onnx.Proto.ModelProto model, float[] p, float[] g, float[] m, float[] v,
        bool[] mask, MaskedEntryMode mode, double lr, int step, AdamWOptions options)
    {
        long n = p.Length;
        var o = OrtRunner.Run(model, new Dictionary<string, (Array, long[])>
        {
            [OptimizerGraphs.Params] = (p, [n]),
            [OptimizerGraphs.Grads] = (g, [n]),
            [OptimizerGraphs.ExpAvg] = (m, [n]),
            [OptimizerGraphs.ExpAvgSq] = (v, [n]),
            [OptimizerGraphs.GradientMask] = (mask, [n]),
            [OptimizerGraphs.Freeze] = (new[] { mode == MaskedEntryMode.Freeze }, []),
            [OptimizerGraphs.LearningRate] = (new[] { lr }, []),
            [OptimizerGraphs.WeightDecay] = (new[] { options.WeightDecay }, []),
            [OptimizerGraphs.StepInput] = (new[] { (float)step }, []),
            [OptimizerGraphs.Beta1] = (new[] { options.Beta1 }, []),
            [OptimizerGraphs.Beta2] = (new[] { options.Beta2 }, []),
            [OptimizerGraphs.Epsilon] = (new[] { options.Epsilon }, []),
        });
        return ((float[])o[OptimizerGraphs.Params + OptimizerGraphs.OutSuffix],
            (float[])o[OptimizerGraphs.ExpAvg + OptimizerGraphs.OutSuffix],
            (float[])o[OptimizerGraphs.ExpAvgSq + OptimizerGraphs.OutSuffix]);
    }
}
