using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Traffic;

/// <summary>
/// Once a second: turns every capture's latest snapshot into rates (one <see cref="RateCalculator"/> per capture),
/// sums them per (WAN, IP), names the busiest <see cref="NamedPerWan"/> of each WAN from the <see cref="RoutingFlow.Capture.Protocols.NameCache"/>
/// (what DNS answers and TLS server names on the wire called them), and publishes the <see cref="TrafficSnapshot"/>.
/// </summary>
public sealed partial class TrafficAggregator(
    CaptureManager captures,
    RouterLayout layout,
    CaptureOptions options,
    TrafficState state,
    TimeProvider time,
    ILogger<TrafficAggregator> logger,
    RoutingFlow.Capture.Protocols.NameCache? names = null,
    Mapping.ConntrackState? conntrack = null) : BackgroundService
{
    /// <summary>The busiest IPs of each WAN that get their names looked up (the top-IP tables, the monitor's top IPs).</summary>
    public const int NamedPerWan = 200;

    private readonly Dictionary<object, (RateCalculator Calculator, long Seen, List<TrafficRate> Rates)> _perCapture = [];
    private readonly Dictionary<string, RecentHosts> _recent = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    state.Publish(Aggregate());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public TrafficSnapshot Aggregate()
    {
        var rates = new Dictionary<TrafficKey, HostTraffic>();
        foreach (var session in captures.Sessions)
        {
            foreach (var rate in RatesOf(session, session.State == CaptureState.Running ? session.Latest : null))
                Merge(rates, rate);
        }
        if (conntrack?.Accountant is { } backend)
        {
            foreach (var rate in RatesOf(backend, conntrack.Latest))
                Merge(rates, rate);
        }
        var nics = layout.Nics.Select((nic, index) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
            var ips = rates.Where(kv => kv.Key.Nic == index)
                .OrderByDescending(kv => kv.Value.TotalBps).ThenBy(kv => kv.Value.Ip)
                .Select((kv, rank) => rank < NamedPerWan && names?.Lookup(kv.Key.Ip, now) is { } name ? kv.Value with { Name = name } : kv.Value).ToList();
            var recent = _recent.TryGetValue(nic.Name, out var r) ? r : _recent[nic.Name] = new RecentHosts();
            return new WanTraffic(nic.Name, nic.Interface, ips.Sum(i => i.RxBps), ips.Sum(i => i.TxBps), ips) { Idle = recent.Update(ips, time.GetUtcNow()) };
        }).ToList();
        var sources = captures.Sessions.Select(s => s.Describe()).ToList();
        if (conntrack?.Accountant is { } accountant) // Capture:Backend=conntrack listed as the one source of traffic
            sources.Add(new CaptureStatus("conntrack", "conntrack", null, conntrack.Status.State, conntrack.Status.Error, accountant.Latest?.Decode.Packets ?? 0, 0));
        return new TrafficSnapshot(time.GetUtcNow(), nics, sources);
    }

    /// <summary>The rates of one source of snapshots (a capture, or the conntrack backend); none while it is not running.</summary>
    private List<TrafficRate> RatesOf(object source, CaptureSnapshot? snapshot)
    {
        if (!_perCapture.TryGetValue(source, out var entry))
            entry = (new RateCalculator(options.RateWindow), long.MinValue, []);
        if (snapshot is not null && snapshot.MonotonicMicros != entry.Seen)
            entry = (entry.Calculator, snapshot.MonotonicMicros, entry.Calculator.Update(snapshot.MonotonicMicros, snapshot.Entries));
        _perCapture[source] = entry;
        return snapshot is null ? [] : entry.Rates;
    }

    private static void Merge(Dictionary<TrafficKey, HostTraffic> rates, TrafficRate rate)
    {
        var c = rate.Counters;
        rates[rate.Key] = rates.TryGetValue(rate.Key, out var sum)
            ? sum with { RxBps = sum.RxBps + rate.RxBps, TxBps = sum.TxBps + rate.TxBps, RxBytes = sum.RxBytes + c.RxBytes, TxBytes = sum.TxBytes + c.TxBytes }
            : new HostTraffic(rate.Key.Ip, rate.RxBps, rate.TxBps, c.RxBytes, c.TxBytes);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Traffic aggregation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
