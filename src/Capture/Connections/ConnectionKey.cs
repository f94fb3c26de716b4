using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Connections;

/// <summary>Which way a frame crossed a device, as the kernel sees it at that device (inverted on a veth, see <see cref="DeviceConnectionCounter"/>).</summary>
public enum ConnectionDirection : byte
{
    Ingress = 0,
    Egress = 1,
}

/// <summary>The transports counted per connection; everything else goes to a device's <c>other</c> counter.</summary>
public enum ConnectionProtocol : byte
{
    Tcp = 6,
    Udp = 17,
}

/// <summary>
/// One connection counter's full tuple: device (ifindex), ports, direction and protocol. Compared whole, never
/// summed (the original eBPF key added the fields into 32 bits, merging different connections). <see cref="Id"/>
/// packs the tuple into 64 bits one-to-one for every ifindex below 2^30 (Linux numbers interfaces from 1 upwards),
/// so it is stable across restarts and unique per tuple.
/// </summary>
public readonly record struct ConnectionKey(int DeviceId, ushort SourcePort, ushort DestinationPort, ConnectionDirection Direction,
    ConnectionProtocol Protocol) : Tables.ITableKey<ConnectionKey>
{
    /// <summary>device (30 bits) | protocol is UDP (1) | direction is egress (1) | source port (16) | destination port (16).</summary>
    public ulong Id
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((ulong)((uint)DeviceId & 0x3FFF_FFFF) << 34) | ((Protocol == ConnectionProtocol.Udp ? 1UL : 0) << 33)
            | ((ulong)Direction << 32) | ((ulong)SourcePort << 16) | DestinationPort;
    }

    public static ConnectionKey FromId(ulong id) => new((int)(id >> 34), (ushort)(id >> 16), (ushort)id,
        (ConnectionDirection)((id >> 32) & 1), ((id >> 33) & 1) == 1 ? ConnectionProtocol.Udp : ConnectionProtocol.Tcp);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash()
    {
        var h = Id * 0x9E3779B97F4A7C15UL;
        return h ^ (h >> 29);
    }
}
