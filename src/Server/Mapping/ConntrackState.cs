using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Mapping;

/// <summary>
/// Attribution through the kernel's connection tracking, as the captures and /status see it: the shared table
/// (none with <c>Mapping:Conntrack:Mode</c> <c>off</c>), the router's interfaces the rules read, and how the reader is doing.
/// </summary>
public sealed class ConntrackState
{
    private ConntrackStatus _status;

    public ConntrackState(CaptureOptions capture, ConntrackOptions conntrack, RouterLayout layout, NicMapHolder mapping)
    {
        Mode = conntrack.Mode.ToLowerInvariant();
        Backend = capture.Backend;
        Table = Mode == ConntrackOptions.ModeOff ? null : new ConntrackTable(conntrack.MaxEntries);
        _status = new ConntrackStatus(Mode, Mode == ConntrackOptions.ModeOff ? "off" : "starting", null, null, 0, 0, null, 0);
        if (Backend == CaptureOptions.BackendConntrack)
        {
            Accountant = new ConntrackAccountant(new IpClassifier(new NetworkSet(layout.LocalNetworks)), mapping, Router, capture.MaxTrackedIps, capture.IdleTimeout);
        }
    }

    public string Mode { get; }

    /// <summary><c>Capture:Backend</c>: <c>pcap</c>, or <c>conntrack</c> (accounting from the connections' counters).</summary>
    public string Backend { get; }

    /// <summary>The accounting from conntrack counters (backend <c>conntrack</c> only).</summary>
    public ConntrackAccountant? Accountant { get; }

    /// <summary>Something that makes attribution less current than it could be (the kernel sends no events), for /status and the dashboard.</summary>
    public string? Warning { get; set; }

    /// <summary>Whether the kernel counts bytes per connection (<c>net.netfilter.nf_conntrack_acct</c>), as the backend found or made it.</summary>
    public string? Accounting { get; set; }

    /// <summary>The conntrack backend's accounting as a capture's snapshot (null before its first read, or with backend pcap).</summary>
    public CaptureSnapshot? Latest => Accountant?.Latest is { } p && Status.State == "running"
        ? new CaptureSnapshot(p.MonotonicMicros, p.Entries, p.Decode, default, p.Evictions, p.Overflows, p.Attribution)
        : null;

    public ConntrackTable? Table { get; }

    public RouterInterfacesHolder Router { get; } = new();

    /// <summary>Written by the reader's thread, read by /status, the metrics and the dashboard.</summary>
    public ConntrackStatus Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

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
