using System.Buffers.Binary;

namespace RoutingFlow.Capture.Decoding;

/// <summary>Linux cooked captures: SLL (the "any" device before libpcap 1.10) and SLL2.</summary>
public static class CookedReader
{
    // LINUX_SLL, 16 bytes
    //  0             2               4                   6                    14         16
    // | packet type | ARPHRD type   | link addr length | link addr (8, padded) | protocol | payload …
    public static LayerResult TryReadSll(ReadOnlySpan<byte> frame, out LinkHeader header)
    {
        header = default;
        if (frame.Length < 16)
            return LayerResult.Short;
        var packetType = ToPacketType(BinaryPrimitives.ReadUInt16BigEndian(frame));
        return EthernetReader.TryReadEtherType(frame, 14, 16, packetType, -1, out header);
    }

    // LINUX_SLL2, 20 bytes
    //  0          2            4                  8              10            11               12              20
    // | protocol | reserved   | interface index | ARPHRD type  | packet type | link addr len | link addr (8) | payload …
    public static LayerResult TryReadSll2(ReadOnlySpan<byte> frame, out LinkHeader header)
    {
        header = default;
        if (frame.Length < 20)
            return LayerResult.Short;
        var ifIndex = BinaryPrimitives.ReadInt32BigEndian(frame[4..]);
        return EthernetReader.TryReadEtherType(frame, 0, 20, ToPacketType(frame[10]), ifIndex, out header);
    }

    private static CookedPacketType ToPacketType(int value) =>
        value <= 4 ? (CookedPacketType)value : CookedPacketType.Unknown;
}
