namespace RoutingFlow.Capture.Tcp;

/// <summary>Cumulative counts of one capture's TCP analysis (one writer).</summary>
public struct TcpCounters
{
    /// <summary>Every frame the analysis was handed.</summary>
    public long TotalPackets;

    public long TcpPackets;

    /// <summary>TCP packets between two globally reachable unicast addresses, whatever the scope.</summary>
    public long GlobalTcpPackets;

    /// <summary>TCP headers that did not decode cleanly (bad data offset or option): counted, not analysed.</summary>
    public long Malformed;

    public long Missing;

    public long GapBytes;

    public long Duplicate;

    public long OutOfOrder;

    public long WindowShrink;

    public long ZeroWindow;

    public long KeepAlives;

    public long FlowsCreated;

    public long FlowEvictions;

    /// <summary>Holes forgotten because a direction already had <see cref="TcpDirection.MaxHoles"/>.</summary>
    public long HoleOverflows;

    /// <summary>Connection attempts: flows whose SYN (without ACK) was seen; a retransmitted SYN is not a new one.</summary>
    public long ConnectAttempts;

    /// <summary>Attempts whose handshake completed (the client's ACK of the SYN/ACK).</summary>
    public long ConnectSuccesses;

    /// <summary>Attempts the server answered with a RST before any SYN/ACK.</summary>
    public long ConnectRefused;

    /// <summary>Attempts with no SYN/ACK within the connect timeout.</summary>
    public long ConnectTimedOut;

    /// <summary>Attempts whose timeout could not be checked: more were waiting than the pending ring holds.</summary>
    public long PendingOverflows;

    public readonly long ConnectFailures => ConnectRefused + ConnectTimedOut;
}

/// <summary>One WAN's share of the TCP analysis: enough to say which WAN is losing packets.</summary>
public struct NicTcpCounters
{
    public long Packets;

    /// <summary>Segments carrying data: the denominator of the loss and retransmission ratios.</summary>
    public long DataSegments;

    public long Missing;

    public long Duplicate;

    public long OutOfOrder;

    /// <summary>Duplicates and out-of-order segments: what Wireshark calls retransmissions.</summary>
    public readonly long Retransmitted => Duplicate + OutOfOrder;

    public long ConnectAttempts;

    public long ConnectSuccesses;

    public long ConnectRefused;

    public long ConnectTimedOut;

    public readonly long ConnectFailures => ConnectRefused + ConnectTimedOut;
}
