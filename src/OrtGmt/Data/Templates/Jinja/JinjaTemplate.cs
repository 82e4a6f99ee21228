using System.Text;

namespace OrtGmt.Data.Templates.Jinja;

/// <summary>
/// The subset of Jinja that common chat templates use: output tags, if/elif/else, for (with
/// <c>loop.*</c>, else, an inline if filter, tuple targets), set (also <c>ns.attr</c> on a namespace),
/// break/continue, expressions with Python-like semantics, the usual filters and tests, string and
/// dict methods, and <c>raise_exception</c>. Rendering follows Hugging Face's settings
/// (trim_blocks, lstrip_blocks). Anything else (macros, call blocks, includes, generation blocks)
/// is a <see cref="ChatTemplateException"/> naming the construct.
/// </summary>
public sealed class JinjaTemplate
{
    private static readonly HashSet<string> Unsupported = ["macro", "call", "include", "import", "from", "extends", "block", "filter", "raw", "with", "generation", "autoescape", "do"];
    private readonly List<Node> _body;

    /// <summary>Parses <paramref name="source"/>; throws <see cref="ChatTemplateException"/> for syntax outside the subset.</summary>
    public JinjaTemplate(string source)
    {
        var parser = new Parser(JinjaLexer.Split(source));
        _body = parser.ParseBody(out string? end);
        if (end is not null) throw new ChatTemplateException($"chat template: '{{% {end} %}}' without its opening tag");
    }

    /// <summary>Renders with <paramref name="variables"/> (strings, bools, longs, lists, string-keyed dictionaries).</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        var scope = new Scope(null);
        foreach (var (k, v) in variables) scope.Set(k, v);
        var output = new StringBuilder();
        try
        {
            Node.RenderAll(_body, scope, output);
        }
        catch (LoopControl)
        {
            throw new ChatTemplateException("chat template: break or continue outside a loop");
        }
        return output.ToString();
    }

    private sealed class Parser(List<Part> parts)
    {
        private int _part;

        /// <summary>Parses nodes until an end/else-like tag, returned in <paramref name="end"/> (null at the end of the source).</summary>
        public List<Node> ParseBody(out string? end)
        {
            var nodes = new List<Node>();
            while (_part < parts.Count)
            {
                var p = parts[_part++];
                switch (p.Kind)
                {
                    case PartKind.Text:
                        nodes.Add(new TextNode(p.Text));
                        break;
                    case PartKind.Output:
                        var x = new ExprParser(p.Tokens);
                        nodes.Add(new OutputNode(x.ParseAll()));
                        break;
                    default:
                        var t = p.Tokens;
                        if (t[0].Kind != TokKind.Name) throw new ChatTemplateException($"chat template: bad statement '{{% {p.Text.Trim()} %}}'");
                        string kw = t[0].Value;
                        if (kw is "endfor" or "endif" or "else" or "elif")
                        {
                            end = kw;
                            _part--;
                            return nodes;
                        }
                        nodes.Add(Statement(kw, p));
                        break;
                }
            }
            end = null;
            return nodes;
        }

        private Node Statement(string kw, Part p)
        {
            var x = new ExprParser(p.Tokens, 1);
            switch (kw)
            {
                case "if":
                    return If(x.ParseAll());
                case "for":
                    var targets = new List<string> { x.ExpectName() };
                    while (x.Accept(",")) targets.Add(x.ExpectName());
                    x.Expect("in");
                    var iterable = x.ParseNoTernary();
                    Expr? filter = x.Accept("if") ? x.ParseNoTernary() : null;
                    x.ExpectEnd();
                    var body = ParseBody(out string? end);
                    var otherwise = new List<Node>();
                    if (end == "else")
                    {
                        _part++;
                        otherwise = ParseBody(out end);
                    }
                    Close(end, "endfor");
                    return new ForNode(targets, iterable, filter, body, otherwise);
                case "set":
                    string name = x.ExpectName();
                    string? attr = x.Accept(".") ? x.ExpectName() : null;
                    if (!x.Accept("=")) throw new ChatTemplateException("chat template: block '{% set %}…{% endset %}' is not supported");
                    return new SetNode(name, attr, x.ParseAll());
                case "break" or "continue":
                    x.ExpectEnd();
                    return new LoopControlNode(kw == "break");
                default:
                    if (Unsupported.Contains(kw)) throw new ChatTemplateException($"chat template uses '{{% {kw} %}}', which is not supported (supported: if/elif/else, for, set, break/continue)");
                    throw new ChatTemplateException($"chat template: unknown statement '{{% {kw} %}}'");
            }
        }

        private IfNode If(Expr firstCondition)
        {
            var branches = new List<(Expr, List<Node>)>();
            var cond = firstCondition;
            while (true)
            {
                var body = ParseBody(out string? end);
                branches.Add((cond, body));
                if (end == "elif")
                {
                    cond = new ExprParser(parts[_part++].Tokens, 1).ParseAll();
                    continue;
                }
                var otherwise = new List<Node>();
                if (end == "else")
                {
                    _part++;
                    otherwise = ParseBody(out end);
                }
                Close(end, "endif");
                return new IfNode(branches, otherwise);
            }
        }

        private void Close(string? end, string expected)
        {
            if (end != expected) throw new ChatTemplateException($"chat template: expected '{{% {expected} %}}', found {(end is null ? "the end of the template" : $"'{{% {end} %}}'")}");
            _part++;
        }
    }
}
