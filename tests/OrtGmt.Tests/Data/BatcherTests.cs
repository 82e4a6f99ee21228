using OrtGmt.Data.Batching;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;

namespace OrtGmt.Tests.Data;

public class BatcherTests
{
    private const long Pad = 258;

    /// <summary>Sample i has length 2 + i % 7, ids 1000*i + t, all tokens after the first trained.</summary>
    private static InMemoryDataset Data(int n) => new(Enumerable.Range(0, n).Select(i =>
    {
        int len = 2 + i % 7;
        return new EncodedSample(
            Enumerable.Range(0, len).Select(t => 1000 * i + t).ToArray(),
            Enumerable.Range(0, len).Select(t => t > 0).ToArray());
    }).ToList());

    private static List<long[]> Take(Batcher b, int count) =>
        Enumerable.Range(0, count).Select(_ => { var x = b.Next(); return x.InputIds.Concat(x.Labels).Concat(x.AttentionMask!).ToArray(); }).ToList();

    [Test]
    public void BatchFollowsTheContract()
    {
        var data = new InMemoryDataset([
            new EncodedSample([5, 6, 7], [false, true, true]),
            new EncodedSample([8, 9], [false, true]),
        ]);
        var b = new Batcher(data, new BatcherOptions { MicroBatchSize = 2, Shuffle = false }, Pad).Next();
        Assert.That((b.BatchSize, b.SequenceLength), Is.EqualTo((2, 3)));
        Assert.That(b.InputIds, Is.EqualTo(new long[] { 5, 6, 7, 8, 9, Pad }));
        Assert.That(b.Labels, Is.EqualTo(new long[] { 6, 7, -100, 9, -100, -100 }));
        Assert.That(b.AttentionMask, Is.EqualTo(new long[] { 1, 1, 1, 1, 1, 0 }));
        Assert.That(b.TargetCount, Is.EqualTo(3));
    }

    [Test]
    public void ShuffleIsDeterministicBySeedAndCoversEverySampleOncePerEpoch()
    {
        var data = Data(20);
        var opts = new BatcherOptions { MicroBatchSize = 3, Seed = 5 };
        var a = new Batcher(data, opts, Pad);
        var seen = new List<int>();
        for (int i = 0; i < a.BatchesPerEpoch; i++) seen.AddRange(a.Next().Rows.SelectMany(r => r));
        Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 20)));
        Assert.That(seen, Is.Not.EqualTo(Enumerable.Range(0, 20)), "shuffled");
        Assert.That(Take(new Batcher(data, opts, Pad), 10), Is.EqualTo(Take(new Batcher(data, opts, Pad), 10)));
        Assert.That(Take(new Batcher(data, opts with { Seed = 6 }, Pad), 7), Is.Not.EqualTo(Take(new Batcher(data, opts, Pad), 7)));
    }

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void ResumedCursorYieldsExactlyTheSameFollowingBatches(bool packing, bool grouping)
    {
        var data = Data(23);
        var opts = new BatcherOptions { MicroBatchSize = 4, Seed = 9, MaxSeq = 16, Packing = packing, GroupByLength = grouping };
        var straight = new Batcher(data, opts, Pad);
        var expected = Take(straight, 30);

        var first = new Batcher(data, opts, Pad);
        Take(first, 11);
        string saved = first.Cursor.ToJson();
        var resumed = new Batcher(data, opts, Pad, DataCursor.FromJson(saved));
        Assert.That(Take(resumed, 19), Is.EqualTo(expected.Skip(11).ToList()));
        Assert.That(resumed.Epoch, Is.GreaterThan(0), "the run crossed an epoch boundary");
    }

    [Test]
    public void CursorForOtherDataIsRejected()
    {
        var cursor = new Batcher(Data(10), new BatcherOptions(), Pad).Cursor;
        var e = Assert.Throws<OrtGmtException>(() => new Batcher(Data(11), new BatcherOptions(), Pad, cursor));
        Assert.That(e!.Message, Does.Contain("10 samples").And.Contain("11"));
    }

    [Test]
    public void PackingFillsRowsWithoutLabelsCrossingSamples()
    {
        var data = new InMemoryDataset([
            new EncodedSample([1, 2, 3], [false, true, true]),
            new EncodedSample([4, 5], [false, true]),
            new EncodedSample([6, 7, 8], [false, true, true]),
        ]);
        var b = new Batcher(data, new BatcherOptions { MicroBatchSize = 2, MaxSeq = 5, Packing = true, Shuffle = false }, Pad).Next();
        Assert.That(b.Rows.Select(r => r.ToArray()), Is.EqualTo(new[] { new[] { 0, 1 }, new[] { 2 } }));
        Assert.That(b.InputIds, Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, Pad, Pad }));
        // Position 2 (last of sample 0) must not predict sample 1's first token.
        Assert.That(b.Labels, Is.EqualTo(new long[] { 2, 3, -100, 5, -100, 7, 8, -100, -100, -100 }));
        Assert.That(b.AttentionMask, Is.EqualTo(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }));
    }

    [Test]
    public void LengthGroupingReducesPadding()
    {
        var data = Data(400);
        long Padding(BatcherOptions o)
        {
            var b = new Batcher(data, o, Pad);
            long pad = 0;
            for (int i = 0; i < b.BatchesPerEpoch; i++) pad += b.Next().AttentionMask!.Count(m => m == 0);
            return pad;
        }
        var opts = new BatcherOptions { MicroBatchSize = 8, Seed = 1 };
        Assert.That(Padding(opts with { GroupByLength = true }), Is.LessThan(Padding(opts) / 4));
    }

    [Test]
    public void PadToMaxGivesFixedWidth()
    {
        var b = new Batcher(Data(5), new BatcherOptions { MicroBatchSize = 2, MaxSeq = 12, PadToMax = true }, Pad).Next();
        Assert.That(b.SequenceLength, Is.EqualTo(12));
    }

    [Test]
    public void DropLastLeavesOutThePartialBatch()
    {
        var b = new Batcher(Data(10), new BatcherOptions { MicroBatchSize = 4, DropLast = true }, Pad);
        Assert.That(b.BatchesPerEpoch, Is.EqualTo(2));
        Assert.That(new Batcher(Data(10), new BatcherOptions { MicroBatchSize = 4 }, Pad).BatchesPerEpoch, Is.EqualTo(3));
    }
}
