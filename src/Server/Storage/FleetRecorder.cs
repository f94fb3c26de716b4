using RoutingFlow.Server.Fleet;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>
/// Keeps the watched routers' history as this router's is kept, each row naming its router: every fleet check's
/// per-WAN sample (capacity and actual traffic, bits/s), each minute's rollup, and each minute's busiest IPs. A router's
/// per-IP bytes are estimated from its top IPs' rates at each check times the time since the previous check (the
/// fleet's queries return only the top <c>Monitor:TopIps</c> per WAN and direction). A WAN that is stale or has no
/// traffic series is not recorded: a gap, not a zero. Only queues: the writer does the I/O.
/// </summary>
public sealed class FleetRecorder(StorageWriter writer, FleetState fleet, FleetOptions options, StorageOptions storage) : IHostedService
{
    /// <summary>The longest gap between two checks credited to the IPs' bytes (a longer one is a gap in the data).</summary>
    private static readonly TimeSpan MaxCredit = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string Router, string Nic), Wan> _wans = [];
    private DateTimeOffset? _last;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        fleet.Changed += OnCheck;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        fleet.Changed -= OnCheck;
        return Task.CompletedTask;
    }

    /// <summary>One check's sample into the buffer (public for tests; the fleet state calls it on each publication).</summary>
    public void OnCheck(FleetView view)
    {
        if (view.Sample is not { } sample)
            return;
        var seconds = _last is { } last && sample.At > last && sample.At - last <= MaxCredit ? (sample.At - last).TotalSeconds : 0;
        _last = sample.At;
        var time = sample.At.ToUnixTimeMilliseconds();
        foreach (var (router, wans) in sample.Routers)
        {
            foreach (var w in wans)
            {
                if (w.ActualRxBps is null && w.ActualTxBps is null || w.LastSampleAt is { } at && sample.At - at > options.StaleAfter)
                    continue;
                Record(router, w, time, seconds);
            }
        }
    }

    private void Record(string router, FleetWanSample w, long time, double seconds)
    {
        var reading = new WanReading(w.CapacityRxBps, w.CapacityTxBps, w.ActualRxBps ?? 0, w.ActualTxBps ?? 0, null);
        writer.Enqueue(new SampleItem(new WanSampleRow
        {
            Router = router, Nic = w.Nic, Time = time,
            CapacityRx = reading.CapacityRxBps, CapacityTx = reading.CapacityTxBps, ActualRx = reading.ActualRxBps, ActualTx = reading.ActualTxBps,
        }));
        if (!_wans.TryGetValue((router, w.Nic), out var wan))
            _wans[(router, w.Nic)] = wan = new Wan(new RollupAccumulator(w.Nic, router));
        if (wan.Rollup.Add(time, reading) is { } finished)
        {
            writer.Enqueue(new RollupItem(finished));
            writer.Enqueue(new IpMinutesItem(router, w.Nic, finished.Minute, wan.TakeTop(router, w.Nic, finished.Minute, storage.TopIpsPerMinute)));
        }
        wan.Credit(w.TopRx, w.TopTx, seconds); // this check's bytes belong to the minute now running
    }

    /// <summary>A watched WAN's running minute: its rollup and its IPs' estimated bytes.</summary>
    private sealed class Wan(RollupAccumulator rollup)
    {
        private readonly Dictionary<string, (double Rx, double Tx)> _bytes = new(StringComparer.Ordinal);

        public RollupAccumulator Rollup { get; } = rollup;

        public void Credit(IReadOnlyList<IpRate> rx, IReadOnlyList<IpRate> tx, double seconds)
        {
            if (seconds <= 0)
                return;
            foreach (var r in rx)
                _bytes[r.Ip] = _bytes.GetValueOrDefault(r.Ip) with { Rx = _bytes.GetValueOrDefault(r.Ip).Rx + r.Bps / 8 * seconds };
            foreach (var t in tx)
                _bytes[t.Ip] = _bytes.GetValueOrDefault(t.Ip) with { Tx = _bytes.GetValueOrDefault(t.Ip).Tx + t.Bps / 8 * seconds };
        }

        public List<IpMinuteRow> TakeTop(string router, string nic, long minute, int top)
        {
            var rows = _bytes.OrderByDescending(kv => kv.Value.Rx + kv.Value.Tx).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top)
                .Select(kv => new IpMinuteRow { Router = router, Nic = nic, Minute = minute, Ip = kv.Key, RxBytes = (long)kv.Value.Rx, TxBytes = (long)kv.Value.Tx })
                .ToList();
            _bytes.Clear();
            return rows;
        }
    }
}
