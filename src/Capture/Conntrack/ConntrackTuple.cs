using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// One direction of a tracked connection as the kernel keeps it (<c>CTA_TUPLE_ORIG</c> or <c>CTA_TUPLE_REPLY</c>):
/// addresses, ports (0 for protocols without), IP protocol. The addresses are held as two words each with one family
/// flag for both (40 bytes, not the 56 two <see cref="IpAddr"/>s would take), since the table keeps two per connection.
/// </summary>
public readonly struct ConntrackTuple : IEquatable<ConntrackTuple>
{
    private readonly ulong _srcHi, _srcLo, _dstHi, _dstLo;

    public ConntrackTuple(IpAddr source, IpAddr destination, ushort sourcePort, ushort destinationPort, byte protocol)
    {
        _srcHi = source.Hi;
        _srcLo = source.Lo;
        _dstHi = destination.Hi;
        _dstLo = destination.Lo;
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        Protocol = protocol;
        IsV6 = source.IsV6;
    }

    public ushort SourcePort { get; }

    public ushort DestinationPort { get; }

    public byte Protocol { get; }

    public bool IsV6 { get; }

    public IpAddr Source => IsV6 ? IpAddr.FromV6(_srcHi, _srcLo) : IpAddr.FromV4((uint)_srcLo);

    public IpAddr Destination => IsV6 ? IpAddr.FromV6(_dstHi, _dstLo) : IpAddr.FromV4((uint)_dstLo);

    /// <summary>The same connection seen the other way.</summary>
    public ConntrackTuple Reverse() => new(Destination, Source, DestinationPort, SourcePort, Protocol);

    /// <summary>Equal for a tuple and its <see cref="Reverse"/>: the key both directions of a packet's connection share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong UndirectedHash()
    {
        var a = Mix(_srcHi, _srcLo, SourcePort);
        var b = Mix(_dstHi, _dstLo, DestinationPort);
        var h = (a + b) ^ ((ulong)Protocol << 56);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }

    /// <summary>True when <paramref name="other"/> is this tuple or its reverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool SameConnection(in ConntrackTuple other) => Equals(other) || IsReverseOf(other);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsReverseOf(in ConntrackTuple other) =>
        _srcLo == other._dstLo && _dstLo == other._srcLo && SourcePort == other.DestinationPort && DestinationPort == other.SourcePort
        && _srcHi == other._dstHi && _dstHi == other._srcHi && Protocol == other.Protocol && IsV6 == other.IsV6;

    public bool Equals(ConntrackTuple other) =>
        _srcLo == other._srcLo && _dstLo == other._dstLo && SourcePort == other.SourcePort && DestinationPort == other.DestinationPort
        && _srcHi == other._srcHi && _dstHi == other._dstHi && Protocol == other.Protocol && IsV6 == other.IsV6;

    public override bool Equals(object? obj) => obj is ConntrackTuple other && Equals(other);

    public override int GetHashCode() => (int)UndirectedHash();

    public static bool operator ==(ConntrackTuple left, ConntrackTuple right) => left.Equals(right);

    public static bool operator !=(ConntrackTuple left, ConntrackTuple right) => !left.Equals(right);

    /// <summary>As <c>conntrack -L</c> prints a tuple.</summary>
    public override string ToString() =>
        $"proto={Protocol} src={Source} dst={Destination} sport={SourcePort} dport={DestinationPort}";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong hi, ulong lo, ushort port)
    {
        var h = (hi * 0x9E3779B97F4A7C15UL) ^ lo ^ ((ulong)port << 40);
        h *= 0xC2B2AE3D27D4EB4FUL;
        return h ^ (h >> 31);
    }
}
