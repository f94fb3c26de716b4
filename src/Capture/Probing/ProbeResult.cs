namespace RoutingFlow.Capture.Probing;

/// <summary>
/// What one probe of one target on one interface measured. <see cref="EstimateBps"/> is the raw estimate in
/// bits/s, before the correction factor; null when the probe failed (<see cref="Failure"/> says why).
/// </summary>
public sealed record ProbeResult
{
    public double? EstimateBps { get; init; }

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
