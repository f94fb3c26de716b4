namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// One tracked connection: both directions and its event counts. Its key and its place in the table live in the
/// table's slot (<see cref="FlowTable"/>); a plain struct in one dense array.
/// </summary>
public struct TcpFlow
{
    public FlowFlags Flags;

    /// <summary>The WAN the flow's traffic belongs to, as the accounting attributes it; <c>TrafficKey.NoNic</c> when none.</summary>
    public byte Nic;

    /// <summary>The WAN came from the mapping while conntrack did not yet know the connection: looked up again during the handshake.</summary>
    public bool NicPending;

    public long LastSeenMicros;

    /// <summary>When the first SYN was seen (0: none).</summary>
    public long SynMicros;

    /// <summary>SYN to the ACK of the SYN/ACK, at the capture point; -1 until measured.</summary>
    public int HandshakeRttMicros;

    public int Missing;

    public long Packets;

    public long Bytes;

    public int Duplicate;

    public int OutOfOrder;

    public int WindowShrink;

    public int ZeroWindow;

    /// <summary>Segments sent by endpoint A.</summary>
    public TcpDirection A;

    public TcpDirection B;

    public readonly int LossEvents => Missing + Duplicate + OutOfOrder;
}

[Flags]
public enum FlowFlags : byte
{
    None = 0,

    /// <summary>A FIN or RST was seen (the flow is on the table's closed list).</summary>
    Closed = 2,
    SynAckSeen = 4,
    HandshakeDone = 8,
    Rst = 16,

    /// <summary>The SYN came from endpoint B (the higher address), so B is the client.</summary>
    ClientIsB = 32,

    /// <summary>A SYN without ACK was seen: counted as one connection attempt (its retransmissions are not new ones).</summary>
    Attempted = 64,

    /// <summary>The attempt failed: a RST answered the SYN, or no SYN/ACK came within the connect timeout.</summary>
    Failed = 128,
}
