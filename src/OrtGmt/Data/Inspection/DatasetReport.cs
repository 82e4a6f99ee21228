using OrtGmt.Data.Batching;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Tokenization;

namespace OrtGmt.Data.Inspection;

/// <summary>What <c>ortgmt data inspect</c> shows about a JSONL file.</summary>
public sealed record DatasetReport
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>The format used.</summary>
    public required SampleFormat Format { get; init; }

    /// <summary>Whether the format was detected (not given).</summary>
    public required bool Detected { get; init; }

    /// <summary>Encoder counts (kept, truncated, dropped, skipped).</summary>
    public required EncodeStats Stats { get; init; }

    /// <summary>Token length of every kept sample (both sides of a DPO pair count as two).</summary>
    public required IReadOnlyList<int> Lengths { get; init; }

    /// <summary>Trained positions over all kept samples.</summary>
    public required long TrainedTokens { get; init; }

    /// <summary>The first kept sample (the chosen side of a DPO pair), for display.</summary>
    public EncodedSample? Example { get; init; }

    /// <summary>Histogram of <see cref="Lengths"/>: (bucket start, bucket end inclusive, count).</summary>
    public IReadOnlyList<(int From, int To, int Count)> Histogram(int buckets, int maxSeq)
    {
        int width = Math.Max(1, (maxSeq + buckets - 1) / buckets);
        var counts = new int[buckets];
        foreach (int n in Lengths) counts[Math.Min(buckets - 1, (n - 1) / width)]++;
        return Enumerable.Range(0, buckets).Select(b => (b * width + 1, Math.Min(maxSeq, (b + 1) * width), counts[b])).ToList();
    }

    /// <summary>Reads and encodes <paramref name="path"/> fully (streaming) and summarises it.</summary>
    public static DatasetReport Build(string path, SampleEncoder encoder, SampleFormat format, bool skipBad)
    {
        bool detected = format == SampleFormat.Auto;
        if (detected) format = JsonlDataset.DetectFormat(path);
        var lengths = new List<int>();
        long trained = 0;
        EncodedSample? example = null;
        void Add(EncodedSample s)
        {
            lengths.Add(s.Length);
            trained += s.TargetCount;
            example ??= s;
        }
        if (format == SampleFormat.Dpo)
        {
            foreach (var pair in DpoPairs.Read(path, encoder, skipBad))
            {
                Add(pair.Chosen);
                Add(pair.Rejected);
            }
        }
        else
        {
            using var ds = JsonlDataset.Open(path, encoder, format, skipBad);
            for (int i = 0; i < ds.Count; i++) Add(ds.Get(i));
        }
        return new DatasetReport
        {
            Path = path,
            Format = format,
            Detected = detected,
            Stats = encoder.Stats,
            Lengths = lengths,
            TrainedTokens = trained,
            Example = example,
        };
    }
}
