namespace RoutingFlow.Capture.Conntrack;

/// <summary>What a ctnetlink message says about a connection.</summary>
public enum ConntrackEventKind : byte
{
    /// <summary>A dump's entry, or an event that is neither NEW nor DESTROY: the connection as it is now.</summary>
    Update,

    /// <summary>A NEW event (<c>IPCTNL_MSG_CT_NEW</c> with <c>NLM_F_CREATE</c>).</summary>
    New,

    /// <summary>A DESTROY event (<c>IPCTNL_MSG_CT_DELETE</c>): the final counters, if accounting is on.</summary>
    Destroy,
}

/// <summary>
/// One connection as a ctnetlink message (dump entry or event) describes it, read in place by <see cref="CtnetlinkParser"/>.
/// Counters are present when the kernel accounts bytes (<c>net.netfilter.nf_conntrack_acct</c>).
/// </summary>
public struct ConntrackMessage
{
    public ConntrackEventKind Kind;
    public ConntrackTuple Original;
    public ConntrackTuple Reply;
    public bool HasMark;
    public uint Mark;
    public uint Id;
    public bool HasCounters;
    public ulong OriginalPackets;
    public ulong OriginalBytes;
    public ulong ReplyPackets;
    public ulong ReplyBytes;
}
