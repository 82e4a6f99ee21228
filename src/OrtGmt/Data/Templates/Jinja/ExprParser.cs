using System.Globalization;

namespace OrtGmt.Data.Templates.Jinja;

/// <summary>
/// Parses one Jinja expression from the lexer's tokens into an <see cref="Expr"/> tree: Python-like
/// precedence, from the inline if down to literals, subscripts, calls and filters.
/// </summary>
internal sealed class ExprParser(List<Tok> toks, int start = 0)
{
    private int _i = start;

    private Tok Peek => toks[_i];

    public bool Accept(string op)
    {
        if (!Peek.Is(op) || Peek.Kind == TokKind.String) return false;
        _i++;
        return true;
    }

    public void Expect(string op)
    {
        if (!Accept(op)) throw Error($"expected '{op}'");
    }

    public string ExpectName()
    {
        if (Peek.Kind != TokKind.Name) throw Error("expected a name");
        return toks[_i++].Value;
    }

    public void ExpectEnd()
    {
        if (Peek.Kind != TokKind.End) throw Error("unexpected extra tokens");
    }

    private ChatTemplateException Error(string what) =>
        new($"chat template: {what} at offset {Peek.Offset} (near '{Peek.Value}')");

    public Expr ParseAll()
    {
        var e = Ternary();
        ExpectEnd();
        return e;
    }

    public Expr ParseNoTernary() => Or();

    private Expr Ternary()
    {
        var e = Or();
        if (!Accept("if")) return e;
        var cond = Or();
        Expr? otherwise = Accept("else") ? Ternary() : null;
        return new Conditional(cond, e, otherwise);
    }

    private Expr Or()
    {
        var e = And();
        while (Accept("or")) e = new Binary("or", e, And());
        return e;
    }

    private Expr And()
    {
        var e = Not();
        while (Accept("and")) e = new Binary("and", e, Not());
        return e;
    }

    private Expr Not() => Accept("not") ? new Unary("not", Not()) : Compare();

    private Expr Compare()
    {
        var e = Concat();
        while (true)
        {
            string? op = Peek.Kind == TokKind.Op && Peek.Value is "==" or "!=" or "<" or ">" or "<=" or ">=" ? Peek.Value : null;
            if (op is not null)
            {
                _i++;
                e = new Binary(op, e, Concat());
            }
            else if (Accept("in")) e = new Binary("in", e, Concat());
            else if (Peek.Is("not") && toks[_i + 1].Is("in"))
            {
                _i += 2;
                e = new Binary("not in", e, Concat());
            }
            else return e;
        }
    }

    private Expr Concat()
    {
        var e = Sum();
        while (Accept("~")) e = new Binary("~", e, Sum());
        return e;
    }

    private Expr Sum()
    {
        var e = Product();
        while (Peek.Kind == TokKind.Op && Peek.Value is "+" or "-")
        {
            string op = toks[_i++].Value;
            e = new Binary(op, e, Product());
        }
        return e;
    }

    private Expr Product()
    {
        var e = UnaryExpr();
        while (Peek.Kind == TokKind.Op && Peek.Value is "*" or "/" or "//" or "%" or "**")
        {
            string op = toks[_i++].Value;
            e = new Binary(op, e, UnaryExpr());
        }
        return e;
    }

    private Expr UnaryExpr()
    {
        if (Peek.Kind == TokKind.Op && Peek.Value is "-" or "+")
        {
            string op = toks[_i++].Value;
            return new Unary(op, UnaryExpr());
        }
        return FiltersAndTests(Postfix(Primary()));
    }

    private Expr FiltersAndTests(Expr e)
    {
        while (true)
        {
            if (Accept("|"))
            {
                string name = ExpectName();
                e = new Filter(e, name, Peek.Is("(") && Peek.Kind == TokKind.Op ? Args(out _) : []);
                e = Postfix(e);
            }
            else if (Accept("is"))
            {
                bool negated = Accept("not");
                string name = Peek.Kind == TokKind.Name ? toks[_i++].Value : throw Error("expected a test name");
                List<Expr> args = [];
                if (Peek.Is("(") && Peek.Kind == TokKind.Op) args = Args(out _);
                else if (Peek.Kind is TokKind.String or TokKind.Int or TokKind.Float || (Peek.Kind == TokKind.Name && !IsKeyword(Peek.Value))) args = [Primary()];
                e = new Test(e, name, negated, args);
            }
            else return e;
        }
    }

    private static bool IsKeyword(string s) => s is "and" or "or" or "not" or "if" or "else" or "in" or "is";

    private Expr Postfix(Expr e)
    {
        while (true)
        {
            if (Peek.Kind == TokKind.Op && Peek.Value == ".")
            {
                _i++;
                e = new GetAttr(e, ExpectName());
            }
            else if (Peek.Kind == TokKind.Op && Peek.Value == "[")
            {
                _i++;
                Expr? a = Peek.Is(":") ? null : Ternary();
                if (Accept(":"))
                {
                    Expr? b = Peek.Is(":") || Peek.Is("]") ? null : Ternary();
                    Expr? c = Accept(":") && !Peek.Is("]") ? Ternary() : null;
                    Expect("]");
                    e = new SliceExpr(e, a, b, c);
                }
                else
                {
                    Expect("]");
                    e = new GetItem(e, a!);
                }
            }
            else if (Peek.Kind == TokKind.Op && Peek.Value == "(")
            {
                var args = Args(out var kwargs);
                e = new Call(e, args, kwargs);
            }
            else return e;
        }
    }

    private List<Expr> Args(out List<(string, Expr)> kwargs)
    {
        Expect("(");
        var args = new List<Expr>();
        kwargs = [];
        while (!Accept(")"))
        {
            if (Peek.Kind == TokKind.Name && toks[_i + 1].Kind == TokKind.Op && toks[_i + 1].Value == "=")
            {
                string k = toks[_i].Value;
                _i += 2;
                kwargs.Add((k, Ternary()));
            }
            else args.Add(Ternary());
            if (!Peek.Is(")")) Expect(",");
        }
        return args;
    }

    private Expr Primary()
    {
        var t = toks[_i++];
        switch (t.Kind)
        {
            case TokKind.String:
                string s = t.Value;
                while (Peek.Kind == TokKind.String) s += toks[_i++].Value;
                return new Literal(s);
            case TokKind.Int:
                return new Literal(long.Parse(t.Value, CultureInfo.InvariantCulture));
            case TokKind.Float:
                return new Literal(JinjaLexer.ParseFloat(t.Value));
            case TokKind.Name:
                return t.Value switch
                {
                    "true" or "True" => new Literal(true),
                    "false" or "False" => new Literal(false),
                    "none" or "None" => new Literal(null),
                    _ => new Name(t.Value),
                };
            case TokKind.Op when t.Value == "(":
                var e = Ternary();
                if (Accept(","))
                {
                    var items = new List<Expr> { e };
                    while (!Peek.Is(")"))
                    {
                        items.Add(Ternary());
                        if (!Peek.Is(")")) Expect(",");
                    }
                    e = new ListExpr(items);
                }
                Expect(")");
                return e;
            case TokKind.Op when t.Value == "[":
                var list = new List<Expr>();
                while (!Accept("]"))
                {
                    list.Add(Ternary());
                    if (!Peek.Is("]")) Expect(",");
                }
                return new ListExpr(list);
            case TokKind.Op when t.Value == "{":
                var dict = new List<(Expr, Expr)>();
                while (!Accept("}"))
                {
                    var k = Ternary();
                    Expect(":");
                    dict.Add((k, Ternary()));
                    if (!Peek.Is("}")) Expect(",");
                }
                return new DictExpr(dict);
            default:
                _i--;
                throw Error("unexpected token");
        }
    }
}
