using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Network;

/// <summary>Every <c>Network:SocketScanInterval</c>: a scan of the router's sockets and kernel counters, published for the API and <c>/metrics</c>.</summary>
public sealed partial class SocketStatsWorker(SocketCollector collector, NetworkState state, RoutingFlowSettings settings, TimeProvider time,
    ILogger<SocketStatsWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Options.Network.SocketScanInterval, time);
        do
        {
            try
            {
                state.Sockets = collector.Scan();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogScanFailed(logger, e); // a bug in one scan must not stop the server; the next scan tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Socket scan failed")]
    private static partial void LogScanFailed(ILogger logger, Exception e);
}

/// <summary>What the network monitor knows now (read by the API, the metrics and the dashboard).</summary>
public sealed class NetworkState
{
    private volatile SocketScan _sockets = SocketScan.Empty;
    private volatile BandwidthScan _bandwidth = BandwidthScan.Empty;

    public BandwidthScan Bandwidth
    {
        get => _bandwidth;
        set => _bandwidth = value;
    }

    public SocketScan Sockets
    {
        get => _sockets;
        set => _sockets = value;
    }
}

/// <summary>Every <c>Network:InterfaceScanInterval</c>: the interfaces' rates and averages, the WANs' averages and the captures' coverage.</summary>
public sealed partial class BandwidthWorker(BandwidthCollector collector, NetworkState state, RoutingFlowSettings settings, TimeProvider time,
    ILogger<BandwidthWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Options.Network.InterfaceScanInterval, time);
        do
        {
            try
            {
                state.Bandwidth = collector.Scan();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogScanFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Interface scan failed")]
    private static partial void LogScanFailed(ILogger logger, Exception e);
}
