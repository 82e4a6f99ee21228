using OrtGmt.Errors;
using OrtGmt.Graph;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Onnx;

public class OnnxFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private static ModelProto SmallModel(int weightCount = 1000)
    {
        var g = new GraphBuilder("small");
        var x = g.Input("x", DataType.Float, "batch", 4);
        var w = g.Initializer(Tensors.FromFloats("w", [4, 3], Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray()));
        var big = g.Initializer(Tensors.FromFloats("big", [weightCount], Enumerable.Range(0, weightCount).Select(i => (float)Math.Sin(i)).ToArray()));
        var ids = g.Initializer(Tensors.FromInt64s("ids", [2], [3, -7]));
        var y = g.MatMul(x, w);
        var s = g.ReduceSum(big, (string?)null, keepDims: false);
        var z = g.Add(y, s);
        g.Output(z, "y", DataType.Float, "batch", 3);
        g.Output(ids, "ids_out", DataType.Int64, 2);
        return g.ToModel();
    }

    private static void AssertSameModel(ModelProto expected, ModelProto actual, string dir)
    {
        Assert.That(actual.Graph.Node, Is.EqualTo(expected.Graph.Node));
        Assert.That(actual.Graph.Input, Is.EqualTo(expected.Graph.Input));
        Assert.That(actual.Graph.Output, Is.EqualTo(expected.Graph.Output));
        Assert.That(actual.Graph.Initializer.Select(t => t.Name), Is.EqualTo(expected.Graph.Initializer.Select(t => t.Name)));
        foreach (var (e, a) in expected.Graph.Initializer.Zip(actual.Graph.Initializer))
        {
            Assert.That(a.Dims, Is.EqualTo(e.Dims), e.Name);
            Assert.That(a.DataType, Is.EqualTo(e.DataType), e.Name);
            Assert.That(Tensors.ReadBytes(a, dir), Is.EqualTo(Tensors.ReadBytes(e)), e.Name);
        }
    }

    [Test]
    public void SaveThenLoadGivesIdenticalGraphAndTensorBytes()
    {
        var model = SmallModel();
        string path = Path.Combine(_dir, "m.onnx");
        OnnxFile.Save(model, path);
        var loaded = OnnxFile.Load(path);
        Assert.That(loaded, Is.EqualTo(model));
        Assert.That(File.Exists(path + ".data"), Is.False);
    }

    [Test]
    public void LargeInitializersMoveToExternalDataAboveTheThreshold()
    {
        var model = SmallModel();
        string path = Path.Combine(_dir, "m.onnx");
        OnnxFile.Save(model, path, new OnnxSaveOptions { ExternalDataThreshold = 2000 });
        Assert.That(File.Exists(path + ".data"), Is.True);
        var loaded = OnnxFile.Load(path);
        var big = loaded.Graph.Initializer.Single(t => t.Name == "big");
        Assert.That(Tensors.IsExternal(big), Is.True);
        Assert.That(Tensors.IsExternal(loaded.Graph.Initializer.Single(t => t.Name == "ids")), Is.False);
        AssertSameModel(model, loaded, _dir);
        Assert.That(Tensors.IsExternal(model.Graph.Initializer.Single(t => t.Name == "big")), Is.False, "the caller's model is not modified");
    }

    [Test]
    public void ExternalDataModelRunsInOnnxRuntime()
    {
        var model = SmallModel();
        string inline = Path.Combine(_dir, "inline.onnx");
        string external = Path.Combine(_dir, "external.onnx");
        OnnxFile.Save(model, inline);
        OnnxFile.Save(model, external, new OnnxSaveOptions { ForceExternalData = true });
        var x = new float[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        float[] Run(string p)
        {
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(p);
            using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, [2, 4]);
            using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["x"], [input], ["y"]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        Assert.That(Run(external), Is.EqualTo(Run(inline)));
    }

    [Test]
    public void TruncatedFileIsAClearErrorNamingTheFile()
    {
        string path = Path.Combine(_dir, "m.onnx");
        OnnxFile.Save(SmallModel(), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidFileException>(() => OnnxFile.Load(path))!;
        Assert.That(e.Message, Does.Contain(path));
    }

    [Test]
    public void GarbageBytesAreAClearError()
    {
        string path = Path.Combine(_dir, "junk.onnx");
        var rng = new Random(3);
        var bytes = new byte[4096];
        rng.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidFileException>(() => OnnxFile.Load(path))!;
        Assert.That(e.Message, Does.Contain("junk.onnx"));
    }

    [Test]
    public void WrongRawDataLengthNamesTheTensor()
    {
        var model = SmallModel();
        model.Graph.Initializer[0].RawData = Google.Protobuf.ByteString.CopyFrom(new byte[7]);
        string path = Path.Combine(_dir, "m.onnx");
        OnnxFile.Save(model, path);
        var e = Assert.Throws<InvalidFileException>(() => OnnxFile.Load(path))!;
        Assert.That(e.Message, Does.Contain("'w'"));
    }

    [TestCase("../outside.bin", "'..'")]
    [TestCase("/etc/passwd", "absolute")]
    public void ExternalLocationsOutsideTheModelFolderAreRejected(string location, string expected)
    {
        var model = SmallModel();
        string path = Path.Combine(_dir, "m.onnx");
        OnnxFile.Save(model, path, new OnnxSaveOptions { ForceExternalData = true });
        var loaded = OnnxFile.Load(path);
        var big = loaded.Graph.Initializer.Single(t => t.Name == "big");
        big.ExternalData.Single(kv => kv.Key == "location").Value = location;
        OnnxFile.Save(loaded, path);
        var e = Assert.Throws<InvalidFileException>(() => OnnxFile.Load(path))!;
        Assert.That(e.Message, Does.Contain(expected).And.Contain("'big'"));
    }

    [Test]
    public void ExternalLocationThroughALinkOutOfTheFolderIsRejected()
    {
        string outside = TestPaths.NewTempDir();
        try
        {
            string path = Path.Combine(_dir, "m.onnx");
            OnnxFile.Save(SmallModel(), path, new OnnxSaveOptions { ForceExternalData = true });
            File.Move(path + ".data", Path.Combine(outside, "m.onnx.data"));
            File.CreateSymbolicLink(path + ".data", Path.Combine(outside, "m.onnx.data"));
            var e = Assert.Throws<InvalidFileException>(() => OnnxFile.Load(path))!;
            Assert.That(e.Message, Does.Contain("outside the model's folder"));
        }
        finally
        {
            TestPaths.Delete(outside);
        }
    }

    [Test]
    public void ExternalRangePastTheEndOfTheDataFileIsRejected()
    {
        string path = Path.Combine(_dir, "m.onnx");
        OnnxFile.Save(SmallModel(), path, new OnnxSaveOptions { ForceExternalData = true });
        using (var fs = new FileStream(path + ".data", FileMode.Open)) fs.SetLength(fs.Length - 10);
        var e = Assert.Throws<InvalidFileException>(() => OnnxFile.Load(path))!;
        Assert.That(e.Message, Does.Contain("outside"));
    }
}
