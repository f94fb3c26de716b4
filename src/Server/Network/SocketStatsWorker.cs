using RoutingFlow.Capture.Configuration;

namespace RoutingFlow.Server.Network;

/// <summary>
/// A scan on a <see cref="PeriodicTimer"/>, its result published for the API, the metrics and the page; a scan that
/// throws (a bug) is logged and the next one tries again, the server unaffected.
/// </summary>
public abstract partial class PeriodicScanWorker(TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    protected abstract void ScanOnce();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                ScanOnce();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogScanFailed(logger, GetType().Name, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker}: a scan failed")]
    private static partial void LogScanFailed(ILogger logger, string worker, Exception e);
}

/// <summary>Every <c>Network:SocketScanInterval</c>: the router's sockets and kernel counters.</summary>
public sealed class SocketStatsWorker(SocketCollector collector, NetworkState state, NetworkOptions options, TimeProvider time,
    ILogger<SocketStatsWorker> logger) : PeriodicScanWorker(options.SocketScanInterval, time, logger)
{
    protected override void ScanOnce() => state.Sockets = collector.Scan();
}

/// <summary>Every <c>Network:InterfaceScanInterval</c>: the interfaces' rates and averages, the WANs' averages and the captures' coverage.</summary>
public sealed class BandwidthWorker(BandwidthCollector collector, NetworkState state, NetworkOptions options, TimeProvider time,
    ILogger<BandwidthWorker> logger) : PeriodicScanWorker(options.InterfaceScanInterval, time, logger)
{
    protected override void ScanOnce() => state.Bandwidth = collector.Scan();
}

/// <summary>What the network monitor knows now (read by the API, the metrics and the dashboard).</summary>
public sealed class NetworkState
{
    private volatile SocketScan _sockets = SocketScan.Empty;
    private volatile BandwidthScan _bandwidth = BandwidthScan.Empty;

    public SocketScan Sockets
    {
        get => _sockets;
        set => _sockets = value;
    }

    public BandwidthScan Bandwidth
    {
        get => _bandwidth;
        set => _bandwidth = value;
    }
}
