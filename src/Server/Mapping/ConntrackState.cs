using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;

namespace RoutingFlow.Server.Mapping;

/// <summary>
/// Attribution through the kernel's connection tracking, as the captures and /status see it: the shared table
/// (none with <c>Mapping:Conntrack:Mode</c> <c>off</c>), the router's interfaces the rules read, and how the reader is doing.
/// </summary>
public sealed class ConntrackState
{
    public ConntrackState(RoutingFlowSettings settings)
    {
        Mode = settings.ConntrackMode;
        Table = Mode == ConntrackOptions.ModeOff ? null : new ConntrackTable(settings.Options.Mapping.Conntrack.MaxEntries);
        Status = new ConntrackStatus(Mode, Mode == ConntrackOptions.ModeOff ? "off" : "starting", null, null, 0, 0, null, 0);
    }

    public string Mode { get; }

    public ConntrackTable? Table { get; }

    public RouterInterfacesHolder Router { get; } = new();

    public ConntrackStatus Status { get; set; }

    /// <summary>A capture's own view of the table (its cache), or null when conntrack is off.</summary>
    public ConnectionAttribution? CreateAttribution() => Table is null ? null : new ConnectionAttribution(Table, Router);
}

/// <summary>
/// The conntrack reader's state for /status: <c>off</c>, <c>starting</c>, <c>running</c>, <c>unavailable</c>
/// (mode <c>auto</c>: the table cannot be read, the mapping decides) or <c>failed</c> (mode <c>on</c>), with the
/// reason and the fix.
/// </summary>
public sealed record ConntrackStatus(string Mode, string State, string? Error, string? Fix, long Messages, long Resyncs,
    double? LastDumpSeconds, long RouteRequests)
{
    public long Malformed { get; init; }

    public string? RouteError { get; init; }
}
