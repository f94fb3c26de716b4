namespace RoutingFlow.Capture.Configuration;

/// <summary>
/// The capture's part of the <c>RoutingFlow</c> configuration section. The server's features (monitor, storage,
/// alerts, security, metrics, legacy ports) own their sections in the server, each validated where it is defined.
/// </summary>
public sealed class RoutingFlowOptions
{
    public const string Section = "RoutingFlow";

    /// <summary>Path of the WAN declarations (<c>nic.json</c>), relative to the content root.</summary>
    public string NicFile { get; set; } = "nic.json";

    public CaptureOptions Capture { get; set; } = new();

    public MappingOptions Mapping { get; set; } = new();

    public ProbeOptions Probe { get; set; } = new();

    public TcpAnalysisOptions Tcp { get; set; } = new();

    public ConnectionOptions Connections { get; set; } = new();

    public NetworkOptions Network { get; set; } = new();

    /// <summary>Directory of the server's state (the correction factor), relative to the content root unless absolute.</summary>
    public string DataDirectory { get; set; } = "data";
}
