using OrtGmt.Data.Tokenization;

namespace OrtGmt.Data.Synthetic;

/// <summary>The generation prompt of a synthetic sample, as evaluation feeds it to a model.</summary>
public static class SyntheticPrompt
{
    /// <summary>
    /// Task samples: the prompt as a user turn through the encoder's template, ending where the
    /// answer starts. Pretraining text: BOS and the text before the final value, without a template.
    /// </summary>
    public static int[] Encode(SyntheticSample sample, SampleEncoder encoder) =>
        sample.Kind == PretrainTask.TextKind ? encoder.EncodeRawPrompt(sample.Prompt) : encoder.EncodePrompt(sample.Prompt);
}
