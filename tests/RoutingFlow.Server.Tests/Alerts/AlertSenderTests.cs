using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Alerts;
using RoutingFlow.Server.Monitoring;
using RoutingFlow.Testing.Http;
using RoutingFlow.Testing.Lab;

namespace RoutingFlow.Server.Tests.Alerts;

/// <summary>Webhook alerts delivered to a real HTTP receiver on loopback: the payload, retries in order, giving up.</summary>
public sealed class AlertSenderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly MonitorState _monitor = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private ProbeTestServer _receiver = null!;

    public Task InitializeAsync()
    {
        _receiver = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _services.DisposeAsync();
    }

    private AlertSender Sender(params string[] webhooks) => Sender(TimeSpan.FromSeconds(30), webhooks);

    private AlertSender Sender(TimeSpan retryFor, params string[] webhooks)
    {
        var options = new AlertOptions { RetryFor = retryFor };
        options.Webhooks.AddRange(webhooks);
        return new AlertSender(options, _monitor, _services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertSender>.Instance);
    }

    private static Incident Incident(DateTimeOffset? ended) => new(3, "wan1", T0, ended, CompareMode.Combined, 20e6, null, 18e6, 20e6, null, null,
        30e6, 1e6, 1.55, T0.AddSeconds(2), [new IpRate("192.168.50.12", 29e6)], [new IpRate("192.168.50.12", 1e6)], 0.01, 0.05);

    [Fact]
    public async Task Restore_SendsTheKeptDeliveriesAsKept_AndDropsThoseForAChangedUrl()
    {
        using var sender = Sender(_receiver.Url("/webhook").ToString());
        var finished = new List<string>();
        sender.Finished += finished.Add;
        var kept = new PendingAlert("a", 0, sender.UrlTag(0), """{"event":"overload_started","incidentId":7}"""u8.ToArray(), "overload_started", 7, T0.AddMinutes(-5));
        var stale = kept with { Key = "b", UrlTag = "0123456789ABCDEF" };

        sender.Restore([kept, stale]);
        await sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal("""{"event":"overload_started","incidentId":7}""", Assert.Single(_receiver.Webhooks));
        Assert.Equal(["b", "a"], finished);
        Assert.Equal(0, sender.Status.Pending);
    }

    [Fact]
    public async Task TheBody_IsSentWithContentLength_NotChunked_ForReceiversThatReadOnlyThat()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var sender = Sender($"http://127.0.0.1:{port}/hook");
        var received = ReceiveOneAsync(listener);

        _monitor.Record(IncidentChange.Opened, Incident(null));
        await sender.DeliverDueAsync(CancellationToken.None);

        var (head, body) = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("transfer-encoding:", head, StringComparison.OrdinalIgnoreCase);
        var length = head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(body.Length, int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("overload_started", JsonDocument.Parse(body).RootElement.GetProperty("event").GetString());
    }

    /// <summary>A receiver as simple as many are: reads the head, then exactly Content-Length bytes (0 if absent), answers 200.</summary>
    private static async Task<(string Head, byte[] Body)> ReceiveOneAsync(System.Net.Sockets.TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!(buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n') && await stream.ReadAsync(one) == 1)
            buffer.Add(one[0]);
        var head = System.Text.Encoding.ASCII.GetString([.. buffer]);
        var line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var body = new byte[line is null ? 0 : int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        return (head, body);
    }

    [Fact]
    public async Task Opened_AnUpload_NamesTheUploaderFirst_WithItsShare()
    {
        using var sender = Sender(_receiver.Url("/webhook").ToString());
        var incident = Incident(null) with
        {
            Over = OverDirection.Tx,
            Culprits = [new Culprit("192.168.50.20", "nas.lab", "tx", 28e6, 0.9655), new Culprit("192.168.50.12", null, "rx", 1e6, 0.5)],
        };

        _monitor.Record(IncidentChange.Opened, incident);
        await sender.DeliverDueAsync(CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_receiver.Webhooks));
        var alert = json.RootElement;
        Assert.EndsWith("; tx is over: top tx 192.168.50.20 (nas.lab) 28.0 Mbit/s (97%).", alert.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("tx", alert.GetProperty("overDirection").GetString());
        Assert.Equal(("192.168.50.20", "tx", 0.9655), (alert.GetProperty("culprits")[0].GetProperty("ip").GetString(),
            alert.GetProperty("culprits")[0].GetProperty("direction").GetString(), alert.GetProperty("culprits")[0].GetProperty("share").GetDouble()));
    }

    [Fact]
    public async Task Opened_PostsThePayload_WithASentenceForSlack()
    {
        using var sender = Sender(_receiver.Url("/webhook").ToString());

        _monitor.Record(IncidentChange.Opened, Incident(null));
        await sender.DeliverDueAsync(CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_receiver.Webhooks));
        var alert = json.RootElement;
        Assert.Equal("wan1 is overloaded: 31.0 Mbit/s against a capacity of 20.0 Mbit/s (155%); top rx 192.168.50.12 29.0 Mbit/s.", alert.GetProperty("text").GetString());
        Assert.Equal(("overload_started", 3L, "wan1"), (alert.GetProperty("event").GetString(), alert.GetProperty("incidentId").GetInt64(), alert.GetProperty("nic").GetString()));
        Assert.Equal((20e6, 31e6, 1.55), (alert.GetProperty("capacityBps").GetDouble(), alert.GetProperty("actualBps").GetDouble(), alert.GetProperty("utilization").GetDouble()));
        Assert.Equal("192.168.50.12", alert.GetProperty("topRx")[0].GetProperty("ip").GetString());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("endedAt").ValueKind);
        Assert.Equal(1, sender.Status.Sent);
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedWithBackoff_AndTheCloseWaitsBehindTheOpen()
    {
        using var sender = Sender(_receiver.Url("/webhook?fail=2").ToString());
        _monitor.Record(IncidentChange.Opened, Incident(null));
        _monitor.Record(IncidentChange.Closed, Incident(T0.AddSeconds(40)));

        Assert.Equal(TimeSpan.FromSeconds(1), await sender.DeliverDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), await sender.DeliverDueAsync(CancellationToken.None));
        Assert.Empty(_receiver.Webhooks);
        _time.Advance(TimeSpan.FromSeconds(2));
        await sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(["overload_started", "overload_ended"], _receiver.Webhooks.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("event").GetString()));
        Assert.Contains("is back under its capacity after 40 s", _receiver.Webhooks[1], StringComparison.Ordinal);
        Assert.Equal((2L, 2L, 0), (sender.Status.Sent, sender.Status.Failures, sender.Status.Pending));
    }

    [Fact]
    public async Task AReceiverDownForMinutes_GetsEveryAlertInOrder_OnceBack()
    {
        var port = PrometheusServer.FreePort();
        using var sender = Sender(TimeSpan.FromMinutes(15), $"http://127.0.0.1:{port}/webhook");
        _monitor.Record(IncidentChange.Opened, Incident(null));
        _monitor.Record(IncidentChange.Closed, Incident(T0.AddSeconds(40)));

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(5); elapsed += TimeSpan.FromSeconds(30)) // down for five minutes
        {
            await sender.DeliverDueAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(2, sender.Status.Pending);
        Assert.InRange(sender.Status.Failures, 5, 15); // backed off up to a minute, not hammering
        Assert.Contains("webhook 0:", sender.Status.LastError, StringComparison.Ordinal);

        await using var receiver = ProbeTestServer.Start(new IPEndPoint(IPAddress.Loopback, port));
        _time.Advance(TimeSpan.FromMinutes(1));
        await sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(["overload_started", "overload_ended"], receiver.Webhooks.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("event").GetString()));
        Assert.Equal((0, 2L, 0L), (sender.Status.Pending, sender.Status.Sent, sender.Status.GivenUp));
    }

    [Fact]
    public async Task UnreachableReceiver_IsGivenUpAfterRetryFor_WithoutBlockingTheMonitor()
    {
        using var sender = Sender($"http://127.0.0.1:{PrometheusServer.FreePort()}/webhook");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _monitor.Record(IncidentChange.Opened, Incident(null));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(100), "queuing an alert does not wait for the network");

        await sender.DeliverDueAsync(CancellationToken.None);
        Assert.Equal((1, 1L), (sender.Status.Pending, sender.Status.Failures));
        Assert.Contains("webhook 0:", sender.Status.LastError, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(31));
        await sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal((0, 1L), (sender.Status.Pending, sender.Status.GivenUp));
    }
}
