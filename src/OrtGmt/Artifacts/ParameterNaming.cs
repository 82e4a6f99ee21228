using System.Text.RegularExpressions;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Layout;

namespace OrtGmt.Artifacts;

/// <summary>
/// Infers a parameter's category (embed/attn/mlp/norm/head/other) and layer index from its name,
/// or, for names an exporter made up (<c>onnx::MatMul_12</c>), from the name of the node that
/// consumes it (PyTorch names nodes by module path, e.g. <c>/model/layers.0/self_attn/q_proj/MatMul</c>).
/// The built-in rules are tried in order after any user rules; the first match wins.
/// </summary>
public sealed partial class ParameterNaming
{
    /// <summary>A rule: names matching <see cref="Pattern"/> get <see cref="Category"/>.</summary>
    public sealed record Rule(Regex Pattern, ParameterCategory Category);

    /// <summary>The built-in category rules, most specific first.</summary>
    public static IReadOnlyList<Rule> BuiltInRules { get; } =
    [
        new(new Regex(@"(^|[./_])(lm_head|output_proj|head)([./_]|$)", RegexOptions.IgnoreCase), ParameterCategory.Head),
        new(new Regex(@"(norm|ln_?\d*|layernorm|layer_norm)([./_]|$)", RegexOptions.IgnoreCase), ParameterCategory.Norm),
        new(new Regex(@"(embed|wte|wpe|tok_embeddings|word_embeddings|position_embeddings)", RegexOptions.IgnoreCase), ParameterCategory.Embed),
        new(new Regex(@"(attn|attention|q_proj|k_proj|v_proj|o_proj|out_proj|qkv|query|key|value)", RegexOptions.IgnoreCase), ParameterCategory.Attn),
        new(new Regex(@"(mlp|ffn|feed_forward|fc\d|c_fc|gate_proj|up_proj|down_proj|w1|w2|w3|intermediate)", RegexOptions.IgnoreCase), ParameterCategory.Mlp),
    ];

    private readonly IReadOnlyList<Rule> _rules;

    /// <summary>Uses <paramref name="userRules"/> (tried first) and then the built-in rules.</summary>
    public ParameterNaming(IEnumerable<Rule>? userRules = null) =>
        _rules = [.. userRules ?? [], .. BuiltInRules];

    /// <summary>Parses a user rule "REGEX=category" (as given to <c>--category</c>).</summary>
    public static Rule ParseRule(string text)
    {
        int eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new ConfigException("category", $"'{text}' is not of the form REGEX=category");
        string category = text[(eq + 1)..];
        if (!EnumSpelling.TryParse(category, out ParameterCategory c))
            throw new ConfigException("category", EnumSpelling.NotOneOf(typeof(ParameterCategory), category));
        try { return new Rule(new Regex(text[..eq], RegexOptions.IgnoreCase), c); }
        catch (ArgumentException e) { throw new ConfigException("category", $"'{text[..eq]}' is not a valid regular expression: {e.Message}"); }
    }

    /// <summary>The category of <paramref name="name"/>, falling back to the consumer node names when the name says nothing.</summary>
    public ParameterCategory Category(string name, IEnumerable<string> consumerNodeNames)
    {
        foreach (var text in new[] { name }.Concat(consumerNodeNames))
        {
            foreach (var rule in _rules)
                if (rule.Pattern.IsMatch(text)) return rule.Category;
        }
        return ParameterCategory.Other;
    }

    /// <summary>The layer index in <paramref name="name"/> (or a consumer node's name), or null outside the layer stack.</summary>
    public static int? Layer(string name, IEnumerable<string> consumerNodeNames)
    {
        foreach (var text in new[] { name }.Concat(consumerNodeNames))
        {
            var m = LayerPattern().Match(text);
            if (m.Success) return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    [GeneratedRegex(@"(?:^|[./_])(?:layers|layer|h|blocks|block)[._](\d+)(?:[./_]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex LayerPattern();
}
