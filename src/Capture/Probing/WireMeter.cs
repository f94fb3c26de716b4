using System.Net.Sockets;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// Follows one probe connection's bytes on the wire and adds what is new to <see cref="ProbeTraffic"/>: TCP_INFO's
/// payload bytes plus, per segment, the Ethernet, IP and TCP headers (as the capture counts whole frames). Where
/// TCP_INFO is missing it counts the application's bytes.
/// </summary>
public sealed class WireMeter(ProbeTraffic traffic, string itf, Socket socket)
{
    private readonly bool _ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
    private const int EthernetHeader = 14;
    private const int TcpHeader = 20;
    private const int TimestampOption = 12;
    private long _rx;
    private long _tx;

    /// <summary>Reads the connection's totals and accounts the difference since the last call.</summary>
    public TcpInfo? Update(long appReceived, long appSent)
    {
        var (rx, tx, info) = TcpInfo.TryGet(socket, out var i) ? (WireRx(i) ?? appReceived, WireTx(i) ?? appSent, (TcpInfo?)i) : (appReceived, appSent, null);
        if (rx > _rx || tx > _tx)
        {
            traffic.Add(itf, Math.Max(0, rx - _rx), Math.Max(0, tx - _tx));
            _rx = Math.Max(rx, _rx);
            _tx = Math.Max(tx, _tx);
        }
        return info;
    }

    public static long HeaderBytes(bool ipv6, bool timestamps) =>
        EthernetHeader + (ipv6 ? 40 : 20) + TcpHeader + (timestamps ? TimestampOption : 0);

    private long Header(TcpInfo info) => HeaderBytes(_ipv6, info.Timestamps);

    private long? WireRx(TcpInfo info) =>
        info.BytesReceived is { } bytes && info.SegsIn is { } segs ? (long)bytes + segs * Header(info) : null;

    private long? WireTx(TcpInfo info) =>
        (info.BytesSent ?? info.BytesAcked) is { } bytes && info.SegsOut is { } segs ? (long)bytes + segs * Header(info) : null;
}
