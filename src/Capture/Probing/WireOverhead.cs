namespace RoutingFlow.Capture.Probing;

/// <summary>
/// Converts a probe's goodput (payload bits/s, what TCP delivers) to wire bits/s as a capture counts them (whole
/// Ethernet frames without preamble or FCS: Ethernet, IP and TCP headers, TCP timestamps when on): goodput × (MSS +
/// headers) / MSS, with the MSS the probe connection measured (TCP_INFO: rcv_mss for a download, snd_mss for an
/// upload). Without TCP_INFO (or an MSS in it) a standard Ethernet path is assumed (MTU 1500, timestamps on).
/// </summary>
public static class WireOverhead
{
    /// <summary>IPv4's MSS on a 1500-byte MTU with the 12 bytes of timestamps taken off.</summary>
    public const uint DefaultMss = 1448;

    /// <summary>Wire bytes per payload byte for segments of <paramref name="mss"/> payload bytes; 1 when the MSS is unknown (0).</summary>
    public static double Factor(uint mss, bool ipv6, bool timestamps) =>
        mss == 0 ? 1.0 : (mss + WireMeter.HeaderBytes(ipv6, timestamps)) / (double)mss;

    /// <summary>The factor for a probe connection: its measured MSS in the direction that carried the data.</summary>
    public static (double Factor, uint Mss) Of(TcpInfo? info, bool ipv6, bool receiving)
    {
        var measured = info is { } i ? receiving ? i.RcvMss : i.SndMss : 0;
        if (measured == 0) // no TCP_INFO, or no MSS in it
        {
            var mss = ipv6 ? DefaultMss - 20 : DefaultMss;
            return (Factor(mss, ipv6, timestamps: true), mss);
        }
        return (Factor(measured, ipv6, info!.Value.Timestamps), measured);
    }
}
