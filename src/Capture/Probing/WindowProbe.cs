using System.Diagnostics;
using System.Net.Sockets;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The original tool's method: connect, read the receive buffer (SO_RCVBUF) and TCP_INFO, estimate = receive
/// buffer × 8 / RTT. That is the rate one connection with this window reaches at this RTT: an upper bound, not a
/// measurement of the link.
/// </summary>
public static class WindowProbe
{
    private const int SolSocket = 1;
    private const int SoRcvBuf = 8;

    public static async Task<ProbeResult> RunAsync(ProbeConnector connector, ProbeTarget target, ProbeTraffic traffic, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var socket = await connector.ConnectAsync(target.Host, target.ConnectPort, null, cancellationToken);
        var connectTime = clock.Elapsed;
        new WireMeter(traffic, connector.Interface, socket).Update(0, 0);
        return Measure(socket, connectTime) with { Elapsed = clock.Elapsed, Bound = connector.Bound };
    }

    /// <summary>The estimate for a connected socket; <paramref name="connectTime"/> stands in for the RTT where TCP_INFO is missing.</summary>
    public static ProbeResult Measure(Socket socket, TimeSpan connectTime)
    {
        var receiveBuffer = ReceiveBuffer(socket);
        var hasInfo = TcpInfo.TryGet(socket, out var info);
        var rtt = hasInfo && info.Rtt > TimeSpan.Zero ? info.Rtt : connectTime;
        if (rtt <= TimeSpan.Zero)
            return ProbeResult.Failed(ProbeFailureReason.NoData, "the connection reports no RTT", connectTime);
        var goodput = Estimate(receiveBuffer, rtt);
        var (factor, mss) = WireOverhead.Of(hasInfo ? info : null, socket.AddressFamily == AddressFamily.InterNetworkV6, receiving: false); // nothing received yet: rcv_mss is the kernel's 536-byte guess, snd_mss the path's
        return new ProbeResult
        {
            EstimateBps = goodput * factor,
            GoodputBps = goodput,
            Mss = mss,
            WireFactor = factor,
            Rtt = rtt,
            RttVar = hasInfo ? info.RttVar : null,
            MinRtt = hasInfo ? info.MinRtt : null,
            DeliveryRateBps = hasInfo ? info.DeliveryRateBytesPerSecond * 8.0 : null,
            ReceiveBuffer = receiveBuffer,
            ReceiveSpace = hasInfo ? info.RcvSpace : null,
            RemoteAddress = socket.RemoteEndPoint?.ToString(),
        };
    }

    /// <summary>Receive buffer × 8 / RTT, bits/s.</summary>
    public static double Estimate(long receiveBufferBytes, TimeSpan rtt) => receiveBufferBytes * 8 / rtt.TotalSeconds;

    private static long ReceiveBuffer(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
            return socket.ReceiveBufferSize;
        Span<byte> value = stackalloc byte[sizeof(int)];
        socket.GetRawSocketOption(SolSocket, SoRcvBuf, value);
        return BitConverter.ToInt32(value);
    }
}
