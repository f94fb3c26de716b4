using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Sources;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Tcp;

/// <summary>Hand-built TCP segments between a client and a server, decoded as a capture would hand them over.</summary>
internal sealed class Segments(string client = "10.0.0.1", string server = "10.0.0.2", ushort clientPort = 40000, ushort serverPort = 80)
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;

    public long Micros { get; set; } = 1_700_000_000_000_000;

    public CapturedPacket FromClient(uint seq, uint ack, byte flags = Ack, int payload = 0, ushort window = 1000, byte[]? options = null, long after = 100) =>
        Packet(client, server, clientPort, serverPort, seq, ack, flags, payload, window, options, after);

    public CapturedPacket FromServer(uint seq, uint ack, byte flags = Ack, int payload = 0, ushort window = 1000, byte[]? options = null, long after = 100) =>
        Packet(server, client, serverPort, clientPort, seq, ack, flags, payload, window, options, after);

    /// <summary>Window scale option with shift <paramref name="shift"/>, padded.</summary>
    public static byte[] WindowScale(byte shift) => [1, 3, 3, shift];

    private CapturedPacket Packet(string src, string dst, ushort sport, ushort dport, uint seq, uint ack, byte flags, int payload,
        ushort window, byte[]? options, long after)
    {
        Micros += after;
        var ip = RawIp.Ipv4(src, dst, IpProtocol.Tcp, RawIp.Tcp(sport, dport, seq, ack, flags, payload, window: window, options: options));
        var item = new CapturedPacket { TimestampMicros = Micros };
        PacketDecoder.Decode(LinkType.Raw, ip, ip.Length, out item.Packet);
        return item;
    }
}
