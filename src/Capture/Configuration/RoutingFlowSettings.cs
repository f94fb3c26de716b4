using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// The validated, resolved configuration: WANs from <c>nic.json</c>, the captures with their roles,
/// the local networks and the static mapping. Built by <see cref="SettingsBuilder"/>.
/// </summary>
public sealed record RoutingFlowSettings(
    IReadOnlyList<NicDeclaration> Nics,
    IReadOnlyList<CaptureSpec> Captures,
    IReadOnlyList<IpNetwork> LocalNetworks,
    NicMap StaticMap,
    ProbeSettings Probe,
    RoutingFlowOptions Options)
{
    public IReadOnlyList<string> NicNames => StaticMap.Nics;

    /// <summary>The validated <c>Mapping:Conntrack:Marks</c>, in order.</summary>
    public IReadOnlyList<Conntrack.MarkRule> ConntrackMarks { get; init; } = [];

    /// <summary>The validated <c>Mapping:Conntrack:Mode</c>, lower case.</summary>
    public string ConntrackMode => Options.Mapping.Conntrack.Mode.ToLowerInvariant();

    /// <summary>The router's shape, which features take instead of the whole settings.</summary>
    public RouterLayout Layout => field ??= new RouterLayout(Nics, Captures, LocalNetworks, StaticMap, ConntrackMarks);
}

/// <summary>One interface to capture. For role <c>wan</c>, <see cref="Nic"/> is the WAN declared on that interface.</summary>
public sealed record CaptureSpec(string Interface, CaptureRole Role, string? Nic);

public enum CaptureRole
{
    Wan,
    Lan,
}

/// <summary>
/// The validated probe configuration: targets, the interfaces they are probed on (each with the WAN declared on it,
/// if any), the limits and intervals. No targets: nothing is probed.
/// </summary>
public sealed record ProbeSettings(
    IReadOnlyList<ProbeTarget> Targets,
    IReadOnlyList<ProbeInterface> Interfaces,
    ProbeTiming Timing,
    ProbeIntervalOptions Interval,
    double Smoothing,
    double CorrectionFactor)
{
    public bool Enabled => Targets.Count > 0 && Interfaces.Count > 0;

    public TimeSpan IntervalOf(ProbeMethod method) => method switch
    {
        ProbeMethod.Window => Interval.Window,
        ProbeMethod.Download => Interval.Download,
        _ => Interval.Upload,
    };
}

/// <summary>An interface probes leave by, and the WAN of nic.json on it (null when it carries none).</summary>
public sealed record ProbeInterface(string Interface, string? Nic);
