namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// What the link layer says about a frame: where the network layer starts and what it is; for Ethernet also its
/// source MAC (48 bits in a <see cref="ulong"/>; 0 for other link types), which tells a device's own frames apart.
/// </summary>
public readonly record struct LinkHeader(int PayloadOffset, ushort EtherType, ushort VlanId, CookedPacketType PacketType, int IfIndex)
{
    public ulong SourceMac { get; init; }
}

/// <summary>Direction as Linux cooked captures (SLL/SLL2) report it; <see cref="Unknown"/> for other link types.</summary>
public enum CookedPacketType : byte
{
    Host = 0,
    Broadcast = 1,
    Multicast = 2,
    OtherHost = 3,
    Outgoing = 4,
    Unknown = 255,
}
