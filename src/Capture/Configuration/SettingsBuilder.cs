using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// Validates <see cref="RoutingFlowOptions"/> together with <c>nic.json</c> and reports every problem at once,
/// each with its configuration key, so start-up fails with one message the operator can act on.
/// </summary>
public static class SettingsBuilder
{
    private const string Root = RoutingFlowOptions.Section;

    /// <param name="resolveAuto">Maps a NIC's <c>auto</c> interface to the default route's (null when there is none).</param>
    public static RoutingFlowSettings? TryBuild(RoutingFlowOptions options, IReadOnlyList<NicDeclaration> nics,
        Func<string?> resolveAuto, List<string> errors)
    {
        var resolved = nics.Select(n => n.IsAuto ? n with { Interface = resolveAuto() ?? NicDeclaration.Auto } : n).ToList();
        var captures = BuildCaptures(options.Capture, resolved, errors);
        var local = BuildLocalNetworks(options.Capture, errors);
        var statics = BuildStatic(options.Mapping, resolved, errors);
        CheckScalars(options, resolved, errors);
        CheckDistinctInterfaces(resolved, errors);
        var probe = ProbeSettingsBuilder.Build(options.Probe, resolved, errors);
        TcpChecks.Check(options.Tcp, errors);
        TcpChecks.Check(options.Connections, errors);
        NetworkChecks.Check(options.Network, errors);
        var marks = ConntrackChecks.Check(options.Mapping.Conntrack, resolved, errors);
        ConntrackChecks.CheckBackend(options.Capture, options.Mapping.Conntrack, errors);
        if (options.DataDirectory.Trim().Length == 0)
            errors.Add($"{Root}:DataDirectory is empty (a directory for the server's state, e.g. /var/lib/routingflow)");
        if (errors.Count > 0)
            return null;
        var map = new NicMap(resolved.Select(n => n.Name).ToList(), options.Mapping.DefaultNic, statics, 1);
        return new RoutingFlowSettings(resolved, captures, local, map, probe, options) { ConntrackMarks = marks };
    }

    private static List<CaptureSpec> BuildCaptures(CaptureOptions capture, List<NicDeclaration> nics, List<string> errors)
    {
        if (capture.Interfaces.Count == 0)
            return nics.Select(n => new CaptureSpec(n.Interface, CaptureRole.Wan, n.Name)).ToList();
        var specs = new List<CaptureSpec>();
        for (var i = 0; i < capture.Interfaces.Count; i++)
        {
            var key = $"{Root}:Capture:Interfaces:{i}";
            var itf = capture.Interfaces[i];
            if (string.IsNullOrWhiteSpace(itf.Name))
            {
                errors.Add($"{key}:Name is empty");
                continue;
            }
            if (specs.Any(s => s.Interface == itf.Name))
                errors.Add($"{key}:Name '{itf.Name}' is listed twice");
            if (string.Equals(itf.Role, "lan", StringComparison.OrdinalIgnoreCase))
                specs.Add(new CaptureSpec(itf.Name, CaptureRole.Lan, null));
            else if (string.Equals(itf.Role, "wan", StringComparison.OrdinalIgnoreCase))
                specs.Add(new CaptureSpec(itf.Name, CaptureRole.Wan, WanOf(itf.Name, nics, $"{key}:Role", errors)));
            else
                errors.Add($"{key}:Role '{itf.Role}' is not 'lan' or 'wan'");
        }
        return specs;
    }

    private static string? WanOf(string itf, List<NicDeclaration> nics, string key, List<string> errors)
    {
        var nic = nics.FirstOrDefault(n => n.Interface == itf);
        if (nic is null)
            errors.Add($"{key} is 'wan' but no WAN in nic.json uses interface '{itf}' (declared: {string.Join(", ", nics.Select(n => $"{n.Name}={n.Interface}"))})");
        return nic?.Name;
    }

    private static List<IpNetwork> BuildLocalNetworks(CaptureOptions capture, List<string> errors)
    {
        var texts = capture.LocalNetworks.Count > 0 ? capture.LocalNetworks : [.. CaptureOptions.DefaultLocalNetworks];
        var networks = new List<IpNetwork>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (IpNetwork.TryParse(texts[i], out var network, out var error))
                networks.Add(network);
            else
                errors.Add($"{Root}:Capture:LocalNetworks:{i}: {error}");
        }
        return networks;
    }

    private static List<MappingEntry> BuildStatic(MappingOptions mapping, List<NicDeclaration> nics, List<string> errors)
    {
        var entries = new List<MappingEntry>();
        for (var i = 0; i < mapping.Static.Count; i++)
        {
            var key = $"{Root}:Mapping:Static:{i}";
            var rule = mapping.Static[i];
            var known = nics.Any(n => n.Name == rule.Nic);
            if (!IpNetwork.TryParse(rule.Cidr, out var network, out var error))
                errors.Add($"{key}:Cidr: {error}");
            if (!known)
                errors.Add($"{key}:Nic '{rule.Nic}' is not declared in nic.json (declared: {string.Join(", ", nics.Select(n => n.Name))})");
            if (known && error is null)
                entries.Add(new MappingEntry(network, rule.Nic, "static"));
        }
        return entries;
    }

    private static void CheckScalars(RoutingFlowOptions options, List<NicDeclaration> nics, List<string> errors)
    {
        var c = options.Capture;
        var m = options.Mapping;
        if (nics.Count > 0 && nics.All(n => n.Name != m.DefaultNic))
            errors.Add($"{Root}:Mapping:DefaultNic '{m.DefaultNic}' is not declared in nic.json (declared: {string.Join(", ", nics.Select(n => n.Name))})");
        if (m.Url is not null && (!Uri.TryCreate(m.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            errors.Add($"{Root}:Mapping:Url '{m.Url}' is not an absolute http(s) URL");
        ConfigChecks.Range(errors, "Capture:SnapLength", c.SnapLength, 96, 262_144, "bytes"); // 96: IPv6 addresses behind QinQ + PPPoE
        ConfigChecks.Range(errors, "Capture:BufferSize", c.BufferSize, 65_536, int.MaxValue, "bytes");
        ConfigChecks.Range(errors, "Capture:MaxTrackedIps", c.MaxTrackedIps, 16, 16_777_216, "");
        ConfigChecks.Span(errors, "Capture:RateWindow", c.RateWindow, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Capture:IdleTimeout", c.IdleTimeout, c.RateWindow, TimeSpan.FromDays(7));
        ConfigChecks.Span(errors, "Capture:RetryInterval", c.RetryInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Capture:InterfaceWatchInterval", c.InterfaceWatchInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        ConfigChecks.Span(errors, "Mapping:PollInterval", m.PollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        ConfigChecks.Span(errors, "Mapping:Timeout", m.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
    }

    private static void CheckDistinctInterfaces(List<NicDeclaration> nics, List<string> errors)
    {
        foreach (var shared in nics.GroupBy(n => n.Interface).Where(g => g.Count() > 1 && g.Key != NicDeclaration.Auto))
            errors.Add($"nic.json: {string.Join(" and ", shared.Select(n => n.Name))} are on the same interface '{shared.Key}' (after resolving \"auto\"); each WAN needs its own");
    }
}
