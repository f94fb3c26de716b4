namespace RoutingFlow.Server.Status;

/// <summary>GET /status. Property names are a contract with scripts.</summary>
public sealed record StatusResponse(
    string DefaultNic,
    MappingDto Mapping,
    IReadOnlyList<NicDto> Nics,
    IReadOnlyList<CaptureDto> Captures,
    ProbeSummaryDto Probe,
    IReadOnlyList<LegacyPortDto> LegacyPorts,
    StorageDto Storage,
    AlertsDto Alerts,
    DevicesStatusDto Devices,
    MemoryDto Memory,
    Fleet.FleetStatusDto Fleet);

/// <summary>
/// The process's memory: resident set, the managed heap and what the collector holds committed (as of its last
/// collection), the capture rings mapped (native, outside the heap), and the collector's mode.
/// </summary>
public sealed record MemoryDto(long RssBytes, long ManagedHeapBytes, long GcCommittedBytes, long CaptureRingBytes, string Gc);

/// <summary>
/// The devices attached for connection statistics: how many, running and failed, and the shared capture of
/// <c>any</c> that counts those without a WAN/LAN capture of their own (null while there is none): its state, kernel
/// filter, frames and drops.
/// </summary>
/// <param name="Backend">What counts the attached devices: <c>ebpf</c> (the kernel's programs) or <c>pcap</c>.</param>
public sealed record DevicesStatusDto(int Attached, int Running, int Failed, SharedCaptureDto? SharedCapture, string Backend, KernelCountersDto Kernel);

/// <summary>
/// The kernel counting programs: <c>off</c> (backend pcap or conntrack), <c>running</c> or <c>failed</c> (with the error
/// and its fix; under <c>auto</c> libpcap counts instead), the devices they are attached to, and the connection map's fill.
/// </summary>
/// <summary>
/// The kernel counting programs: the connection map's fill (entries at the last read, its size, the kernel's LRU
/// evictions since load) and the host map's.
/// </summary>
public sealed record KernelCountersDto(string State, string? Error, string? Fix, int AttachedDevices, int MapEntries, int MapMaxEntries, long MapEvictions,
    int HostMapEntries, int HostMapMaxEntries, long HostMapEvictions);

public sealed record SharedCaptureDto(string State, string? Error, string Filter, long ReceivedByFilter, long Drops, long Unattributed);

/// <summary>The webhooks: how many, alerts waiting, delivered, failed attempts, given up, the last error (webhooks named by index).</summary>
public sealed record AlertsDto(int Webhooks, int Pending, long Sent, long Failures, long GivenUp, string? LastError);

/// <summary>The database: <see cref="State"/> starting, ok or failing (writes kept and retried).</summary>
public sealed record StorageDto(string Path, string State, string? LastError, DateTimeOffset? LastFlush, int Pending, long Written, long Dropped, long Errors);

public sealed record MappingDto(
    string Source,
    string? Url,
    bool Healthy,
    string? LastError,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt,
    long ConsecutiveFailures,
    double NextPollSeconds,
    long Version,
    IReadOnlyList<MappingRuleDto> Rules,
    ConntrackDto Conntrack);

/// <summary>
/// Attribution through the kernel's connection tracking: the mode, the reader's state (<c>off</c>, <c>starting</c>,
/// <c>running</c>, <c>unavailable</c>, <c>failed</c>) with the reason and the fix, the table's size, resyncs after lost
/// events and evictions, and per WAN the packets by what attributed them (<c>nat</c>, <c>mark</c>, <c>route</c>,
/// <c>map</c>, <c>unattributed</c>) with their shares; <c>backend</c> is <c>Capture:Backend</c> and, with
/// <c>conntrack</c>, <c>accounting</c> says whether the kernel counts bytes per connection.
/// </summary>
public sealed record ConntrackDto(
    string Mode,
    string State,
    string? Error,
    string? Fix,
    int Entries,
    int MaxEntries,
    long Resyncs,
    long Evictions,
    long Messages,
    long Malformed,
    double? LastDumpSeconds,
    long RouteRequests,
    string? RouteError,
    IReadOnlyList<AttributionDto> Sources,
    string Backend,
    string? Accounting,
    string? Warning);

/// <summary>One WAN's packets by attribution source (<c>nic</c> empty: packets on no WAN).</summary>
public sealed record AttributionDto(string Nic, long Packets, IReadOnlyDictionary<string, long> BySource, IReadOnlyDictionary<string, double> Shares);

public sealed record MappingRuleDto(string Cidr, string Nic, string Source);

/// <summary>
/// A WAN: its rates, its capacity per direction after correction (null: unknown) with its probe state (pending,
/// ok, degraded, unknown, disabled), and the monitor's view: actual rates without the probes' own, utilisation
/// under the compare rule, <see cref="State"/> ok / overloaded / unknown, the busiest IPs while overloaded, the open incident.
/// </summary>
public sealed record NicDto(
    string Name,
    string Interface,
    double RxBps,
    double TxBps,
    double? RxCapacityBps,
    double? TxCapacityBps,
    string ProbeState,
    double ActualRxBps,
    double ActualTxBps,
    double? Utilization,
    string? Compare,
    string State,
    IReadOnlyList<IpRateDto> TopRx,
    IReadOnlyList<IpRateDto> TopTx,
    IncidentSummaryDto? Incident,
    string? OverDirection,
    IReadOnlyList<CulpritDto> Culprits);

/// <summary>A host an overload names: its rate in one direction (bit/s) and its share of that direction's traffic (0–1).</summary>
public sealed record CulpritDto(string Ip, string? Name, string Direction, double Bps, double Share);

/// <summary>An IP, its rate (bit/s) and the name DNS or TLS gave it on the wire (null when none is known).</summary>
public sealed record IpRateDto(string Ip, double Bps, string? Name);

/// <summary>An open incident in /status: when it started, its peak and the top IPs at the peak.</summary>
public sealed record IncidentSummaryDto(long Id, DateTimeOffset StartedAt, double PeakUtilization, IReadOnlyList<IpRateDto> TopRx, IReadOnlyList<IpRateDto> TopTx,
    string? OverDirection, IReadOnlyList<CulpritDto> Culprits, DiagnosisSummaryDto? Diagnosis);

/// <summary>An open incident's diagnosis in short (null until diagnosed); <c>/api/incidents</c> has the evidence.</summary>
public sealed record DiagnosisSummaryDto(string Cause, double Confidence, string Text);

/// <summary>The capacity probes in short; GET /api/probe has every target.</summary>
public sealed record ProbeSummaryDto(bool Enabled, double CorrectionFactor, int Targets, int FailingTargets);

public sealed record LegacyPortDto(int Port, string Path, bool Listening, string? Error);

public sealed record CaptureDto(
    string Interface,
    string Role,
    string? Nic,
    string State,
    string? Error,
    long Packets,
    long Bytes,
    long Drops,
    long Malformed,
    long Truncated,
    int TrackedIps,
    long Evictions,
    long ReceivedByFilter,
    CaptureTcpDto? Tcp,
    double? Coverage,
    string Backend, // what counts the hosts: ebpf (the kernel) or pcap
    int? Ifindex = null, // the interface's ifindex the capture opened (null before it opened)
    long Reopens = 0, // opened again under another ifindex (the interface deleted and re-created, or renamed)
    string? BackendNote = null); // why the hosts are counted as they are when it is not the backend's plain choice (conntrack attribution)

/// <summary>The capture's TCP health in short (null before its first publication); GET /api/tcp/summary has the rest.</summary>
public sealed record CaptureTcpDto(long TcpPackets, int ActiveConnections, long Missing, long Duplicate, long OutOfOrder, long ZeroWindow, long FlowEvictions);
