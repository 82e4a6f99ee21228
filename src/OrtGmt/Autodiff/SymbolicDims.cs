namespace OrtGmt.Autodiff;

/// <summary>
/// Arithmetic on dims that may be symbolic. Products are sorted factor lists ("batch*seq", "4*batch"), so a
/// flatten and the reshape that undoes it name the same sizes.
/// </summary>
internal static class SymbolicDims
{
    private static List<string>? Factors(Dim d) =>
        d.Value is not null ? [] : d.Param?.Split('*').ToList();

    private static Dim FromFactors(long value, List<string> symbols)
    {
        if (symbols.Count == 0) return Dim.Of(value);
        if (value == 0) return Dim.Of(0);
        symbols.Sort(StringComparer.Ordinal);
        return new Dim(null, (value == 1 ? "" : value + "*") + string.Join("*", symbols));
    }

    /// <summary>The product of <paramref name="dims"/>, symbolic where needed; Unknown if any dim is.</summary>
    public static Dim Product(IEnumerable<Dim> dims)
    {
        long value = 1;
        var symbols = new List<string>();
        foreach (var d in dims)
        {
            if (Factors(d) is not { } f) return Dim.Unknown;
            value *= d.Value ?? 1;
            foreach (var factor in f)
            {
                if (long.TryParse(factor, out long k)) value *= k;
                else symbols.Add(factor);
            }
        }
        return FromFactors(value, symbols);
    }

    // The -1 of a Reshape: the product of the input dims divided by the other target dims.
    public static Dim Quotient(Dim[] from, IEnumerable<Dim> others)
    {
        var total = Product(from);
        var known = Product(others);
        if (Factors(total) is not { } num || Factors(known) is not { } den) return Dim.Unknown;
        long numValue = total.Value ?? Coefficient(num), denValue = known.Value ?? Coefficient(den);
        foreach (var f in den)
            if (!num.Remove(f)) return Dim.Unknown;
        if (denValue == 0 || numValue % denValue != 0) return Dim.Unknown;
        return FromFactors(numValue / denValue, num);
    }

    // Takes the numeric factor (if any) out of a factor list.
    private static long Coefficient(List<string> factors)
    {
        long c = 1;
        factors.RemoveAll(f =>
        {
            bool numeric = long.TryParse(f, out long k);
            if (numeric) c *= k;
            return numeric;
        });
        return c;
    }

    // The length of one sliced axis (ONNX clamping rules), or the same symbol for a full forward slice.
    /// <summary>
    /// The length of x[:end] along an axis of length <paramref name="d"/> for a symbolic end: min(d, end),
    /// named so that broadcasting it against end itself is known to give end (see <see cref="BoundOf"/>).
    /// </summary>
    public static Dim Prefix(Dim d, Dim end)
    {
        if (d.SameAs(end)) return d;
        if (d.Value is { } len && end.Param is { } p && !p.Contains('*', StringComparison.Ordinal)) return new Dim(null, $"min({len},{p})");
        return Dim.Unknown;
    }

    /// <summary>For a dim named min(c,p) by <see cref="Prefix"/>, the symbol p; else null.</summary>
    public static string? BoundOf(Dim d) =>
        d.Param is { } p && p.StartsWith("min(", StringComparison.Ordinal) && p.EndsWith(')') && p.IndexOf(',', StringComparison.Ordinal) is > 0 and var comma
            ? p[(comma + 1)..^1] : null;

    public static Dim Sliced(Dim d, long start, long end, long step)
    {
        if (step == 1 && start == 0 && end >= int.MaxValue) return d;
        if (d.Value is not { } len || step == 0) return Dim.Unknown;
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, len);
            end = Math.Clamp(end, 0, len);
            return Dim.Of(end <= start ? 0 : (end - start + step - 1) / step);
        }
        start = Math.Clamp(start, 0, len - 1);
        end = Math.Clamp(end, -1, len - 1);
        return Dim.Of(start <= end ? 0 : (start - end - step - 1) / -step);
    }
}
