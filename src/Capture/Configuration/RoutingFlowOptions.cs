namespace RoutingFlow.Capture.Configuration;

/// <summary>Everything under the <c>RoutingFlow</c> configuration section.</summary>
public sealed class RoutingFlowOptions
{
    public const string Section = "RoutingFlow";

    /// <summary>Path of the WAN declarations (<c>nic.json</c>), relative to the content root.</summary>
    public string NicFile { get; set; } = "nic.json";

    public CaptureOptions Capture { get; set; } = new();

    public MappingOptions Mapping { get; set; } = new();

    public SecurityOptions Security { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public ProbeOptions Probe { get; set; } = new();

    public LegacyPortsOptions LegacyPorts { get; set; } = new();

    public MonitorOptions Monitor { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();

    public TcpAnalysisOptions Tcp { get; set; } = new();

    public ConnectionOptions Connections { get; set; } = new();

    public NetworkOptions Network { get; set; } = new();

    /// <summary>Directory of the server's state (the correction factor), relative to the content root unless absolute.</summary>
    public string DataDirectory { get; set; } = "data";
}

public sealed class SecurityOptions
{
    /// <summary>Key that non-loopback clients send in <c>X-Api-Key</c> to change state. None: only loopback may.</summary>
    public string? ApiKey { get; set; }
}

public sealed class MetricsOptions
{
    /// <summary>Per-IP series kept per WAN (highest rate first); the rest are summed under <c>ip="other"</c>.</summary>
    public int MaxIpSeriesPerNic { get; set; } = 200;
}
