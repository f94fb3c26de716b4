using System.Net;

namespace RoutingFlow.Server.Security;

/// <summary>A server that would serve per-host data to anyone on the network: refused at start with the two ways out.</summary>
public sealed class ListenRefusedException(string message) : Exception(message);

/// <summary>
/// At start: listening beyond loopback (<c>Urls</c>, <c>--urls</c>, <c>ASPNETCORE_URLS</c>, or Kestrel's configured
/// endpoints) needs <c>Security:ApiKey</c> (reads then need it) or <c>Security:PublicReads</c> (an explicit choice to
/// let anyone who reaches it read).
/// </summary>
public static class ListenCheck
{
    public static void Ensure(IConfiguration configuration, SecurityOptions security)
    {
        if (security.KeyConfigured || security.PublicReads)
            return;
        var exposed = Urls(configuration).FirstOrDefault(u => !IsLoopback(u));
        if (exposed is not null)
            throw new ListenRefusedException($"Refusing to start: {exposed} is reachable beyond loopback, and per-host traffic would be readable by anyone who reaches it. Set RoutingFlow:Security:ApiKey (reads then need the key) or RoutingFlow:Security:PublicReads=true.");
    }

    /// <summary>The addresses the server will listen on, as configured.</summary>
    public static IEnumerable<string> Urls(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            yield return url;
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
                yield return url;
        }
    }

    /// <summary>Whether a URL's host is loopback: <c>localhost</c>, 127.0.0.0/8, ::1. A wildcard (<c>*</c>, <c>+</c>, 0.0.0.0, ::) or any other host is not.</summary>
    public static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        string host;
        if (rest.StartsWith('['))
            host = rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))];
        else
            host = rest.Split(':', '/')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
