namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// Ports (TCP/UDP), ICMP type/code (in <see cref="SourcePort"/>/<see cref="DestinationPort"/> as tshark's
/// conversation tables do), and the TCP fields the health analysis reads.
/// </summary>
public readonly record struct TransportHeader(
    ushort SourcePort,
    ushort DestinationPort,
    uint Sequence,
    uint Acknowledgment,
    TcpFlags Flags,
    ushort Window,
    int HeaderLength,
    int PayloadLength);

[Flags]
public enum TcpFlags : ushort
{
    None = 0,
    Fin = 0x001,
    Syn = 0x002,
    Rst = 0x004,
    Psh = 0x008,
    Ack = 0x010,
    Urg = 0x020,
    Ece = 0x040,
    Cwr = 0x080,
}
