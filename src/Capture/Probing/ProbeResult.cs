namespace RoutingFlow.Capture.Probing;

/// <summary>
/// What one probe of one target on one interface measured. <see cref="EstimateBps"/> is the raw estimate in wire
/// bits/s (as a capture counts frames: <see cref="GoodputBps"/> × <see cref="WireFactor"/>, plus the line's other
/// traffic meanwhile, <see cref="CrossTrafficBps"/>), before the correction factor; null when the probe failed
/// (<see cref="Failure"/> says why).
/// </summary>
public sealed record ProbeResult
{
    public double? EstimateBps { get; init; }

    /// <summary>The payload rate the estimate came from, bits/s (TCP goodput; the window method's payload bound).</summary>
    public double? GoodputBps { get; init; }

    /// <summary>The probe connection's MSS in the direction that carried the data (0: unknown).</summary>
    public uint Mss { get; init; }

    /// <summary>Wire bytes per payload byte (<see cref="WireOverhead"/>): the estimate = goodput × this.</summary>
    public double WireFactor { get; init; } = 1.0;

    /// <summary>
    /// The interface's whole traffic in the probe's direction over the measured window (kernel counters,
    /// <see cref="LineMeter"/>), bits/s; null where the kernel has no counter for it or for the window method.
    /// </summary>
    public double? LineBps { get; init; }

    /// <summary>What others sent or received on the line meanwhile (<see cref="LineBps"/> − the probe's own wire rate, never below 0), bits/s: added to the estimate.</summary>
    public double CrossTrafficBps { get; init; }

    /// <summary>Smoothed RTT (TCP_INFO's tcpi_rtt), or the connect time where TCP_INFO is missing.</summary>
    public TimeSpan? Rtt { get; init; }

    public TimeSpan? RttVar { get; init; }

    public TimeSpan? MinRtt { get; init; }

    /// <summary>TCP_INFO's delivery rate at the end of the transfer, bits/s.</summary>
    public double? DeliveryRateBps { get; init; }

    /// <summary>SO_RCVBUF, bytes (the kernel's value, as <c>ss -m</c> shows it: <c>rb</c>).</summary>
    public long? ReceiveBuffer { get; init; }

    /// <summary>TCP_INFO's rcv_space, bytes.</summary>
    public long? ReceiveSpace { get; init; }

    /// <summary>Payload bytes moved by a download or upload (the HTTP body).</summary>
    public long TransferredBytes { get; init; }

    /// <summary>How long the probe took, connect included.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The address the probe connected to.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>False where SO_BINDTODEVICE is unsupported and the OS chose the interface.</summary>
    public bool Bound { get; init; } = true;

    public ProbeFailureReason? Failure { get; init; }

    public string? Error { get; init; }

    public bool Succeeded => Failure is null;

    public static ProbeResult Failed(ProbeFailureReason reason, string error, TimeSpan elapsed) =>
        new() { Failure = reason, Error = error, Elapsed = elapsed };
}
