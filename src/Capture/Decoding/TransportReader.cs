using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// TCP, UDP, ICMP and ICMPv6 headers. A header whose fixed part was read but whose rest (TCP options, ICMP checksum)
/// was cut by the snap length is filled in and reported <see cref="LayerResult.Short"/>.
/// </summary>
public static class TransportReader
{
    // TCP (RFC 9293)
    // |        Source Port            |       Destination Port        |
    // |                        Sequence Number                        |
    // |                     Acknowledgment Number                     |
    // | Offset| Rsvd  |C|E|U|A|P|R|S|F|            Window             |
    // |           Checksum            |         Urgent Pointer        |
    // |                    Options (Offset > 5) …                     |
    /// <param name="segment">From the first TCP byte to the end of what was captured.</param>
    /// <param name="length">TCP header plus payload on the wire, from the IP header's length.</param>
    /// <param name="options">The options the analysis reads; <see cref="TcpOptions.None"/> when there are none.</param>
    /// <returns>
    /// <see cref="LayerResult.Bad"/> for a data offset below 5 or past the segment, or a malformed option (the fixed
    /// header is still filled in then); <see cref="LayerResult.Short"/> when the options were cut by the snap length.
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LayerResult TryReadTcp(ReadOnlySpan<byte> segment, int length, out TransportHeader header, out TcpOptions options)
    {
        header = default;
        options = TcpOptions.None;
        if (length < 20)
            return LayerResult.Bad;
        if (segment.Length < 20)
            return LayerResult.Short;
        var headerLength = (segment[12] >> 4) * 4;
        if (headerLength < 20 || headerLength > length)
            return LayerResult.Bad;
        header = new TransportHeader(
            BinaryPrimitives.ReadUInt16BigEndian(segment),
            BinaryPrimitives.ReadUInt16BigEndian(segment[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(segment[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(segment[8..]),
            (TcpFlags)segment[13],
            BinaryPrimitives.ReadUInt16BigEndian(segment[14..]),
            headerLength,
            length - headerLength);
        if (headerLength > 20)
        {
            var captured = segment[20..Math.Min(headerLength, segment.Length)];
            if (TcpOptionReader.Read(captured, headerLength - 20, out options) == LayerResult.Bad)
                return LayerResult.Bad;
        }
        return segment.Length < headerLength ? LayerResult.Short : LayerResult.Ok; // options cut by the snap length
    }

    // UDP (RFC 768)
    // |        Source Port            |       Destination Port        |
    // |            Length             |           Checksum            |
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LayerResult TryReadUdp(ReadOnlySpan<byte> datagram, int length, out TransportHeader header)
    {
        header = default;
        if (length < 8)
            return LayerResult.Bad;
        if (datagram.Length < 8)
            return LayerResult.Short;
        header = new TransportHeader(
            BinaryPrimitives.ReadUInt16BigEndian(datagram),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            0, 0, TcpFlags.None, 0, 8, length - 8);
        return LayerResult.Ok;
    }

    // ICMP / ICMPv6
    // |     Type      |     Code      |           Checksum            |
    public static LayerResult TryReadIcmp(ReadOnlySpan<byte> message, int length, out TransportHeader header)
    {
        header = default;
        if (length < 4)
            return LayerResult.Bad;
        if (message.Length < 2)
            return LayerResult.Short;
        header = new TransportHeader(message[0], message[1], 0, 0, TcpFlags.None, 0, 4, length - 4);
        return message.Length < 4 ? LayerResult.Short : LayerResult.Ok;
    }
}
