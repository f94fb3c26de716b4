using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// IPv4 (RFC 791) with options and fragments. A total length of 0 is taken from the frame, as Wireshark does
/// ("presumed to be because of TSO"): a sending host's capture of a segmentation-offload (TSO, BIG TCP) super-frame.
/// </summary>
public static class Ipv4Reader
{
    // 0       4       8               16    19                      31
    // |Version|  IHL  |   DSCP/ECN    |          Total Length         |
    // |         Identification        |Flags|    Fragment Offset      |
    // |  Time to Live |   Protocol    |        Header Checksum        |
    // |                       Source Address                          |
    // |                    Destination Address                        |
    // |                 Options (when IHL > 5) …                      |

    /// <param name="packet">From the first IP byte to the end of what was captured.</param>
    /// <param name="wireLength">Bytes from the first IP byte to the end of the frame on the wire.</param>
    /// <param name="optionsCut">True when the addresses were read but the options were cut by the snap length.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LayerResult TryRead(ReadOnlySpan<byte> packet, int wireLength, out IpHeader header, out bool optionsCut)
    {
        header = default;
        optionsCut = false;
        if (packet.Length < 20)
            return wireLength < 20 ? LayerResult.Bad : LayerResult.Short;
        var headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (packet[0] >> 4 != 4 || headerLength < 20)
            return LayerResult.Bad;
        if (totalLength == 0)
            totalLength = wireLength;
        if (totalLength < headerLength || totalLength > wireLength)
        {
            header = new IpHeader(IpAddr.ReadV4(packet[12..]), IpAddr.ReadV4(packet[16..]), packet[9], headerLength, 0, false, packet[8]);
            return LayerResult.Inconsistent;
        }
        optionsCut = packet.Length < headerLength;
        var fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1FFF;
        header = new IpHeader(
            IpAddr.ReadV4(packet[12..]),
            IpAddr.ReadV4(packet[16..]),
            packet[9],
            headerLength,
            totalLength - headerLength,
            fragmentOffset != 0,
            packet[8]);
        return LayerResult.Ok;
    }
}
