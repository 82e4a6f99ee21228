using Microsoft.ML.OnnxRuntime;
using OrtGmt.Models;
using OrtGmt.SafeTensors;

namespace OrtGmt.Tests.Models;

/// <summary>Our ONNX Llama against the PyTorch reference of tools/reference/make_llama_forward.py.</summary>
public class LlamaParityTests
{
    private const double Tolerance = 1e-5;

    [TestCase("tied_gqa")]
    [TestCase("untied_mha")]
    public void LogitsMatchPyTorchReferenceWithPadding(string fixture)
    {
        string dir = TestPaths.Artifact("fixtures", "llama_forward", fixture);
        var config = LlamaConfig.Load(Path.Combine(dir, "config.json"));
        var weights = ModelFolder.ReadWeights(Path.Combine(dir, "model.safetensors"));
        var batch = SafeTensorsFile.ReadDictionary(Path.Combine(dir, "batch.safetensors"));
        var expected = SafeTensorsFile.ReadDictionary(Path.Combine(dir, "logits.safetensors"))["logits"].ToFloats();
        var ids = batch["input_ids"];
        var model = Google.Protobuf.MessageExtensions.ToByteArray(LlamaGraph.Build(config, weights));

        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids.ToInt64s(), ids.Shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(batch["attention_mask"].ToInt64s(), ids.Shape);
        using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask"], [idsValue, maskValue], ["logits"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>();

        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff += Math.Pow(actual[i] - (double)expected[i], 2);
            norm += Math.Pow(expected[i], 2);
        }
        double relL2 = Math.Sqrt(diff / norm);
        TestContext.Out.WriteLine($"{fixture}: relative L2 {relL2:E2}");
        Assert.That(relL2, Is.LessThanOrEqualTo(Tolerance));
    }
}
