namespace RoutingFlow.Server.Tests.Hosting;

/// <summary>A value to send: <see cref="Text"/> percent-encoded, or as written when <see cref="Raw"/> (bytes that are not UTF-8).</summary>
public sealed record HostileValue(string Text, bool Raw = false)
{
    public string Encoded => Raw ? Text : Uri.EscapeDataString(Text);

    public override string ToString() => Text.Length > 40 ? $"{Text[..40]}… ({Text.Length} chars)" : Text;
}

/// <summary>
/// The values the hostile-input walk sends in every parameter and body field: wrong types, empty, huge, negative,
/// out of range, unicode, injection-shaped, malformed JSON.
/// </summary>
public static class HostileValues
{
    public const int Megabyte = 1_000_000;

    /// <summary>For a query or path parameter.</summary>
    public static IReadOnlyList<HostileValue> Query { get; } =
    [
        // empty and blank
        new(""), new(" "), new("\t"), new("\n"), new("\r\n"), new("\u00a0"),
        // wrong types
        new("true"), new("false"), new("null"), new("undefined"), new("[]"), new("{}"), new("[1,2]"), new("{\"a\":1}"), new("abc"),
        // numbers: negative, out of range, odd forms
        new("-1"), new("-0"), new("0"), new("-2147483649"), new("2147483648"), new("9223372036854775808"), new("-9223372036854775809"),
        new("1e309"), new("-1e309"), new("1e-400"), new("NaN"), new("Infinity"), new("-Infinity"), new("-0.5"), new("1.5e7"), new("0x1F"),
        new("1_000"), new("1 000"), new("1,5"), new("١٢٣"), new("１２３"), new("99999999999999999999999999999999"),
        // times
        new("2026-13-45"), new("9999-12-31T23:59:59Z"), new("0001-01-01"), new("253402300800"), new("2026-12-01T12:00:00+25:00"), new("now"), new("yesterday"),
        // unicode
        new("é"), new("日本語"), new("🙂"), new("\u202eRTL"), new("\ufeffbom"), new("e\u0301"), new("a\u0000b"), new("\u0000"), new("\u0007\u001b[31m"),
        new("%ED%A0%80", Raw: true), new("%FF%FE", Raw: true), new("%C0%AF", Raw: true), new("%", Raw: true), new("%zz", Raw: true),
        // injection-shaped
        new("' OR 1=1 --"), new("1; DROP TABLE incidents;--"), new("\" OR \"\"=\""), new("<script>alert(1)</script>"), new("../../../../etc/passwd"),
        new("..%2f..%2fetc%2fpasswd"), new("${jndi:ldap://127.0.0.1/x}"), new("{{7*7}}"), new("%s%s%s%n"), new("$(reboot)"), new("`id`"),
        new("| cat /etc/passwd"), new("\r\nSet-Cookie: x=1"), new("*"), new("%%"), new("_"), new("\\"), new("'"), new("\""), new(";"), new("&"), new("="),
        new("?"), new("#"), new("/"), new("//"), new("\\\\server\\share"), new("file:///etc/passwd"), new("http://127.0.0.1:1/"), new("a\rb"),
        new("wan0\u0000"), new("WAN0"), new("wan0 ,wan1"), new("256.256.256.256"), new("1.2.3.4/33"), new("fe80::1%eth0"), new("10.0.0.1\n"),
        new("::ffff:999.1.1.1"), new("-1.-1.-1.-1"),
        // huge
        new(new string('a', 4096)), new(new string('9', 4096)), new(string.Concat(Enumerable.Repeat("日本", 1024))), new(new string('x', Megabyte)),
    ];

    /// <summary>For a JSON body field: JSON texts of every kind, then every query value as a JSON string.</summary>
    public static IReadOnlyList<string> Json { get; } =
    [
        "null", "true", "false", "0", "-1", "-0", "1.5", "1e309", "-1e309", "2147483648", "9223372036854775808", "[]", "{}", "[1]", "[\"a\"]",
        "{\"a\":{}}", "[[]]", string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)),
        "\"\\u0000\"", "\"\\ud800\"", "\"\\u202e\"", "\"" + new string('a', Megabyte) + "\"",
        .. Query.Where(v => !v.Raw && v.Text.Length < Megabyte).Select(v => System.Text.Json.JsonSerializer.Serialize(v.Text)),
    ];

    /// <summary>Bodies that are not JSON, or not the object asked for.</summary>
    public static IReadOnlyList<string> MalformedBodies { get; } =
    [
        "{", "}", "[", "{\"", "{\"iface\":", "{\"iface\":\"a\",}", "{'iface':'a'}", "{iface:\"a\"}", "\u0000", "<xml/>", "null", "[]", "\"x\"", "1",
        "true", "{\"iface\":\"a\"\"action\":\"add\"}", "{\"moves\":[{]}", "{\"moves\":", "\ufeff{}", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":\"\u0001\"}", "/* c */ {}", "{} {}", "{\"a\":1} trailing", " ", "\r\n",
        string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + string.Concat(Enumerable.Repeat("}", 300)),
        "{\"iface\":\"" + new string('a', 100_000), new string('{', 100_000),
    ];
}
