using OrtGmt.Data.Templates;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Tokenizers;

namespace OrtGmt.Recipes;

/// <summary>Tokenizer, chat template and encoding rules of a run, loaded (and so checked) before anything is written.</summary>
internal sealed record TextPipeline(ITextTokenizer Tokenizer, ChatTemplate Template, EncodeOptions Options)
{
    public static TextPipeline Load(TrainConfig config)
    {
        ITextTokenizer tokenizer;
        ChatTemplate template;
        try
        {
            tokenizer = TokenizerLoader.Load(config.Tokenizer);
        }
        catch (OrtGmtException e) when (e is not ConfigException)
        {
            throw new ConfigException("tokenizer", e.Message);
        }
        try
        {
            template = BuiltIn.Resolve(config.Template, tokenizer);
        }
        catch (OrtGmtException e) when (e is not ConfigException)
        {
            throw new ConfigException("template", e.Message);
        }
        var options = new EncodeOptions { MaxSeq = config.MaxSeqLength, Truncation = config.Truncation, TrainOnInputs = config.TrainOnInputs };
        return new TextPipeline(tokenizer, template, options);
    }

    /// <summary>A fresh encoder (each counts what it kept, truncated and dropped).</summary>
    public SampleEncoder Encoder() => new(Tokenizer, Template, Options);
}
