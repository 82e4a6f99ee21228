using System.Globalization;
using System.Text;

namespace OrtGmt.Data.Templates.Jinja;

internal enum PartKind { Text, Output, Statement }

/// <summary>A piece of template source: literal text, an expression tag, or a statement tag (tokenized).</summary>
internal sealed record Part(PartKind Kind, string Text, List<Tok> Tokens, int Offset);

internal enum TokKind { Name, String, Int, Float, Op, End }

internal readonly record struct Tok(TokKind Kind, string Value, int Offset)
{
    public bool Is(string op) => (Kind == TokKind.Op || Kind == TokKind.Name) && Value == op;
}

/// <summary>
/// Splits a template into parts with Jinja's whitespace control (<c>{%-</c>, <c>-%}</c>) and the
/// settings Hugging Face renders chat templates with: trim_blocks and lstrip_blocks.
/// </summary>
internal static class JinjaLexer
{
    private static readonly string[] Ops = ["//", "==", "!=", "<=", ">=", "**", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="];

    public static List<Part> Split(string src)
    {
        var parts = new List<Part>();
        var text = new StringBuilder();
        int i = 0;
        bool trimNextLeading = false, trimNextNewline = false;
        while (i < src.Length)
        {
            int open = src.IndexOf('{', i);
            while (open >= 0 && open + 1 < src.Length && src[open + 1] is not ('{' or '%' or '#')) open = src.IndexOf('{', open + 1);
            if (open < 0 || open + 1 >= src.Length)
            {
                AddText(parts, src[i..], ref trimNextLeading, ref trimNextNewline, false, false);
                break;
            }
            char kind = src[open + 1];
            bool stripBefore = open + 2 < src.Length && src[open + 2] == '-';
            bool keepBefore = open + 2 < src.Length && src[open + 2] == '+';
            string close = kind switch { '{' => "}}", '%' => "%}", _ => "#}" };
            int bodyStart = open + 2 + (stripBefore || keepBefore ? 1 : 0);
            int end = FindClose(src, bodyStart, close, kind == '#');
            if (end < 0) throw new ChatTemplateException($"chat template: unclosed '{{{kind}' at offset {open}");
            bool stripAfter = end > bodyStart && src[end - 1] == '-';
            string body = src[bodyStart..(stripAfter ? end - 1 : end)];
            bool block = kind != '{';
            AddText(parts, src[i..open], ref trimNextLeading, ref trimNextNewline, stripBefore, block && !keepBefore);
            if (kind == '{') parts.Add(new Part(PartKind.Output, body, Tokenize(body, bodyStart), open));
            else if (kind == '%') parts.Add(new Part(PartKind.Statement, body, Tokenize(body, bodyStart), open));
            trimNextLeading = stripAfter;
            trimNextNewline = block;
            i = end + close.Length;
        }
        return parts;
    }

    private static int FindClose(string src, int from, string close, bool comment)
    {
        if (comment) return src.IndexOf(close, from, StringComparison.Ordinal);
        char quote = '\0';
        for (int k = from; k < src.Length - 1; k++)
        {
            char c = src[k];
            if (quote != '\0')
            {
                if (c == '\\') k++;
                else if (c == quote) quote = '\0';
            }
            else if (c is '\'' or '"') quote = c;
            else if (c == close[0] && src[k + 1] == close[1]) return k;
        }
        return -1;
    }

    private static void AddText(List<Part> parts, string t, ref bool trimLeading, ref bool trimNewline, bool stripTrailing, bool lstripBlock)
    {
        if (trimLeading) t = t.TrimStart();
        else if (trimNewline && t.StartsWith('\n')) t = t[1..];
        else if (trimNewline && t.StartsWith("\r\n", StringComparison.Ordinal)) t = t[2..];
        trimLeading = trimNewline = false;
        if (stripTrailing) t = t.TrimEnd();
        else if (lstripBlock)
        {
            int k = t.Length;
            while (k > 0 && t[k - 1] is ' ' or '\t') k--;
            if (k == 0 || t[k - 1] == '\n') t = t[..k];
        }
        if (t.Length > 0) parts.Add(new Part(PartKind.Text, t, [], 0));
    }

    public static List<Tok> Tokenize(string s, int baseOffset)
    {
        var toks = new List<Tok>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int at = baseOffset + i;
            if (char.IsLetter(c) || c == '_')
            {
                int j = i;
                while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] == '_')) j++;
                toks.Add(new Tok(TokKind.Name, s[i..j], at));
                i = j;
            }
            else if (char.IsDigit(c))
            {
                int j = i;
                while (j < s.Length && char.IsDigit(s[j])) j++;
                bool isFloat = j + 1 < s.Length && s[j] == '.' && char.IsDigit(s[j + 1]);
                if (isFloat)
                {
                    j++;
                    while (j < s.Length && char.IsDigit(s[j])) j++;
                }
                toks.Add(new Tok(isFloat ? TokKind.Float : TokKind.Int, s[i..j], at));
                i = j;
            }
            else if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                int j = i + 1;
                while (j < s.Length && s[j] != c)
                {
                    if (s[j] == '\\' && j + 1 < s.Length)
                    {
                        j++;
                        sb.Append(s[j] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => s[j] });
                    }
                    else sb.Append(s[j]);
                    j++;
                }
                if (j >= s.Length) throw new ChatTemplateException($"chat template: unterminated string at offset {at}");
                toks.Add(new Tok(TokKind.String, sb.ToString(), at));
                i = j + 1;
            }
            else
            {
                string? op = Ops.FirstOrDefault(o => string.CompareOrdinal(s, i, o, 0, o.Length) == 0);
                if (op is null) throw new ChatTemplateException($"chat template: unexpected character '{c}' at offset {at}");
                toks.Add(new Tok(TokKind.Op, op, at));
                i += op.Length;
            }
        }
        toks.Add(new Tok(TokKind.End, "", baseOffset + s.Length));
        return toks;
    }

    public static double ParseFloat(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
