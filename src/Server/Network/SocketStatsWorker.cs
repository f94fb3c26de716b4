using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Network;

/// <summary>Every <c>Network:SocketScanInterval</c>: a scan of the router's sockets and kernel counters, published for the API and <c>/metrics</c>.</summary>
public sealed class SocketStatsWorker(SocketCollector collector, NetworkState state, RoutingFlowSettings settings, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        state.Sockets = collector.Scan();
        using var timer = new PeriodicTimer(settings.Options.Network.SocketScanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            state.Sockets = collector.Scan();
    }
}

/// <summary>What the network monitor knows now (read by the API, the metrics and the dashboard).</summary>
public sealed class NetworkState
{
    private volatile SocketScan _sockets = SocketScan.Empty;

    public SocketScan Sockets
    {
        get => _sockets;
        set => _sockets = value;
    }
}
