using System.Diagnostics;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// HTTP GET over a connection bound to the interface, read for <c>Duration</c> or <c>MaxBytes</c>; the first
/// part (<c>DiscardFirst</c> of the time: slow start) is discarded and the estimate is the goodput of the rest.
/// RTT and TCP_INFO's delivery rate are recorded too, and the interface's receive counter over the same window
/// (<see cref="LineMeter"/>): what others received meanwhile is added to the estimate.
/// </summary>
public static class DownloadProbe
{
    private const int BufferSize = 64 * 1024;

    public static async Task<ProbeResult> RunAsync(ProbeConnector connector, ProbeTarget target, ProbeTiming timing,
        ProbeTraffic traffic, TimeProvider time, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var client = new HttpProbeClient(connector);
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
        using var response = await HttpProbeErrors.SendAsync(client, request, timing.ConnectTimeout * 2, target, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var meter = new WireMeter(traffic, connector.Interface, client.Socket!);
        var goodput = new GoodputMeter(time.TimestampFrequency, time.GetTimestamp());
        var line = LineMeter.Start(connector.Interface, receiving: true, time.TimestampFrequency, time.GetTimestamp());
        var info = await ReadAsync(body, timing, goodput, line, meter, time, cancellationToken);
        return HttpProbeErrors.Result(goodput, line, timing, info, "received", receiving: true, client.Socket!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) with
        {
            Elapsed = clock.Elapsed,
            RemoteAddress = client.RemoteAddress,
            Bound = connector.Bound,
        };
    }

    private static async Task<TcpInfo?> ReadAsync(Stream body, ProbeTiming timing, GoodputMeter goodput, LineMeter? line, WireMeter meter,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timing.Duration);
        long total = 0;
        TcpInfo? info = null;
        try
        {
            while (total < timing.MaxBytes)
            {
                var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, timing.MaxBytes - total)), deadline.Token);
                if (read == 0)
                    break;
                total += read;
                var now = time.GetTimestamp();
                goodput.Record(now, total);
                line?.Sample(now);
                info = meter.Update(total, 0) ?? info;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Duration is up: the measurement ends here.
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ProbeException(ProbeFailureReason.Closed, $"the server closed the connection after {total:N0} bytes: {e.Message}", e);
        }
        return meter.Update(total, 0) ?? info;
    }
}
