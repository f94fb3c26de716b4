using System.Globalization;

namespace RoutingFlow.Server.History;

/// <summary>
/// RFC 4180 fields: quoted when they hold a comma, quote or line break; numbers invariant; times ISO-8601 UTC. Text
/// that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR: a name taken off the wire can be
/// anything) gets a leading apostrophe, as OWASP advises.
/// </summary>
public static class Csv
{
    public static string Field(string? text)
    {
        if (text is null)
            return "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    public static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    public static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    public static string Row(params string[] fields) => string.Join(',', fields) + "\r\n";
}
