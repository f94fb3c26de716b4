using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// A TCP connection's 4-tuple with both directions in one key: endpoint A is the lower (address, port), B the other.
/// Addresses are held as their two 64-bit words (an IPv4 address in the low word), 37 bytes in all.
/// </summary>
public struct FlowKey : Tables.ITableKey<FlowKey>
{
    public ulong AHi;
    public ulong ALo;
    public ulong BHi;
    public ulong BLo;
    public ushort APort;
    public ushort BPort;
    public bool IsV6;

    public readonly IpAddr A => IsV6 ? IpAddr.FromV6(AHi, ALo) : IpAddr.FromV4((uint)ALo);

    public readonly IpAddr B => IsV6 ? IpAddr.FromV6(BHi, BLo) : IpAddr.FromV4((uint)BLo);

    /// <summary>The key of a segment from <paramref name="source"/> to <paramref name="destination"/>; <paramref name="fromA"/> says which way it went.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey Of(in IpAddr source, ushort sourcePort, in IpAddr destination, ushort destinationPort, out bool fromA)
    {
        var order = source.Hi != destination.Hi ? source.Hi.CompareTo(destination.Hi)
            : source.Lo != destination.Lo ? source.Lo.CompareTo(destination.Lo)
            : sourcePort.CompareTo(destinationPort);
        fromA = order <= 0;
        var (a, aPort, b, bPort) = fromA ? (source, sourcePort, destination, destinationPort) : (destination, destinationPort, source, sourcePort);
        return new FlowKey { AHi = a.Hi, ALo = a.Lo, BHi = b.Hi, BLo = b.Lo, APort = aPort, BPort = bPort, IsV6 = source.IsV6 };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong Hash()
    {
        var h = (AHi * 0x9E3779B97F4A7C15UL) ^ (ALo * 0xC2B2AE3D27D4EB4FUL) ^ (BHi * 0x165667B19E3779F9UL) ^ (BLo * 0xD6E8FEB86659FD93UL)
            ^ ((((ulong)APort << 16) | BPort) * 0xFF51AFD7ED558CCDUL);
        h ^= h >> 32;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 29);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Equals(FlowKey other) => ALo == other.ALo && BLo == other.BLo && APort == other.APort && BPort == other.BPort
        && AHi == other.AHi && BHi == other.BHi && IsV6 == other.IsV6;

    public override readonly bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override readonly int GetHashCode() => (int)Hash();

    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);
}
