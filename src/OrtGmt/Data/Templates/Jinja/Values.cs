using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrtGmt.Data.Templates.Jinja;

/// <summary>Python-like semantics of the values a chat template handles: none, bool, int, float, str, list, dict.</summary>
internal static class Values
{
    private static readonly JsonSerializerOptions JsonOut = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool Truthy(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    public static string Str(object? v) => v switch
    {
        null => "None",
        Undefined => "",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d == Math.Floor(d) && Math.Abs(d) < 1e16 ? d.ToString("0.0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture),
        _ => Repr(v),
    };

    private static string Repr(object? v) => v switch
    {
        string s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n") + "'",
        IDictionary<string, object?> d => "{" + string.Join(", ", d.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        IList l => "[" + string.Join(", ", l.Cast<object?>().Select(Repr)) + "]",
        _ => Str(v),
    };

    public static double Num(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new ChatTemplateException($"chat template: expected a number, got {TypeName(v)}"),
    };

    public static long Int(object? v) => v switch
    {
        long l => l,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s, CultureInfo.InvariantCulture, out long p) => p,
        _ => throw new ChatTemplateException($"chat template: expected an integer, got {TypeName(v)}"),
    };

    public static string TypeName(object? v) => v switch
    {
        null => "none",
        Undefined => "undefined",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float",
        IDictionary => "dict",
        IList => "list",
        _ => v.GetType().Name,
    };

    public static IEnumerable<object?> Iterate(object? v) => v switch
    {
        Undefined or null => [],
        string s => s.Select(c => (object?)c.ToString()),
        IDictionary<string, object?> d => d.Keys,
        IList l => l.Cast<object?>(),
        _ => throw new ChatTemplateException($"chat template: cannot iterate over {TypeName(v)}"),
    };

    public static object? Attr(object? target, string name)
    {
        switch (target)
        {
            case IDictionary<string, object?> d:
                return d.TryGetValue(name, out var v) ? v : Undefined.Value;
            case Undefined:
                throw new ChatTemplateException($"chat template: attribute '{name}' of an undefined value");
            case null:
                throw new ChatTemplateException($"chat template: attribute '{name}' of none");
            default:
                return Undefined.Value;
        }
    }

    public static object? Item(object? target, object? index)
    {
        switch (target)
        {
            case IDictionary<string, object?> d:
                return d.TryGetValue(Str(index), out var v) ? v : Undefined.Value;
            case IList l:
                long i = Int(index);
                if (i < 0) i += l.Count;
                return i >= 0 && i < l.Count ? l[(int)i] : Undefined.Value;
            case string s:
                long k = Int(index);
                if (k < 0) k += s.Length;
                return k >= 0 && k < s.Length ? s[(int)k].ToString() : Undefined.Value;
            case Undefined:
                throw new ChatTemplateException($"chat template: item [{Str(index)}] of an undefined value");
            default:
                throw new ChatTemplateException($"chat template: cannot index {TypeName(target)}");
        }
    }

    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        var items = target is string s ? s.Select(c => (object?)c.ToString()).ToList() : Iterate(target).ToList();
        int n = items.Count;
        long st = step is null or Undefined ? 1 : Int(step);
        if (st == 0) throw new ChatTemplateException("chat template: slice step cannot be zero");
        long Norm(object? v, long dflt)
        {
            if (v is null or Undefined) return dflt;
            long x = Int(v);
            if (x < 0) x += n;
            return st > 0 ? Math.Clamp(x, 0, n) : Math.Clamp(x, -1, n - 1);
        }
        long a = Norm(start, st > 0 ? 0 : n - 1), b = Norm(stop, st > 0 ? n : -1);
        var result = new List<object?>();
        for (long i = a; st > 0 ? i < b : i > b; i += st) result.Add(items[(int)i]);
        return target is string ? string.Concat(result.Cast<string>()) : result;
    }

    public static new bool Equals(object? a, object? b)
    {
        if (a is long or double && b is long or double) return Num(a) == Num(b);
        if (a is Undefined || b is Undefined) return a is Undefined && b is Undefined;
        return object.Equals(a, b);
    }

    public static object? Binary(string op, object? a, object? b)
    {
        switch (op)
        {
            case "==": return Equals(a, b);
            case "!=": return !Equals(a, b);
            case "~": return Str(a) + Str(b);
            case "in": return Contains(b, a);
            case "not in": return !Contains(b, a);
            case "<" or ">" or "<=" or ">=":
                int c = a is string sa && b is string sb ? string.CompareOrdinal(sa, sb) : Num(a).CompareTo(Num(b));
                return op switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
            case "+":
                if (a is string s1 && b is string s2) return s1 + s2;
                if (a is IList l1 && b is IList l2) return l1.Cast<object?>().Concat(l2.Cast<object?>()).ToList();
                return Arith(op, a, b);
            default:
                return Arith(op, a, b);
        }
    }

    private static object Arith(string op, object? a, object? b)
    {
        if (a is not (long or double or bool) || b is not (long or double or bool))
            throw new ChatTemplateException($"chat template: cannot apply '{op}' to {TypeName(a)} and {TypeName(b)}");
        if (a is not double && b is not double && op != "/")
        {
            long x = Int(a), y = Int(b);
            return op switch
            {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "//" => y == 0 ? throw new ChatTemplateException("chat template: division by zero") : (long)Math.Floor((double)x / y),
                "%" => y == 0 ? throw new ChatTemplateException("chat template: division by zero") : ((x % y) + y) % y,
                "**" => (long)Math.Pow(x, y),
                _ => throw new ChatTemplateException($"chat template: operator '{op}' is not supported"),
            };
        }
        double p = Num(a), q = Num(b);
        return op switch
        {
            "+" => p + q,
            "-" => p - q,
            "*" => p * q,
            "/" => p / q,
            "//" => Math.Floor(p / q),
            "%" => p - q * Math.Floor(p / q),
            "**" => Math.Pow(p, q),
            _ => throw new ChatTemplateException($"chat template: operator '{op}' is not supported"),
        };
    }

    private static bool Contains(object? container, object? item) => container switch
    {
        string s => s.Contains(Str(item), StringComparison.Ordinal),
        IDictionary<string, object?> d => item is string k && d.ContainsKey(k),
        IList l => l.Cast<object?>().Any(x => Equals(x, item)),
        Undefined => false,
        _ => throw new ChatTemplateException($"chat template: 'in' on {TypeName(container)}"),
    };

    public static object? Method(object? target, string name, List<object?> a)
    {
        if (target is string s)
        {
            string Arg(int i) => Str(a[i]);
            return name switch
            {
                "strip" => a.Count > 0 ? s.Trim(Arg(0).ToCharArray()) : s.Trim(),
                "lstrip" => a.Count > 0 ? s.TrimStart(Arg(0).ToCharArray()) : s.TrimStart(),
                "rstrip" => a.Count > 0 ? s.TrimEnd(Arg(0).ToCharArray()) : s.TrimEnd(),
                "upper" => s.ToUpperInvariant(),
                "lower" => s.ToLowerInvariant(),
                "title" => Title(s),
                "capitalize" => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant(),
                "startswith" => s.StartsWith(Arg(0), StringComparison.Ordinal),
                "endswith" => s.EndsWith(Arg(0), StringComparison.Ordinal),
                "replace" => s.Replace(Arg(0), Arg(1), StringComparison.Ordinal),
                "split" => (a.Count == 0 ? s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : s.Split(Arg(0))).Select(x => (object?)x).ToList(),
                "find" => (long)s.IndexOf(Arg(0), StringComparison.Ordinal),
                "count" => (long)(s.Length == 0 ? 0 : (s.Length - s.Replace(Arg(0), "", StringComparison.Ordinal).Length) / Math.Max(1, Arg(0).Length)),
                "join" => string.Join(s, Iterate(a[0]).Select(Str)),
                "format" => a.Aggregate(s, (acc, x) => ReplaceFirst(acc, "{}", Str(x))),
                _ => throw new ChatTemplateException($"chat template: string method '{name}' is not supported"),
            };
        }
        if (target is IDictionary<string, object?> d)
        {
            switch (name)
            {
                case "get": return d.TryGetValue(Str(a[0]), out var v) ? v : a.Count > 1 ? a[1] : null;
                case "items": return d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList();
                case "keys": return d.Keys.Cast<object?>().ToList();
                case "values": return d.Values.ToList();
            }
        }
        if (target is IList list && name == "append")
        {
            list.Add(a[0]);
            return null;
        }
        throw new ChatTemplateException($"chat template: method '{name}' of {TypeName(target)} is not supported");
    }

    private static string ReplaceFirst(string s, string what, string with)
    {
        int i = s.IndexOf(what, StringComparison.Ordinal);
        return i < 0 ? s : s[..i] + with + s[(i + what.Length)..];
    }

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool start = true;
        foreach (char c in s)
        {
            sb.Append(start ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            start = !char.IsLetterOrDigit(c);
        }
        return sb.ToString();
    }

    public static object? Filter(string name, object? v, List<object?> a) => name switch
    {
        "trim" => Method(Str(v), "strip", a),
        "upper" or "lower" or "title" or "capitalize" => Method(Str(v), name, []),
        "length" or "count" => (long)(v switch { string s => s.Length, ICollection c => c.Count, Undefined => 0, _ => throw new ChatTemplateException($"chat template: length of {TypeName(v)}") }),
        "default" or "d" => v is Undefined || (a.Count > 1 && Truthy(a[1]) && !Truthy(v)) ? (a.Count > 0 ? a[0] : "") : v,
        "first" => Iterate(v).FirstOrDefault(),
        "last" => Iterate(v).LastOrDefault(),
        "join" => string.Join(a.Count > 0 ? Str(a[0]) : "", Iterate(v).Select(Str)),
        "list" => Iterate(v).ToList(),
        "string" => Str(v),
        "int" => Int(v),
        "float" => Num(v),
        "abs" => v is long l ? Math.Abs(l) : Math.Abs(Num(v)),
        "reverse" => v is string s ? new string(s.Reverse().ToArray()) : Iterate(v).Reverse().ToList(),
        "replace" => Str(v).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal),
        "items" => Method(v, "items", a),
        "safe" or "e" or "escape" => v,
        "tojson" => JsonSerializer.Serialize(ToPlain(v), JsonOut),
        "selectattr" or "rejectattr" => Iterate(v).Where(x =>
        {
            object? attr = Attr(x, Str(a[0]));
            bool r = a.Count == 1 ? Truthy(attr) : Test(Str(a[1]), attr, a.Skip(2).ToList());
            return name == "selectattr" ? r : !r;
        }).ToList(),
        "map" when a.Count == 1 => Iterate(v).Select(x => Attr(x, Str(a[0]))).ToList(),
        _ => throw new ChatTemplateException($"chat template: filter '{name}' is not supported"),
    };

    private static object? ToPlain(object? v) => v switch
    {
        Undefined => null,
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        IList l => l.Cast<object?>().Select(ToPlain).ToList(),
        _ => v,
    };

    public static bool Test(string name, object? v, List<object?> a) => name switch
    {
        "defined" => v is not Undefined,
        "undefined" => v is Undefined,
        "none" => v is null,
        "string" => v is string,
        "number" => v is long or double,
        "integer" => v is long,
        "float" => v is double,
        "boolean" => v is bool,
        "true" => v is true,
        "false" => v is false,
        "mapping" => v is IDictionary,
        "sequence" or "iterable" => v is IList or string or IDictionary,
        "equalto" or "eq" or "sameas" => Equals(v, a[0]),
        "ne" => !Equals(v, a[0]),
        "odd" => Int(v) % 2 != 0,
        "even" => Int(v) % 2 == 0,
        "in" => Contains(a[0], v),
        _ => throw new ChatTemplateException($"chat template: test '{name}' is not supported"),
    };
}
