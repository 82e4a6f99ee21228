using OrtGmt.Data.Formats;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;

namespace OrtGmt.Data.Batching;

/// <summary>Reads DPO preference pairs from JSONL, lazily, tokenized with their loss masks.</summary>
public static class DpoPairs
{
    /// <summary>Every pair of <paramref name="path"/>; bad lines error or, with <paramref name="skipBad"/>, are counted.</summary>
    public static IEnumerable<EncodedDpoPair> Read(string path, SampleEncoder encoder, bool skipBad = false)
    {
        foreach (var line in JsonlLines.Read(path))
        {
            EncodedDpoPair? pair;
            try
            {
                pair = encoder.EncodeDpo(SampleParser.Parse(line.Text, SampleFormat.Dpo, path, line.Number));
            }
            catch (InvalidFileException e) when (skipBad && e is not SampleTooLongException)
            {
                JsonlDataset.Skip(encoder.Stats, e.Message);
                continue;
            }
            if (pair is not null) yield return pair;
        }
    }
}
