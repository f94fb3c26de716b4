using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// One direction of a flow, as its sender's segments show it: the next expected sequence number, the holes (gaps not
/// yet filled) behind it, the window scale from the sender's SYN, the last advertised window, and the one segment
/// being timed for an RTT sample. 56 bytes.
/// </summary>
public struct TcpDirection
{
    public const int MaxHoles = 4;

    /// <summary>When the timed segment was seen (valid while <see cref="RttPending"/>).</summary>
    public long RttSentMicros;

    public uint NextSeq;

    /// <summary>The last advertised window, scaled.</summary>
    public uint LastWindow;

    /// <summary>The sequence number just past the timed segment: an ACK at or beyond it completes the sample.</summary>
    public uint RttSeq;

    public HoleBounds Holes;

    /// <summary>The shift count of this sender's SYN window-scale option; -1 when it sent none (or no SYN was seen).</summary>
    public sbyte WindowScale;

    public DirectionFlags Flags;

    public byte HoleCount;

    public readonly bool HasSeq => (Flags & DirectionFlags.HasSeq) != 0;

    public readonly bool HasWindow => (Flags & DirectionFlags.HasWindow) != 0;

    public readonly bool RttPending => (Flags & DirectionFlags.RttPending) != 0;

    /// <summary>Hole <paramref name="i"/> as [start, end) in sequence space.</summary>
    [InlineArray(MaxHoles * 2)]
    public struct HoleBounds
    {
        private uint _element;
    }
}

[Flags]
public enum DirectionFlags : byte
{
    None = 0,
    HasSeq = 1,
    HasWindow = 2,
    RttPending = 4,
    SawSyn = 8,
    SawFin = 16,
}
