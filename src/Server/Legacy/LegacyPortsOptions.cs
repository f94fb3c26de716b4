using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Legacy;

/// <summary><c>RoutingFlow:LegacyPorts</c>: the original tools' loopback ports.</summary>
public sealed class LegacyPortsOptions : IFeatureOptions
{
    public static string Section => "LegacyPorts";

    /// <summary>Also listen on 127.0.0.1:59121 (<c>/metrics</c>), :32600 (<c>/tcpflow</c>) and :32599 (<c>/status</c>).</summary>
    public bool Enabled { get; set; }

    public void Validate(RoutingFlowOptions core, List<string> errors)
    {
        if (Enabled && Uri.TryCreate(core.Mapping.Url, UriKind.Absolute, out var url) && url is { IsLoopback: true, Port: 32599 })
            errors.Add($"{RoutingFlowOptions.Section}:LegacyPorts:Enabled would serve RoutingFlow's own /status on 127.0.0.1:32599, where Mapping:Url '{core.Mapping.Url}' expects the routing status API; turn one of them off");
    }
}
