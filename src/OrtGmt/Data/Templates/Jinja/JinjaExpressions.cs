namespace OrtGmt.Data.Templates.Jinja;

internal abstract class Expr
{
    public abstract object? Eval(Scope scope);
}

internal sealed class Literal(object? value) : Expr
{
    public object? Value { get; } = value;

    public override object? Eval(Scope scope) => Value;
}

internal sealed class Name(string name) : Expr
{
    public string Id { get; } = name;

    public override object? Eval(Scope scope) => scope.Get(Id);
}

internal sealed class ListExpr(List<Expr> items) : Expr
{
    public override object? Eval(Scope scope) => items.Select(i => i.Eval(scope)).ToList();
}

internal sealed class DictExpr(List<(Expr Key, Expr Value)> items) : Expr
{
    public override object? Eval(Scope scope) =>
        items.ToDictionary(kv => Values.Str(kv.Key.Eval(scope)), kv => kv.Value.Eval(scope));
}

internal sealed class GetAttr(Expr target, string attribute) : Expr
{
    public Expr Target { get; } = target;

    public string Attribute { get; } = attribute;

    public override object? Eval(Scope scope) => Values.Attr(Target.Eval(scope), Attribute);
}

internal sealed class GetItem(Expr target, Expr index) : Expr
{
    public override object? Eval(Scope scope) => Values.Item(target.Eval(scope), index.Eval(scope));
}

internal sealed class SliceExpr(Expr target, Expr? start, Expr? stop, Expr? step) : Expr
{
    public override object? Eval(Scope scope) =>
        Values.Slice(target.Eval(scope), start?.Eval(scope), stop?.Eval(scope), step?.Eval(scope));
}

internal sealed class Unary(string op, Expr operand) : Expr
{
    public override object? Eval(Scope scope)
    {
        object? v = operand.Eval(scope);
        return op switch
        {
            "not" => !Values.Truthy(v),
            "-" => v is long l ? -l : -Values.Num(v),
            _ => v,
        };
    }
}

internal sealed class Binary(string op, Expr left, Expr right) : Expr
{
    public override object? Eval(Scope scope)
    {
        if (op == "and")
        {
            object? l = left.Eval(scope);
            return Values.Truthy(l) ? right.Eval(scope) : l;
        }
        if (op == "or")
        {
            object? l = left.Eval(scope);
            return Values.Truthy(l) ? l : right.Eval(scope);
        }
        return Values.Binary(op, left.Eval(scope), right.Eval(scope));
    }
}

internal sealed class Conditional(Expr cond, Expr then, Expr? otherwise) : Expr
{
    public override object? Eval(Scope scope) =>
        Values.Truthy(cond.Eval(scope)) ? then.Eval(scope) : otherwise is null ? Undefined.Value : otherwise.Eval(scope);
}

internal sealed class Call(Expr callee, List<Expr> args, List<(string Name, Expr Value)> kwargs) : Expr
{
    public override object? Eval(Scope scope)
    {
        var a = args.Select(x => x.Eval(scope)).ToList();
        if (callee is GetAttr method)
            return Values.Method(method.Target.Eval(scope), method.Attribute, a);
        if (callee is Name fn)
        {
            switch (fn.Id)
            {
                case "raise_exception":
                    throw new ChatTemplateException($"chat template raised an error: {(a.Count > 0 ? Values.Str(a[0]) : "")}");
                case "namespace":
                    var ns = new Namespace();
                    foreach (var (k, v) in kwargs) ns[k] = v.Eval(scope);
                    return ns;
                case "range":
                    long from = a.Count > 1 ? Values.Int(a[0]) : 0, to = Values.Int(a[^1]);
                    var list = new List<object?>();
                    for (long k = from; k < to; k++) list.Add(k);
                    return list;
                case "strftime_now":
                    return DateTime.UtcNow.ToString(a.Count > 0 ? Values.Str(a[0]).Replace("%d", "dd").Replace("%b", "MMM").Replace("%Y", "yyyy") : "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }
            if (fn.Eval(scope) is Func<List<object?>, object?> f) return f(a);
            throw new ChatTemplateException($"chat template: function '{fn.Id}' is not supported");
        }
        throw new ChatTemplateException("chat template: only named functions and methods can be called");
    }
}

internal sealed class Filter(Expr target, string name, List<Expr> args) : Expr
{
    public override object? Eval(Scope scope) =>
        Values.Filter(name, target.Eval(scope), args.Select(a => a.Eval(scope)).ToList());
}

internal sealed class Test(Expr target, string name, bool negated, List<Expr> args) : Expr
{
    public override object? Eval(Scope scope)
    {
        bool r = Values.Test(name, target.Eval(scope), args.Select(a => a.Eval(scope)).ToList());
        return negated ? !r : r;
    }
}
