using OrtGmt.Data.Tokenization;

namespace OrtGmt.Data.Batching;

/// <summary>Random access to encoded samples; lengths are known without encoding again.</summary>
public interface IEncodedDataset
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Token length of sample <paramref name="index"/>.</summary>
    int LengthOf(int index);

    /// <summary>Sample <paramref name="index"/>.</summary>
    EncodedSample Get(int index);
}

/// <summary>A dataset held in memory (small sets, synthetic data, tests).</summary>
public sealed class InMemoryDataset(IReadOnlyList<EncodedSample> samples) : IEncodedDataset
{
    /// <inheritdoc />
    public int Count => samples.Count;

    /// <inheritdoc />
    public int LengthOf(int index) => samples[index].Length;

    /// <inheritdoc />
    public EncodedSample Get(int index) => samples[index];
}
