using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Tests.Masking;

/// <summary>Runs a built model once on ONNX Runtime's CPU execution provider.</summary>
internal static class OrtRunner
{
    public static IReadOnlyDictionary<string, Array> Run(ModelProto model, IReadOnlyDictionary<string, (Array Data, long[] Shape)> inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var values = new List<OrtValue>();
        try
        {
            foreach (var name in inputs.Keys) values.Add(Wrap(inputs[name].Data, inputs[name].Shape));
            var outputNames = session.OutputNames;
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [.. inputs.Keys], values, outputNames);
            var outputs = new Dictionary<string, Array>();
            for (int i = 0; i < outputNames.Count; i++)
            {
                var r = results[i];
                outputs[outputNames[i]] = r.GetTensorTypeAndShape().ElementDataType switch
                {
                    TensorElementType.Bool => r.GetTensorDataAsSpan<bool>().ToArray(),
                    TensorElementType.Float => r.GetTensorDataAsSpan<float>().ToArray(),
                    TensorElementType.Int64 => r.GetTensorDataAsSpan<long>().ToArray(),
                    var t => throw new NotSupportedException(t.ToString()),
                };
            }
            return outputs;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static OrtValue Wrap(Array data, long[] shape) => data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
        double[] d => OrtValue.CreateTensorValueFromMemory(d, shape),
        bool[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
        _ => throw new NotSupportedException(data.GetType().Name),
    };
}
