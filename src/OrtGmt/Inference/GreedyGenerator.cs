using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.Runtime;

namespace OrtGmt.Inference;

/// <summary>
/// Greedy decoding with a forward model (input_ids → logits), batched over prompts of different
/// lengths: rows are right-padded, and each row's next token is read at its own last position, so
/// causal attention keeps padding out of every real position. No KV cache: each new token runs the
/// whole sequence again, which is what a model without cache inputs allows.
/// </summary>
public sealed class GreedyGenerator : IDisposable
{
    private readonly InferenceSession _session;
    private readonly bool _feedsAttentionMask;

    /// <summary>Opens the forward model at <paramref name="forwardModelPath"/>.</summary>
    public GreedyGenerator(string forwardModelPath, int threads = 0)
    {
        if (!File.Exists(forwardModelPath)) throw new InvalidFileException(forwardModelPath, "model file not found");
        using var options = OrtSessionFactory.Create(ExecutionDevice.Cpu, threads);
        _session = new InferenceSession(forwardModelPath, options);
        if (!_session.InputNames.Contains(ArtifactContract.InputIds) || !_session.OutputNames.Contains(ArtifactContract.Logits))
            throw new InvalidFileException(forwardModelPath, $"a forward model needs an '{ArtifactContract.InputIds}' input and a '{ArtifactContract.Logits}' output");
        _feedsAttentionMask = _session.Takes(ArtifactContract.AttentionMask);
    }

    /// <summary>
    /// Continues every prompt by up to <paramref name="maxNewTokens"/> tokens, stopping a row at
    /// <paramref name="stopId"/> (not included) or when it reaches <paramref name="maxLength"/> tokens.
    /// </summary>
    public List<int[]> Generate(IReadOnlyList<int[]> prompts, int maxNewTokens, int? stopId, int maxLength, long padId)
    {
        int rows = prompts.Count;
        var sequences = prompts.Select(p => new List<int>(p)).ToList();
        var generated = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToList();
        var done = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            if (prompts[r].Length == 0) throw new OrtGmtException($"prompt {r} is empty");
            done[r] = prompts[r].Length >= maxLength;
        }
        for (int step = 0; step < maxNewTokens && done.Any(d => !d); step++)
        {
            int width = sequences.Max(s => s.Count);
            var ids = new long[rows * width];
            var attentionMask = new long[rows * width];
            Array.Fill(ids, padId);
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < sequences[r].Count; t++)
                {
                    ids[r * width + t] = sequences[r][t];
                    attentionMask[r * width + t] = 1;
                }
            }
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [rows, width]);
            using var attentionMaskValue = OrtValue.CreateTensorValueFromMemory(attentionMask, [rows, width]);
            var names = _feedsAttentionMask ? new[] { ArtifactContract.InputIds, ArtifactContract.AttentionMask } : [ArtifactContract.InputIds];
            var values = _feedsAttentionMask ? new[] { idsValue, attentionMaskValue } : [idsValue];
            using var outputs = _session.Run(new RunOptions(), names, values, [ArtifactContract.Logits]);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            int vocab = logits.Length / (rows * width);
            for (int r = 0; r < rows; r++)
            {
                if (done[r]) continue;
                int position = sequences[r].Count - 1;
                int next = ArgMax(logits.Slice((r * width + position) * vocab, vocab));
                if (next == stopId) done[r] = true;
                else
                {
                    sequences[r].Add(next);
                    generated[r].Add(next);
                    done[r] = sequences[r].Count >= maxLength;
                }
            }
        }
        return [.. generated.Select(g => g.ToArray())];
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Releases the session.</summary>
    public void Dispose() => _session.Dispose();
}
