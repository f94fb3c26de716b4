using RoutingFlow.Server.Storage;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary>The stored probe RTTs the incident page marks and the diagnosis takes its median of, read from a real SQLite file.</summary>
public sealed class ProbeRttQueryTests : IDisposable
{
    private readonly StorageHarness _storage = new();

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task ProbeRtts_OfTheInterfaceInTheRange_OldestFirst_WithTheirTimes_FailuresLeftOut()
    {
        await _storage.Schema.EnsureAsync(CancellationToken.None);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(_storage.Time.GetUtcNow().ToUnixTimeMilliseconds()); // stored in milliseconds
        // two hours ago (the dashboard's in-memory probe history holds one hour), the newest first to show the order
        Probe("wan1", t0.AddMinutes(-100), 0.030);
        Probe("wan1", t0.AddMinutes(-119), 0.011);
        Probe("wan1", t0.AddMinutes(-110), null); // a failed probe: no RTT
        Probe("wan0", t0.AddMinutes(-115), 0.005); // another interface
        Probe("wan1", t0.AddMinutes(-60), 0.020); // after the range
        await _storage.Writer.FlushAsync(CancellationToken.None);
        var queries = new HistoryQueries(_storage.Factory, _storage.Schema);

        var rtts = await queries.ProbeRttsAsync("wan1", t0.AddMinutes(-120), t0.AddMinutes(-90), CancellationToken.None);

        Assert.Equal([(t0.AddMinutes(-119), 0.011), (t0.AddMinutes(-100), 0.030)],
            rtts.Select(r => (r.Time, r.Seconds)));
    }

    private void Probe(string itf, DateTimeOffset at, double? rtt) => _storage.Writer.Enqueue(new ProbeItem(new ProbeResultRow
    {
        Time = at.ToUnixTimeMilliseconds(), Interface = itf, Server = "10.0.0.1:5201", Method = "download",
        EstimateBps = rtt is null ? null : 20e6, RttSeconds = rtt, Failure = rtt is null ? "timeout" : null,
    }));
}
