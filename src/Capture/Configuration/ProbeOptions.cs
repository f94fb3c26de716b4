namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// <c>RoutingFlow:Probe</c>: how each WAN's available bandwidth is estimated. No targets (the default): nothing is
/// probed. Every target is probed on every interface; interfaces run concurrently, the targets of one interface
/// one after another.
/// </summary>
public sealed class ProbeOptions
{
    /// <summary>What to probe: <c>{ "Server": "host-or-ip", "Port": 443, "Method": "window" }</c>, or <c>{ "Server": "name", "Url": "http://…", "Method": "download" | "upload" }</c>.</summary>
    public List<ProbeTargetOptions> Targets { get; set; } = [];

    /// <summary>Interfaces the probes leave by (bound with SO_BINDTODEVICE). Empty: the WAN interfaces of nic.json.</summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>How often each method runs on each interface.</summary>
    public ProbeIntervalOptions Interval { get; set; } = new();

    /// <summary>How long a TCP connect (and, for HTTP, the wait for the response headers) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a download or upload probe transfers.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Most bytes one download or upload probe transfers (it stops at Duration or MaxBytes, whichever comes first).</summary>
    public long MaxBytes { get; set; } = 25_000_000;

    /// <summary>Share of a transfer's time discarded at its start (TCP slow start) before goodput is measured, 0–0.9.</summary>
    public double DiscardFirst { get; set; } = 0.2;

    /// <summary>Weight of a target's newest estimate against its previous one (exponential smoothing), (0, 1]; 1: no smoothing.</summary>
    public double Smoothing { get; set; } = 1.0;

    /// <summary>Factor every reported estimate is multiplied by until one is set over HTTP (<c>/tcpflow?value=</c>), which then persists.</summary>
    public double CorrectionFactor { get; set; } = 1.0;

    public const double MaxCorrectionFactor = 1_000_000;
}

/// <summary>One probe target.</summary>
public sealed class ProbeTargetOptions
{
    /// <summary>window: the host or IP to connect to. download/upload: the target's name (default: the URL's host).</summary>
    public string? Server { get; set; }

    /// <summary>window: the TCP port (default 443).</summary>
    public int? Port { get; set; }

    /// <summary>download: a URL whose GET returns a large body. upload: a URL that accepts a POST body.</summary>
    public string? Url { get; set; }

    /// <summary><c>window</c> (default), <c>download</c> or <c>upload</c>.</summary>
    public string Method { get; set; } = "window";
}

/// <summary>Probe interval per method.</summary>
public sealed class ProbeIntervalOptions
{
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Download { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan Upload { get; set; } = TimeSpan.FromMinutes(5);
}
