using Prometheus;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Capture;
using RoutingFlow.Web.Traffic;
using RoutingFlow.Server.Mapping;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Probing;
using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Tcp;
using RoutingFlow.Server.Devices;
using RoutingFlow.Server.Traffic;

namespace RoutingFlow.Server.Metrics;

public static class Extensions
{
    /// <summary>One registry per host (not prometheus-net's static default), with process metrics and ours.</summary>
    public static void AddMetrics(this WebApplicationBuilder builder, RoutingFlowSettings settings)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(new TrafficMetrics(factory, settings.Options.Metrics.MaxIpSeriesPerNic));
        builder.Services.AddSingleton(new HealthMetrics(factory));
        builder.Services.AddSingleton(new ProbeMetrics(factory));
        builder.Services.AddSingleton(new MonitorMetrics(factory));
        builder.Services.AddSingleton(new StorageMetrics(factory));
        builder.Services.AddSingleton(new AlertMetrics(factory));
        builder.Services.AddSingleton(new TcpMetrics(factory));
        builder.Services.AddSingleton(new DeviceMetrics(factory));
        builder.Services.AddSingleton(new Network.NetworkMetrics(factory));
        builder.Services.AddSingleton(new Network.InterfaceMetrics(factory));
        builder.Services.AddSingleton(new Network.HandshakeMetrics(factory));
        builder.Services.AddSingleton(new TableMetrics(factory));
        builder.Services.AddSingleton(new Network.ProtocolMetrics(factory));
        builder.Services.AddSingleton(new AttributionMetrics(factory));
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format.</summary>
    public static void MapMetricsApi(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        var health = app.Services.GetRequiredService<HealthMetrics>();
        var captures = app.Services.GetRequiredService<CaptureManager>();
        var mapping = app.Services.GetRequiredService<MappingPoller>();
        registry.AddBeforeCollectCallback(() => health.Update(captures.Sessions, mapping.Status));
        var probes = app.Services.GetRequiredService<ProbeMetrics>();
        var probeState = app.Services.GetRequiredService<ProbeState>();
        registry.AddBeforeCollectCallback(() => probes.Update(probeState));
        var monitor = app.Services.GetRequiredService<MonitorMetrics>();
        var monitorState = app.Services.GetRequiredService<MonitorState>();
        registry.AddBeforeCollectCallback(() => monitor.Update(monitorState));
        var storage = app.Services.GetRequiredService<StorageMetrics>();
        var writer = app.Services.GetRequiredService<StorageWriter>();
        registry.AddBeforeCollectCallback(() => storage.Update(writer.Status));
        var alerts = app.Services.GetRequiredService<AlertMetrics>();
        var sender = app.Services.GetRequiredService<AlertSender>();
        registry.AddBeforeCollectCallback(() => alerts.Update(sender.Status));
        var tcp = app.Services.GetRequiredService<TcpMetrics>();
        var tcpHealth = app.Services.GetRequiredService<TcpHealth>();
        registry.AddBeforeCollectCallback(() => tcp.Update(tcpHealth));
        var devices = app.Services.GetRequiredService<DeviceMetrics>();
        var attached = app.Services.GetRequiredService<DeviceRegistry>();
        registry.AddBeforeCollectCallback(() => devices.Update(attached));
        var network = app.Services.GetRequiredService<Network.NetworkMetrics>();
        var networkState = app.Services.GetRequiredService<Network.NetworkState>();
        registry.AddBeforeCollectCallback(() => network.Update(networkState.Sockets));
        var interfaces = app.Services.GetRequiredService<Network.InterfaceMetrics>();
        registry.AddBeforeCollectCallback(() => interfaces.Update(networkState.Bandwidth));
        var handshakes = app.Services.GetRequiredService<Network.HandshakeMetrics>();
        registry.AddBeforeCollectCallback(() => handshakes.Update(Network.HandshakeViews.Of(tcpHealth)));
        var protocols = app.Services.GetRequiredService<Network.ProtocolMetrics>();
        var names = app.Services.GetRequiredService<RoutingFlow.Capture.Protocols.NameCache>();
        registry.AddBeforeCollectCallback(() => protocols.Update(Network.ProtocolViews.Of(captures), names.Counters));
        var tables = app.Services.GetRequiredService<TableMetrics>();
        var options = app.Services.GetRequiredService<RoutingFlowSettings>().Options;
        registry.AddBeforeCollectCallback(() => tables.Update(options, captures.Sessions, attached.Devices, names));
        var attribution = app.Services.GetRequiredService<AttributionMetrics>();
        var conntrack = app.Services.GetRequiredService<ConntrackState>();
        var nicMap = app.Services.GetRequiredService<RoutingFlow.Capture.Mapping.NicMapHolder>();
        registry.AddBeforeCollectCallback(() => attribution.Update(conntrack, captures.Sessions, nicMap.Current));
        var traffic = app.Services.GetRequiredService<TrafficMetrics>();
        app.Services.GetRequiredService<TrafficState>().Changed += traffic.Update;
        app.MapMetrics("/metrics", registry);
    }
}
