namespace RoutingFlow.Capture.Network;

/// <summary>
/// The kernel's socket states as <c>/proc/net/tcp</c> numbers them (<c>include/net/tcp_states.h</c>), with the names
/// RoutingFlow reports them under and the names <c>ss</c> prints.
/// </summary>
public static class SocketStates
{
    public const int Count = 16;

    private static readonly string[] Names =
    [
        "unknown", "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "time_wait", "close", "close_wait",
        "last_ack", "listen", "closing", "new_syn_recv", "bound_inactive", "unknown", "unknown",
    ];

    private static readonly string[] SsNames =
    [
        "UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT",
        "LAST-ACK", "LISTEN", "CLOSING", "SYN-RECV", "UNKNOWN", "UNKNOWN", "UNKNOWN",
    ];

    public static string Name(int state) => Names[state & 0xF];

    /// <summary>The state's name in <c>ss</c>'s first column (UDP's "close" is <c>UNCONN</c>).</summary>
    public static string SsName(int state) => SsNames[state & 0xF];
}
