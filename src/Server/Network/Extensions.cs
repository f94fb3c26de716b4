using RoutingFlow.Server.Metrics;
namespace RoutingFlow.Server.Network;

public static class Extensions
{
    /// <summary>The network monitor: the router's sockets and the kernel's protocol counters, scanned in the background.</summary>
    public static void AddNetworkMonitor(this WebApplicationBuilder builder, RoutingFlow.Capture.Configuration.RoutingFlowSettings settings)
    {
        builder.Services.AddSingleton<NetworkState>();
        builder.Services.AddSingleton(new RoutingFlow.Capture.Protocols.NameCache(settings.Options.Network.MaxNames));
        builder.Services.AddSingleton(sp => new ProtocolAnalysisFactory(settings.Options.Network, sp.GetRequiredService<RoutingFlow.Capture.Protocols.NameCache>()));
        builder.Services.AddSingleton<RoutingFlow.Capture.Pipeline.ICaptureConsumerFactory>(sp => sp.GetRequiredService<ProtocolAnalysisFactory>());
        builder.Services.AddSingleton(sp => new SocketCollector(settings.Options.Network, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<SocketStatsWorker>();
        builder.Services.AddSingleton(sp => new BandwidthCollector(settings.Options.Network, sp.GetRequiredService<Capture.CaptureManager>(),
            sp.GetRequiredService<Traffic.TrafficState>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<BandwidthWorker>();
        builder.Services.AddMetricsSource(f => new NetworkMetrics(f), (sp, m) =>
        {
            var state = sp.GetRequiredService<NetworkState>();
            return () => m.Update(state.Sockets);
        });
        builder.Services.AddMetricsSource(f => new InterfaceMetrics(f), (sp, m) =>
        {
            var state = sp.GetRequiredService<NetworkState>();
            return () => m.Update(state.Bandwidth);
        });
        builder.Services.AddMetricsSource(f => new HandshakeMetrics(f), (sp, m) =>
        {
            var health = sp.GetRequiredService<Tcp.TcpHealth>();
            return () => m.Update(HandshakeViews.Of(health));
        });
        builder.Services.AddMetricsSource(f => new ProtocolMetrics(f), (sp, m) =>
        {
            var captures = sp.GetRequiredService<Capture.CaptureManager>();
            var names = sp.GetRequiredService<RoutingFlow.Capture.Protocols.NameCache>();
            var protocols = sp.GetRequiredService<ProtocolAnalysisFactory>();
            return () => m.Update(ProtocolViews.Of(captures, protocols), names.Counters);
        });
    }
}
