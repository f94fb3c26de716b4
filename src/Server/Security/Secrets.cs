namespace RoutingFlow.Server.Security;

/// <summary>
/// What may be shown of a configured URL (in /status, logs, API answers and error texts): its scheme, host, port and
/// path, without the user name and password and with every query value hidden — where tokens are put. Webhook URLs,
/// whose paths often are the secret, are never shown at all; keys, bearer tokens and connection-string passwords
/// neither.
/// </summary>
public static class Secrets
{
    public const string Hidden = "…";

    public static string? Url(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return url is null ? null : Hidden;
        var query = uri.Query.Length <= 1 ? "" : "?" + string.Join('&', uri.Query[1..].Split('&').Select(p => p.Split('=')[0] + "=" + Hidden));
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{query}";
    }
}
