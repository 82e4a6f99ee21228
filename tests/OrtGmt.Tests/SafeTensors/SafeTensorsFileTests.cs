using System.Buffers.Binary;
using System.Text;
using OrtGmt.Errors;
using OrtGmt.SafeTensors;

namespace OrtGmt.Tests.SafeTensors;

public class SafeTensorsFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private static SafeTensor[] Sample() =>
    [
        SafeTensor.FromFloats("w", [2, 3], [1, 2, 3, 4, 5, -6.5f]),
        SafeTensor.FromInt64s("ids", [4], [1, -2, 3, long.MaxValue]),
        new SafeTensor("h", SafeTensorDType.F16, [2], new byte[] { 0x00, 0x3C, 0x00, 0xC0 }),
        new SafeTensor("b", SafeTensorDType.BF16, [1], new byte[] { 0x80, 0x3F }),
        SafeTensor.FromFloats("scalar", [], [0.25f]),
    ];

    [Test]
    public void RoundTripKeepsNamesShapesTypesAndBytes()
    {
        string path = Path.Combine(_dir, "t.safetensors");
        SafeTensorsFile.Write(path, Sample(), new Dictionary<string, string> { ["format"] = "pt" });
        var (tensors, metadata) = SafeTensorsFile.ReadWithMetadata(path);
        Assert.That(metadata["format"], Is.EqualTo("pt"));
        var byName = tensors.ToDictionary(t => t.Name);
        foreach (var expected in Sample())
        {
            var actual = byName[expected.Name];
            Assert.That(actual.DType, Is.EqualTo(expected.DType), expected.Name);
            Assert.That(actual.Shape, Is.EqualTo(expected.Shape), expected.Name);
            Assert.That(actual.Bytes.ToArray(), Is.EqualTo(expected.Bytes.ToArray()), expected.Name);
        }
        Assert.That(byName["h"].ToFloats(), Is.EqualTo(new[] { 1f, -2f }));
        Assert.That(byName["b"].ToFloats(), Is.EqualTo(new[] { 1f }));
        Assert.That(byName["ids"].ToInt64s()[3], Is.EqualTo(long.MaxValue));
        Assert.That(SafeTensorsFile.ReadHeader(path).DataStart % 8, Is.EqualTo(0), "header padded so the data starts 8-aligned");
    }

    private string WriteRaw(string headerJson, int dataBytes, ulong? declaredLength = null)
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        var header = Encoding.UTF8.GetBytes(headerJson);
        using var fs = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, declaredLength ?? (ulong)header.Length);
        fs.Write(len);
        fs.Write(header);
        fs.Write(new byte[dataBytes]);
        return path;
    }

    private static void AssertBad(string path, string expected)
    {
        var e = Assert.Throws<InvalidFileException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain(expected));
    }

    [Test]
    public void HugeHeaderLengthIsRejectedBeforeAllocating() =>
        AssertBad(WriteRaw("{}", 0, declaredLength: ulong.MaxValue / 2), "exceeds");

    [Test]
    public void HeaderLengthPastEndOfFileIsRejected() =>
        AssertBad(WriteRaw("{}", 0, declaredLength: 1000), "past the end");

    [Test]
    public void OffsetsOutsideTheFileAreRejected() =>
        AssertBad(WriteRaw("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8), "past the end of the data");

    [Test]
    public void OverlappingTensorsAreRejected() =>
        AssertBad(WriteRaw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12), "overlaps");

    [Test]
    public void HolesInTheDataAreRejected() =>
        AssertBad(WriteRaw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "hole");

    [Test]
    public void ShapeThatDisagreesWithByteLengthIsRejected() =>
        AssertBad(WriteRaw("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), "expected 12");

    [Test]
    public void UnknownDtypeIsRejected() =>
        AssertBad(WriteRaw("""{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}""", 1), "unsupported dtype 'Q4'");

    [Test]
    public void NegativeDimensionIsRejected() =>
        AssertBad(WriteRaw("""{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}""", 1), "non-negative");

    [Test]
    public void MalformedJsonIsRejected() => AssertBad(WriteRaw("{\"a\": ", 0), "not valid JSON");

    [Test]
    public void TruncatedFileIsRejected()
    {
        string path = Path.Combine(_dir, "t.safetensors");
        SafeTensorsFile.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        AssertBad(path, "safetensors");
    }

    [Test]
    public void TinyFileIsRejected()
    {
        string path = Path.Combine(_dir, "tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        AssertBad(path, "too short");
    }

    [Test]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<InvalidFileException>(() => SafeTensorsFile.Read(Path.Combine(_dir, "none.safetensors")))!;
        Assert.That(e.Message, Does.Contain("none.safetensors").And.Contain("not found"));
    }
}
