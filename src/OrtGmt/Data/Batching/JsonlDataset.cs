using System.Text.Json;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;

namespace OrtGmt.Data.Batching;

/// <summary>
/// A JSONL file read lazily. Opening makes one streaming pass that validates and tokenizes every
/// line and keeps only its byte offset and token length (12 bytes a sample); <see cref="Get"/> seeks
/// back to the line and encodes it again. So a file larger than memory trains with a full shuffle
/// and an exact resume cursor, at the cost of tokenizing each sample once more per epoch.
/// </summary>
public sealed class JsonlDataset : IEncodedDataset, IDisposable
{
    private readonly List<long> _offsets = [];
    private readonly List<int> _lengths = [];
    private readonly List<long> _lines = [];
    private readonly SampleEncoder _encoder;
    private readonly FileStream _stream;

    private JsonlDataset(string path, SampleEncoder encoder, SampleFormat format)
    {
        Path = path;
        _encoder = encoder;
        Format = format;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The format used for every line (detected from the first valid line under Auto).</summary>
    public SampleFormat Format { get; }

    /// <summary>What the indexing pass kept, truncated, dropped and skipped.</summary>
    public EncodeStats Stats => _encoder.Stats;

    /// <inheritdoc />
    public int Count => _offsets.Count;

    /// <inheritdoc />
    public int LengthOf(int index) => _lengths[index];

    /// <summary>1-based line in the file of sample <paramref name="index"/>.</summary>
    public long LineOf(int index) => _lines[index];

    /// <inheritdoc />
    public EncodedSample Get(int index)
    {
        string text = JsonlLines.ReadAt(_stream, _offsets[index]);
        var sample = SampleParser.Parse(text, Format, Path, _lines[index]);
        var full = _encoder.EncodeFull(sample);
        // The same policy as at indexing time, without counting again.
        int max = _encoder.Options.MaxSeq;
        if (full.Length <= max) return full;
        return _encoder.Options.Truncation == TruncationPolicy.TruncateRight
            ? new EncodedSample(full.Ids[..max], full.Trained[..max]) { Line = full.Line }
            : new EncodedSample(full.Ids[^max..], full.Trained[^max..]) { Line = full.Line };
    }

    /// <summary>
    /// Indexes <paramref name="path"/>. Bad lines are errors naming file and line, or, with
    /// <paramref name="skipBad"/>, skipped and counted in <see cref="Stats"/>.
    /// </summary>
    public static JsonlDataset Open(string path, SampleEncoder encoder, SampleFormat format = SampleFormat.Auto, bool skipBad = false)
    {
        if (format == SampleFormat.Dpo) throw new OrtGmtException($"{path}: DPO pairs are read with DpoPairs.Read, not as a supervised dataset");
        format = format == SampleFormat.Auto ? DetectFormat(path) : format;
        if (format == SampleFormat.Dpo) throw new OrtGmtException($"{path}: holds DPO pairs (prompt/chosen/rejected); supervised training needs instruction, query, chat, prompt/completion or text samples");
        var dataset = new JsonlDataset(path, encoder, format);
        try
        {
            foreach (var line in JsonlLines.Read(path))
            {
                EncodedSample? encoded;
                try
                {
                    encoded = encoder.Encode(SampleParser.Parse(line.Text, format, path, line.Number));
                }
                catch (InvalidFileException e) when (skipBad && e is not SampleTooLongException)
                {
                    Skip(encoder.Stats, e.Message);
                    continue;
                }
                if (encoded is null) continue;
                dataset._offsets.Add(line.Offset);
                dataset._lengths.Add(encoded.Length);
                dataset._lines.Add(line.Number);
            }
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
        return dataset;
    }

    /// <summary>The format of the first line that parses as a JSON object of a known shape.</summary>
    public static SampleFormat DetectFormat(string path)
    {
        foreach (var line in JsonlLines.Read(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(line.Text);
                if (SampleParser.Detect(doc.RootElement) is { } f) return f;
            }
            catch (JsonException)
            {
                // A malformed line is reported by the parse pass; detection looks further.
            }
        }
        throw new InvalidFileException(path, "no line of a known sample shape (instruction/output, query/response, messages, prompt/completion, prompt/chosen/rejected, text)");
    }

    internal static void Skip(EncodeStats stats, string message)
    {
        const int MaxExamples = 5;
        stats.SkippedBad++;
        if (stats.SkippedExamples.Count < MaxExamples) stats.SkippedExamples.Add(message);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
