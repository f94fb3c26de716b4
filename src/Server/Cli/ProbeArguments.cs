using System.Diagnostics.CodeAnalysis;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// Arguments of <c>probe</c>, the original tool's flags: <c>-i/--interface</c> and <c>-s/--server</c> (each
/// repeatable; a server is <c>host</c> or <c>host:port</c>, port 443 by default), <c>--method</c>,
/// <c>--url</c> (download/upload; with servers, each server replaces the URL's host), <c>--once</c>, and
/// configuration overrides (<c>--RoutingFlow:Probe:Duration=00:00:05</c>).
/// </summary>
public sealed record ProbeArguments(IReadOnlyList<string> Interfaces, IReadOnlyList<ProbeTarget> Targets, bool Once, string[] Overrides)
{
    public static bool TryParse(string[] args, [NotNullWhen(true)] out ProbeArguments? parsed, out string? error, out bool missing)
    {
        parsed = null;
        missing = false;
        var (interfaces, servers, overrides) = (new List<string>(), new List<string>(), new List<string>());
        var (method, url, once) = ("window", (string?)null, false);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-i" or "--interface" or "-s" or "--server" or "--method" or "--url")
            {
                if (i + 1 >= args.Length)
                    return Fail($"{arg} needs a value", out error);
                var value = args[++i];
                (arg switch { "-i" or "--interface" => interfaces, "-s" or "--server" => servers, _ => null })?.Add(value);
                method = arg == "--method" ? value : method;
                url = arg == "--url" ? value : url;
            }
            else if (arg == "--once")
                once = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('='))
                overrides.Add(arg);
            else
                return Fail($"unexpected argument '{arg}'", out error);
        }
        missing = interfaces.Count == 0 || (servers.Count == 0 && (url is null || method == "window"));
        if (interfaces.Count == 0)
            return Fail("no interface given: add -i INTERFACE", out error);
        if (!BuildTargets(method, servers, url, out var targets, out error))
            return false;
        parsed = new ProbeArguments(interfaces, targets, once, [.. overrides]);
        return true;
    }

    private static bool BuildTargets(string methodText, List<string> servers, string? url, out List<ProbeTarget> targets, out string? error)
    {
        targets = [];
        if (!ProbeMethods.TryParse(methodText, out var method))
            return Fail($"--method '{methodText}' is not window, download or upload", out error);
        if (method == ProbeMethod.Window)
            return servers.Count > 0 ? WindowTargets(servers, targets, out error) : Fail("no server given: add -s SERVER", out error);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return Fail($"--method {method.Name()} needs --url with an absolute http(s) URL", out error);
        if (servers.Count == 0)
        {
            targets.Add(new ProbeTarget(uri.Host, method, uri.Port, uri));
            error = null;
            return true;
        }
        foreach (var server in servers)
        {
            var (host, port) = SplitPort(server, uri.Port);
            if (port is null)
                return Fail($"-s '{server}': the port is not a number between 1 and 65535", out error);
            var target = new UriBuilder(uri) { Host = host.Contains(':') ? $"[{host}]" : host, Port = port.Value }.Uri;
            targets.Add(new ProbeTarget(host, method, port.Value, target));
        }
        error = null;
        return true;
    }

    private static bool WindowTargets(List<string> servers, List<ProbeTarget> targets, out string? error)
    {
        foreach (var server in servers)
        {
            var (host, port) = SplitPort(server, ProbeTarget.DefaultPort);
            if (port is null)
                return Fail($"-s '{server}': the port is not a number between 1 and 65535", out error);
            targets.Add(new ProbeTarget(host, ProbeMethod.Window, port.Value, null));
        }
        error = null;
        return true;
    }

    /// <summary><c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or a bare IPv6 address.</summary>
    private static (string Host, int? Port) SplitPort(string server, int defaultPort)
    {
        var colon = server.LastIndexOf(':');
        if (colon < 0 || (server.Count(c => c == ':') > 1 && !server.StartsWith('[')))
            return (server.Trim('[', ']'), defaultPort);
        var host = server[..colon].Trim('[', ']');
        return int.TryParse(server[(colon + 1)..], out var port) && port is >= 1 and <= 65535 ? (host, port) : (host, null);
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
