using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Addressing;

namespace RoutingFlow.Capture.Accounting;

/// <summary>A tracked address on one WAN. <see cref="NoNic"/> when the WAN is not part of the key (offline endpoints).</summary>
public readonly record struct TrafficKey(IpAddr Ip, byte Nic)
{
    public const byte NoNic = byte.MaxValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash64() => Ip.Hash64() ^ (Nic * 0x9E3779B97F4A7C15UL);
}
