using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Decoding;

/// <summary>
/// The TCP options the health analysis reads (RFC 9293, 7323, 2018), decoded in place. Absent options read as
/// <see cref="Mss"/> 0, <see cref="WindowScale"/> -1, no timestamps and no SACK blocks. Only the first SACK block
/// is kept (with the count): enough to tell a D-SACK (RFC 2883) from new SACK information.
/// </summary>
public struct TcpOptions
{
    /// <summary>RFC 7323 §2.3: a shift above 14 is taken as 14.</summary>
    public const int MaxWindowScale = 14;

    public ushort Mss;

    /// <summary>The shift count of a SYN's window-scale option, clamped to <see cref="MaxWindowScale"/>; -1 when absent.</summary>
    public sbyte WindowScale;

    public bool SackPermitted;

    public bool HasTimestamp;

    /// <summary>Number of SACK blocks (0–4).</summary>
    public byte SackBlocks;

    public uint SackLeft;

    public uint SackRight;

    public uint TimestampValue;

    public uint TimestampEcho;

    public static TcpOptions None
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new() { WindowScale = -1 };
    }
}
