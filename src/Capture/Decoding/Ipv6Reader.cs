using System.Buffers.Binary;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Decoding;

/// <summary>IPv6 (RFC 8200), walking hop-by-hop, routing, fragment, destination-options, AH and mobility headers.</summary>
public static class Ipv6Reader
{
    private const int FixedHeader = 40;
    private const int MaxExtensionHeaders = 16;

    // 0       4               12                                      31
    // |Version| Traffic Class |              Flow Label               |
    // |        Payload Length         |  Next Header  |   Hop Limit   |
    // |                 Source Address (16 bytes)                     |
    // |              Destination Address (16 bytes)                   |
    // Extension headers: | Next Header (1) | Hdr Ext Len (1) | … | in units of 8 bytes beyond the first 8
    //   (AH counts 4-byte units beyond the first 8; Fragment is always 8 bytes: | NH | res | offset<<3 + M | id (4) |)

    /// <param name="packet">From the first IP byte to the end of what was captured.</param>
    /// <param name="wireLength">Bytes from the first IP byte to the end of the frame on the wire.</param>
    /// <param name="extensionsCut">True when the addresses were read but an extension header was cut by the snap length.</param>
    public static LayerResult TryRead(ReadOnlySpan<byte> packet, int wireLength, out IpHeader header, out bool extensionsCut)
    {
        header = default;
        extensionsCut = false;
        if (packet.Length < FixedHeader)
            return wireLength < FixedHeader ? LayerResult.Bad : LayerResult.Short;
        if (packet[0] >> 4 != 6)
            return LayerResult.Bad;
        var payloadLength = (int)BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var next = packet[6];
        if (payloadLength == 0 && next == IpProtocol.HopByHop)
            payloadLength = wireLength - FixedHeader; // jumbogram (RFC 2675): the length is in the option
        if (FixedHeader + payloadLength > wireLength)
        {
            header = new IpHeader(IpAddr.ReadV6(packet[8..]), IpAddr.ReadV6(packet[24..]), next, FixedHeader, 0, false, packet[7]);
            return LayerResult.Inconsistent;
        }
        var walk = WalkExtensions(packet, FixedHeader + payloadLength, ref next, out var offset, out var laterFragment);
        if (walk == LayerResult.Bad)
            return LayerResult.Bad;
        extensionsCut = walk == LayerResult.Short;
        header = new IpHeader(IpAddr.ReadV6(packet[8..]), IpAddr.ReadV6(packet[24..]), next, offset,
            FixedHeader + payloadLength - offset, laterFragment, packet[7]);
        return LayerResult.Ok;
    }

    private static LayerResult WalkExtensions(ReadOnlySpan<byte> packet, int end, ref byte next, out int offset,
        out bool laterFragment)
    {
        offset = FixedHeader;
        laterFragment = false;
        for (var count = 0; IsExtension(next); count++)
        {
            if (count == MaxExtensionHeaders || offset + 8 > end)
                return LayerResult.Bad;
            if (packet.Length < offset + 8)
                return LayerResult.Short;
            var length = next switch
            {
                IpProtocol.Fragment => 8,
                IpProtocol.Ah => (packet[offset + 1] + 2) * 4,
                _ => (packet[offset + 1] + 1) * 8,
            };
            if (next == IpProtocol.Fragment)
                laterFragment = (BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) >> 3) != 0;
            if (offset + length > end)
                return LayerResult.Bad;
            next = packet[offset];
            offset += length;
            if (laterFragment)
                break;
        }
        return offset > packet.Length ? LayerResult.Short : LayerResult.Ok;
    }

    private static bool IsExtension(byte next) => next is IpProtocol.HopByHop or IpProtocol.Routing
        or IpProtocol.Fragment or IpProtocol.DestinationOptions or IpProtocol.Ah or IpProtocol.Mobility
        or IpProtocol.Hip or IpProtocol.Shim6;
}
