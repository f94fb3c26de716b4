using System.Runtime.CompilerServices;
namespace RoutingFlow.Capture.Decoding;

/// <summary>Frame counts by decode outcome, kept by one writer.</summary>
public struct DecodeCounters
{
    public long Packets;
    public long Bytes;
    public long NotIp;
    public long Truncated;
    public long Malformed;
    public long Unsupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(DecodeStatus status, int wireLength)
    {
        Packets++;
        Bytes += wireLength;
        switch (status)
        {
            case DecodeStatus.NotIp: NotIp++; break;
            case DecodeStatus.Truncated: Truncated++; break;
            case DecodeStatus.Malformed: Malformed++; break;
            case DecodeStatus.UnsupportedLinkType: Unsupported++; break;
        }
    }
}
