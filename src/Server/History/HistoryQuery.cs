using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Hosting;

namespace RoutingFlow.Server.History;

/// <summary>
/// The parameters the history endpoints share: <c>from</c>/<c>to</c> (ISO-8601, or Unix seconds; UTC unless an
/// offset is given), <c>nic</c> (a declared WAN), <c>format</c> (json, csv), <c>router</c> (absent: every router's; empty:
/// this router's own; a watched router's label: that router's, whose WANs are its own, so <c>nic</c> is not checked
/// against this router's). Any bad one is a 400 (problem details) naming it.
/// </summary>
public sealed record HistoryQuery(DateTimeOffset From, DateTimeOffset To, string? Nic, string Format, string? Router = null)
{
    public bool Csv => Format == "csv";

    public static bool TryParse(IQueryCollection query, RouterLayout layout, DateTimeOffset now, TimeSpan defaultRange,
        [NotNullWhen(true)] out HistoryQuery? parsed, [NotNullWhen(false)] out FieldError? error, bool anyNic = false)
    {
        parsed = null;
        if (!TryTime(query, "to", now, out var to, out error) || !TryTime(query, "from", to - defaultRange, out var from, out error))
            return false;
        if (from > to)
            return Fail("from", $"from ({from:O}) is after to ({to:O})", out error);
        var router = query.TryGetValue("router", out var r) ? r.ToString() : null;
        if (router is { Length: > 256 })
            return Fail("router", $"router is {router.Length} characters long (at most 256)", out error);
        anyNic |= router is { Length: > 0 };
        var nic = query["nic"].ToString();
        if (nic.Length > 0 && !anyNic && !layout.IsWan(nic)) // anyNic: a watched router's WAN, not this router's
            return Fail("nic", $"nic '{nic}' is not a WAN (declared: {layout.DeclaredNics})", out error);
        var format = query.TryGetValue("format", out var f) ? f.ToString() : "json";
        if (format is not ("json" or "csv"))
            return Fail("format", $"format '{format}' is not json or csv", out error);
        parsed = new HistoryQuery(from, to, nic.Length > 0 ? nic : null, format, router);
        return true;
    }

    public static bool TryInt(IQueryCollection query, string name, int fallback, int min, int max, out int value, [NotNullWhen(false)] out FieldError? error) =>
        TryInt(query.TryGetValue(name, out var text) ? text.ToString() : null, name, fallback, min, max, out value, out error);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when <paramref name="text"/> is absent.</summary>
    public static bool TryInt(string? text, string name, int fallback, int min, int max, out int value, [NotNullWhen(false)] out FieldError? error)
    {
        value = fallback;
        error = null;
        if (text is null)
            return true;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        return Fail(name, $"{name} '{text}' is not a whole number from {min} to {max}", out error);
    }

    private static bool TryTime(IQueryCollection query, string name, DateTimeOffset fallback, out DateTimeOffset value, [NotNullWhen(false)] out FieldError? error)
    {
        (value, error) = (fallback, null);
        if (!query.TryGetValue(name, out var values))
            return true;
        var text = values.ToString();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 253_402_300_800)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        // An unescaped '+' of an offset (…T12:00:00+01:00) arrives as a space.
        if (DateTimeOffset.TryParse(text.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
            return value >= DateTimeOffset.UnixEpoch || Fail(name, $"{name} '{text}' is before 1970-01-01 (nothing is stored before then)", out error);
        return Fail(name, $"{name} '{text}' is not a time (ISO-8601 such as 2026-12-01T12:00:00Z, or Unix seconds)", out error);
    }

    private static bool Fail(string field, string message, out FieldError? error)
    {
        error = new FieldError(field, message);
        return false;
    }
}
