using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Protocols;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Network;

/// <summary>
/// Gives every capture the server opens a <see cref="ProtocolAnalyzer"/> (the protocol inspection), all naming
/// addresses in one <see cref="NameCache"/>, and keeps them by interface (<see cref="Analyzers"/>).
/// </summary>
public sealed class ProtocolAnalysisFactory(RoutingFlow.Capture.Configuration.NetworkOptions options, NameCache names) : ICaptureConsumerFactory
{
    public ConsumerRegistry<ProtocolAnalyzer> Analyzers { get; } = new();

    public IPacketConsumer Create(CaptureContext context) => Analyzers.Add(context.Spec.Interface, new ProtocolAnalyzer(options.MaxMessageTypes, names));
}

/// <summary>One capture's protocol inspection as the API, the metrics and the page show it.</summary>
public sealed record CaptureProtocols(string Interface, string Role, ProtocolSnapshot Protocols);

public static class ProtocolViews
{
    /// <summary>Every capture's last publication (captures not published yet are left out).</summary>
    public static List<CaptureProtocols> Of(CaptureManager captures, ProtocolAnalysisFactory protocols) =>
        [.. captures.Sessions.Select(s => (s, protocols.Analyzers.Of(s.Interface)?.Latest))
            .Where(p => p.Latest is not null)
            .Select(p => new CaptureProtocols(p.s.Interface, p.s.Spec.Role.ToString().ToLowerInvariant(), p.Latest!))];
}
