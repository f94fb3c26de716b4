using System.Buffers.Text;

namespace RoutingFlow.Server.Fleet;

/// <summary>
/// The fast path for a successful instant-vector answer written as Prometheus writes it (no whitespace,
/// <c>{"status":"success","data":{"resultType":"vector","result":[{"metric":{…},"value":[t,"v"]},…]}…</c>): a scan
/// with vectorised searches that hands each series' router, <c>nic</c> and <c>ip</c> labels to a
/// <see cref="KeyedCollector"/> without tokenising the rest (about 10× faster than a JSON reader on the large per-IP
/// answers). Anything else — whitespace, an escaped character, another key order, an error — returns false, and the
/// caller reads the answer with the general JSON reader instead, which also words its errors.
/// </summary>
public static class VectorScanner
{
    private static ReadOnlySpan<byte> Head => """{"status":"success","data":{"resultType":"vector","result":["""u8;

    public static bool TryScan(ReadOnlySpan<byte> body, KeyedCollector collector)
    {
        if (!body.StartsWith(Head) || body.Contains((byte)'\\')) // an escape anywhere: the reader unescapes it (one vectorised pass)
            return false;
        var s = body[Head.Length..];
        if (At(s) != ']')
        {
            while (true)
            {
                if (!Series(ref s, collector))
                    return false;
                if (At(s) == ',')
                    s = s[1..];
                else if (At(s) == ']')
                    break;
                else
                    return false;
            }
        }
        // "]}" closes the result and data; then the answer ends, or warnings/infos follow.
        return s.StartsWith("]}"u8) && (s[2..].TrimEnd(" \t\r\n"u8).SequenceEqual("}"u8) || s[2..].StartsWith(","u8));
    }

    /// <summary>
    /// <c>{"metric":{"name":"value",…},"value":[time,"number"]}</c>. The labels are found by searching the metric's
    /// text for <c>"name":"</c>: with no backslash in the answer every quote delimits a string, so that text can only be the
    /// key itself (a value cannot hold a quote unescaped), and the first <c>},"value":[</c> ends the metric.
    /// </summary>
    private static bool Series(ref ReadOnlySpan<byte> s, KeyedCollector collector)
    {
        if (!Skip(ref s, """{"metric":{"""u8))
            return false;
        var end = s.IndexOf("""},"value":["""u8);
        if (end < 0)
            return false;
        var metric = s[..end];
        s = s[(end + 11)..];
        var hasRouter = Label(metric, collector.RouterKey, out var router);
        var hasNic = Label(metric, "\"nic\":\""u8, out var nic);
        var comma = s.IndexOf((byte)',');
        if (comma <= 0)
            return false;
        s = s[(comma + 1)..];
        ReadOnlySpan<byte> number = default;
        if (!Skip(ref s, "\""u8) || !Text(ref s, ref number) || !Skip(ref s, "]}"u8))
            return false;
        if (!hasRouter || !hasNic)
            return TryNumber(number, out _);
        return collector.Add(router, nic, metric, number); // it reads the value only as far as it must, and the ip label only for a series it keeps
    }

    /// <summary>The value of the label whose <c>"name":"</c> is <paramref name="key"/>, if the metric has it.</summary>
    internal static bool Label(ReadOnlySpan<byte> metric, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        value = default;
        var at = metric.IndexOf(key);
        if (at < 0)
            return false;
        var rest = metric[(at + key.Length)..];
        var close = rest.IndexOf((byte)'"');
        if (close < 0)
            return false;
        value = rest[..close];
        return true;
    }

    /// <summary>A string's content up to its closing quote (which is consumed); false at an escape.</summary>
    private static bool Text(ref ReadOnlySpan<byte> s, ref ReadOnlySpan<byte> text)
    {
        var end = s.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || s[end] == '\\')
            return false;
        text = s[..end];
        s = s[(end + 1)..];
        return true;
    }

    private static bool Skip(ref ReadOnlySpan<byte> s, ReadOnlySpan<byte> expected)
    {
        if (!s.StartsWith(expected))
            return false;
        s = s[expected.Length..];
        return true;
    }

    /// <summary>A sample value as Prometheus writes it (decimal, exponent, NaN, ±Inf).</summary>
    internal static bool TryNumber(ReadOnlySpan<byte> text, out double value)
    {
        if (Utf8Parser.TryParse(text, out value, out var used) && used == text.Length)
            return true;
        if (text.SequenceEqual("NaN"u8))
            value = double.NaN;
        else if (text.SequenceEqual("+Inf"u8))
            value = double.PositiveInfinity;
        else if (text.SequenceEqual("-Inf"u8))
            value = double.NegativeInfinity;
        else
            return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        return true;
    }

    /// <summary>
    /// Whether a plain decimal (digits, then '.' and more digits or nothing) is certainly below <paramref name="bound"/>:
    /// its integer part plus one is at most the bound. Anything else (a sign, an exponent, NaN, Inf) is not decided here.
    /// </summary>
    internal static bool CertainlyBelow(ReadOnlySpan<byte> text, double bound)
    {
        ulong whole = 0;
        var i = 0;
        for (; i < text.Length && i < 16; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9)
                break;
            whole = whole * 10 + digit;
        }
        if (i == 0 || whole + 1 > bound)
            return false;
        if (i == text.Length)
            return true;
        if (text[i] != '.' || i + 1 == text.Length)
            return false;
        foreach (var c in text[(i + 1)..])
        {
            if ((uint)(c - '0') > 9)
                return false;
        }
        return true;
    }

    private static int At(ReadOnlySpan<byte> s) => s.IsEmpty ? -1 : s[0];
}
