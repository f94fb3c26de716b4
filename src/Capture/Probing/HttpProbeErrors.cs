using System.Net.Sockets;

namespace RoutingFlow.Capture.Probing;

/// <summary>The HTTP probes' shared request step and result: every failure becomes a <see cref="ProbeException"/> with its reason.</summary>
internal static class HttpProbeErrors
{
    /// <summary>Sends the request and waits for the response headers within <paramref name="limit"/>; a non-2xx status is a failure.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpProbeClient client, HttpRequestMessage request, TimeSpan limit,
        ProbeTarget target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProbeException(ProbeFailureReason.Timeout, $"{target.Url} did not answer within {limit.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            throw Unwrap(e, target);
        }
        if (response.IsSuccessStatusCode)
            return response;
        var status = $"{target.Url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        response.Dispose();
        throw new ProbeException(ProbeFailureReason.Http, status);
    }

    /// <param name="receiving">A download: the RTT is the receiver's estimate (rcv_rtt), the sender's tcpi_rtt only covering the request.</param>
    /// <param name="ipv6">The connection's family (its header size).</param>
    public static ProbeResult Result(GoodputMeter goodput, LineMeter? line, ProbeTiming timing, TcpInfo? info, string verb, bool receiving, bool ipv6)
    {
        var bps = goodput.GoodputBps(timing.DiscardFirst);
        if (bps is null)
            return ProbeResult.Failed(ProbeFailureReason.NoData, $"only {goodput.Bytes:N0} bytes {verb} in {goodput.Elapsed.TotalSeconds:0.###} s: too little to measure", goodput.Elapsed);
        var (factor, mss) = WireOverhead.Of(info, ipv6, receiving);
        var wire = bps.Value * factor;
        var lineBps = line?.Bps(goodput, timing.DiscardFirst);
        var cross = lineBps is { } l ? Math.Max(0, l - wire) : 0;
        return new ProbeResult
        {
            EstimateBps = wire + cross,
            LineBps = lineBps,
            CrossTrafficBps = cross,
            GoodputBps = bps,
            Mss = mss,
            WireFactor = factor,
            Rtt = receiving && info?.RcvRtt > TimeSpan.Zero ? info.Value.RcvRtt : info?.Rtt,
            RttVar = info?.RttVar,
            MinRtt = info?.MinRtt,
            DeliveryRateBps = info?.DeliveryRateBytesPerSecond * 8.0,
            ReceiveSpace = info?.RcvSpace,
            TransferredBytes = goodput.Bytes,
        };
    }

    private static ProbeException Unwrap(HttpRequestException e, ProbeTarget target)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is ProbeException probe)
                return probe;
        }
        return e.InnerException is IOException or SocketException || e.HttpRequestError is HttpRequestError.ResponseEnded
            ? new ProbeException(ProbeFailureReason.Closed, $"{target.Url}: the server closed the connection ({e.Message})", e)
            : new ProbeException(ProbeFailureReason.Error, $"{target.Url}: {e.Message}", e);
    }
}
