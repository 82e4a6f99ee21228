using System.Text;

namespace OrtGmt.Data.Templates.Jinja;

/// <summary>Marker for a variable or attribute that does not exist (renders as empty, tests as undefined).</summary>
internal sealed class Undefined
{
    public static readonly Undefined Value = new();
}

/// <summary>A mutable attribute bag made by <c>namespace(...)</c>.</summary>
internal sealed class Namespace : Dictionary<string, object?>
{
}

internal sealed class LoopControl(bool isBreak) : Exception
{
    public bool IsBreak { get; } = isBreak;
}

/// <summary>Variable scopes: a for-loop body gets its own, as in Jinja (sets inside do not leak out).</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _vars = [];

    public object? Get(string name) =>
        _vars.TryGetValue(name, out var v) ? v : parent is not null ? parent.Get(name) : Undefined.Value;

    public void Set(string name, object? value) => _vars[name] = value;
}

internal abstract class Node
{
    public abstract void Render(Scope scope, StringBuilder output);

    public static void RenderAll(List<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var n in nodes) n.Render(scope, output);
    }
}

internal sealed class TextNode(string text) : Node
{
    public override void Render(Scope scope, StringBuilder output) => output.Append(text);
}

internal sealed class OutputNode(Expr expr) : Node
{
    public override void Render(Scope scope, StringBuilder output) => output.Append(Values.Str(expr.Eval(scope)));
}

internal sealed class IfNode(List<(Expr Cond, List<Node> Body)> branches, List<Node> otherwise) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        foreach (var (cond, body) in branches)
        {
            if (Values.Truthy(cond.Eval(scope)))
            {
                RenderAll(body, scope, output);
                return;
            }
        }
        RenderAll(otherwise, scope, output);
    }
}

internal sealed class ForNode(List<string> targets, Expr iterable, Expr? filter, List<Node> body, List<Node> otherwise) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        var items = Values.Iterate(iterable.Eval(scope)).ToList();
        if (filter is not null)
        {
            items = items.Where(item =>
            {
                var s = new Scope(scope);
                Bind(s, item);
                return Values.Truthy(filter.Eval(s));
            }).ToList();
        }
        if (items.Count == 0)
        {
            RenderAll(otherwise, scope, output);
            return;
        }
        for (int i = 0; i < items.Count; i++)
        {
            var s = new Scope(scope);
            Bind(s, items[i]);
            s.Set("loop", new Dictionary<string, object?>
            {
                ["index"] = (long)(i + 1),
                ["index0"] = (long)i,
                ["revindex"] = (long)(items.Count - i),
                ["revindex0"] = (long)(items.Count - i - 1),
                ["first"] = i == 0,
                ["last"] = i == items.Count - 1,
                ["length"] = (long)items.Count,
                ["previtem"] = i > 0 ? items[i - 1] : Undefined.Value,
                ["nextitem"] = i + 1 < items.Count ? items[i + 1] : Undefined.Value,
            });
            try
            {
                RenderAll(body, s, output);
            }
            catch (LoopControl c)
            {
                if (c.IsBreak) break;
            }
        }
    }

    private void Bind(Scope s, object? item)
    {
        if (targets.Count == 1)
        {
            s.Set(targets[0], item);
            return;
        }
        var parts = Values.Iterate(item).ToList();
        if (parts.Count != targets.Count) throw new ChatTemplateException($"chat template: cannot unpack {parts.Count} values into {targets.Count} loop variables");
        for (int k = 0; k < targets.Count; k++) s.Set(targets[k], parts[k]);
    }
}

internal sealed class SetNode(string name, string? attribute, Expr value) : Node
{
    public override void Render(Scope scope, StringBuilder output)
    {
        object? v = value.Eval(scope);
        if (attribute is null)
        {
            scope.Set(name, v);
            return;
        }
        if (scope.Get(name) is not Namespace ns) throw new ChatTemplateException($"chat template: '{{% set {name}.{attribute} %}}' needs '{name}' to be a namespace()");
        ns[attribute] = v;
    }
}

internal sealed class LoopControlNode(bool isBreak) : Node
{
    public override void Render(Scope scope, StringBuilder output) => throw new LoopControl(isBreak);
}
