using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Configuration;

/// <summary>Validates <c>RoutingFlow:Probe</c>; every problem is reported with its key.</summary>
internal static class ProbeSettingsBuilder
{
    private const string Key = RoutingFlowOptions.Section + ":Probe";

    public static ProbeSettings Build(ProbeOptions probe, IReadOnlyList<NicDeclaration> nics, List<string> errors)
    {
        var targets = BuildTargets(probe.Targets, errors);
        var interfaces = BuildInterfaces(probe.Interfaces, nics, errors);
        CheckScalars(probe, errors);
        return new ProbeSettings(targets, interfaces, ProbeTiming.From(probe), probe.Interval, probe.Smoothing, probe.CorrectionFactor);
    }

    private static List<ProbeTarget> BuildTargets(List<ProbeTargetOptions> options, List<string> errors)
    {
        var targets = new List<(int Index, ProbeTarget Target)>();
        for (var i = 0; i < options.Count; i++)
        {
            if (BuildTarget(options[i], $"{Key}:Targets:{i}", errors) is not { } target)
                continue;
            if (targets.FirstOrDefault(t => t.Target == target) is { Target: not null } first)
                errors.Add($"{Key}:Targets:{i} repeats target {first.Index} ({target})");
            targets.Add((i, target));
        }
        return targets.Select(t => t.Target).ToList();
    }

    private static ProbeTarget? BuildTarget(ProbeTargetOptions target, string key, List<string> errors)
    {
        if (!ProbeMethods.TryParse(target.Method, out var method))
        {
            errors.Add($"{key}:Method '{target.Method}' is not window, download or upload");
            return null;
        }
        if (method == ProbeMethod.Window)
            return WindowTarget(target, key, errors);
        if (target.Url is null || !Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"{key}:Url '{target.Url}' is not an absolute http(s) URL (a {method.Name()} target needs one)");
            return null;
        }
        return new ProbeTarget(string.IsNullOrWhiteSpace(target.Server) ? url.Host : target.Server.Trim(), method, url.Port, url);
    }

    private static ProbeTarget? WindowTarget(ProbeTargetOptions target, string key, List<string> errors)
    {
        var port = target.Port ?? ProbeTarget.DefaultPort;
        if (string.IsNullOrWhiteSpace(target.Server))
            errors.Add($"{key}:Server is empty (a window target needs the host or IP to connect to)");
        if (port is < 1 or > 65535)
            errors.Add($"{key}:Port is {port}; it must be between 1 and 65535");
        if (target.Url is not null)
            errors.Add($"{key}:Url is set but Method is window (which connects to Server:Port); use download or upload for a URL");
        return string.IsNullOrWhiteSpace(target.Server) || port is < 1 or > 65535 || target.Url is not null
            ? null
            : new ProbeTarget(target.Server.Trim(), ProbeMethod.Window, port, null);
    }

    private static List<ProbeInterface> BuildInterfaces(List<string> names, IReadOnlyList<NicDeclaration> nics, List<string> errors)
    {
        if (names.Count == 0)
            return nics.DistinctBy(n => n.Interface).Select(n => new ProbeInterface(n.Interface, n.Name)).ToList(); // two unresolved 'auto' WANs are one
        var interfaces = new List<ProbeInterface>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i]?.Trim() ?? "";
            if (name.Length == 0)
                errors.Add($"{Key}:Interfaces:{i} is empty");
            else if (interfaces.Any(p => p.Interface == name))
                errors.Add($"{Key}:Interfaces:{i} '{name}' is listed twice");
            else
                interfaces.Add(new ProbeInterface(name, nics.FirstOrDefault(n => n.Interface == name)?.Name));
        }
        return interfaces;
    }

    private static void CheckScalars(ProbeOptions probe, List<string> errors)
    {
        ConfigChecks.Span(errors, "Probe:Interval:Window", probe.Interval.Window, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        ConfigChecks.Span(errors, "Probe:Interval:Download", probe.Interval.Download, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        ConfigChecks.Span(errors, "Probe:Interval:Upload", probe.Interval.Upload, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        ConfigChecks.Span(errors, "Probe:ConnectTimeout", probe.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        ConfigChecks.Span(errors, "Probe:Duration", probe.Duration, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
        ConfigChecks.Range(errors, "Probe:MaxBytes", probe.MaxBytes, 65_536, 10_000_000_000, "bytes");
        ConfigChecks.Range(errors, "Probe:DiscardFirst", probe.DiscardFirst, 0, 0.9, minExclusive: false);
        ConfigChecks.Range(errors, "Probe:Smoothing", probe.Smoothing, 0, 1, minExclusive: true);
        ConfigChecks.Range(errors, "Probe:CorrectionFactor", probe.CorrectionFactor, 0, ProbeOptions.MaxCorrectionFactor, minExclusive: true);
    }
}
