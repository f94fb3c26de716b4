using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Tcp;

/// <summary>
/// Gives every capture the server opens a <see cref="TcpAnalyzer"/>, attributing flows to WANs as its accounting
/// does, and keeps them by interface (<see cref="Analyzers"/>) for the TCP feature's readers.
/// </summary>
public sealed class TcpAnalysisFactory(TcpAnalysisOptions options, NetworkOptions network) : ICaptureConsumerFactory
{
    public ConsumerRegistry<TcpAnalyzer> Analyzers { get; } = new();

    public IPacketConsumer Create(CaptureContext context) => Analyzers.Add(context.Spec.Interface, new TcpAnalyzer(options,
        new WanAttribution(context.Spec.Role, context.WanNic, context.Classifier, context.Mapping, context.Connections), network.ConnectTimeout));
}
