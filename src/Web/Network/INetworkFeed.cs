namespace RoutingFlow.Web.Network;

/// <summary>The network page's source: connection attempts, interface rates and coverage, the router's sockets.</summary>
public interface INetworkFeed
{
    /// <summary>Raised (on a worker thread) about once a second.</summary>
    event Action? Changed;

    NetworkPageView Current();
}

public sealed record NetworkPageView(IReadOnlyList<HandshakeRowView> Handshakes, IReadOnlyList<InterfaceRowView> Interfaces,
    IReadOnlyList<SocketStateView> Sockets, IReadOnlyList<KernelRateView> Kernel, IReadOnlyList<string> Problems)
{
    public static NetworkPageView Empty { get; } = new([], [], [], [], []);

    /// <summary>Per capture: the protocol mix (packets and bytes by protocol class).</summary>
    public IReadOnlyList<ProtocolRowView> Protocols { get; init; } = [];

    /// <summary>Per capture: DNS queries, responses, errors and latency.</summary>
    public IReadOnlyList<DnsRowView> Dns { get; init; } = [];

    /// <summary>Per capture: TLS hellos and HTTP requests, their latency and the versions seen.</summary>
    public IReadOnlyList<AppRowView> Apps { get; init; } = [];

    /// <summary>The names most recently learned for remote addresses (DNS answers, TLS server names).</summary>
    public IReadOnlyList<NameRowView> Names { get; init; } = [];

    /// <summary>How many addresses the name cache holds, of how many it may.</summary>
    public (int Held, int Capacity) NameCache { get; init; }
}

/// <summary>One capture's TLS and HTTP: <see cref="Versions"/> as "TLS 1.3 12, HTTP/1.1 4"; latency in seconds.</summary>
public sealed record AppRowView(string Interface, long ClientHellos, long ServerHellos, double? TlsP50, double? TlsP95,
    long HttpRequests, long HttpResponses, double? HttpP50, double? HttpP95, string Versions);

/// <summary>A remote address and the name DNS or TLS gave it; seconds left before it expires.</summary>
public sealed record NameRowView(string Address, string Name, string Source, double ExpiresInSeconds);

public sealed record ProtocolRowView(string Interface, string Protocol, long Packets, long Bytes);

/// <summary>One capture's DNS: <see cref="Errors"/> as "NXDOMAIN 8, REFUSED 24"; latency in seconds.</summary>
public sealed record DnsRowView(string Interface, long Queries, long Responses, long Unanswered, string Errors, double? LatencyP50, double? LatencyP95);

/// <summary>Connection attempts of one capture and WAN (Nic null: the capture as a whole).</summary>
public sealed record HandshakeRowView(string Interface, string? Nic, long Attempts, long Successes, long Refused, long TimedOut, double? ErrorRate,
    double? SetupP50, double? SetupP95);

/// <summary>One interface's rates (bit/s) now and averaged, and its capture's coverage when it has a capture.</summary>
public sealed record InterfaceRowView(string Name, double RxBps, double TxBps, double Rx1m, double Tx1m, double Rx5m, double Tx5m,
    double Rx15m, double Tx15m, double? Coverage, string? CaptureRole);

public sealed record SocketStateView(string Protocol, string State, long Count);

/// <summary>A kernel counter's rate per second (null before two scans).</summary>
public sealed record KernelRateView(string Name, long Value, double? PerSecond);
