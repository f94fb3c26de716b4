using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Probing;

/// <summary>
/// The fields of Linux's <c>struct tcp_info</c> (getsockopt IPPROTO_TCP/TCP_INFO) that the probes use. Older
/// kernels return a shorter struct: a field they lack reads as null. <see cref="Rtt"/> is measured on the data a
/// socket sends; a receiver's view of the path (a download) is <see cref="RcvRtt"/>.
/// </summary>
public readonly record struct TcpInfo(
    byte Options,
    uint SndMss,
    uint RcvMss,
    TimeSpan Rtt,
    TimeSpan RttVar,
    TimeSpan RcvRtt,
    uint RcvSpace,
    uint TotalRetrans,
    ulong? BytesAcked,
    ulong? BytesReceived,
    uint? SegsOut,
    uint? SegsIn,
    TimeSpan? MinRtt,
    ulong? DeliveryRateBytesPerSecond,
    ulong? BytesSent)
{
    private const int SolTcp = 6;
    private const int TcpInfoOption = 11;
    private const byte OptTimestamps = 1;

    // struct tcp_info (include/uapi/linux/tcp.h), byte offsets:
    //   0 state  1 ca_state  2 retransmits  3 probes  4 backoff  5 options  6 wscales  7 flags
    //   8 rto  12 ato  16 snd_mss  20 rcv_mss  24 unacked  28 sacked  32 lost  36 retrans  40 fackets
    //  44..56 last_data_sent/last_ack_sent/last_data_recv/last_ack_recv
    //  60 pmtu  64 rcv_ssthresh  68 rtt (µs)  72 rttvar (µs)  76 snd_ssthresh  80 snd_cwnd  84 advmss  88 reordering
    //  92 rcv_rtt  96 rcv_space  100 total_retrans                                       (104 bytes: Linux 2.6)
    // 104 pacing_rate  112 max_pacing_rate  120 bytes_acked  128 bytes_received (u64)
    // 136 segs_out  140 segs_in  144 notsent_bytes  148 min_rtt  152 data_segs_in  156 data_segs_out   (4.6)
    // 160 delivery_rate (u64, bytes/s)                                                                (4.9)
    // 168 busy_time  176 rwnd_limited  184 sndbuf_limited  192 delivered  196 delivered_ce
    // 200 bytes_sent (u64)                                                                            (5.5)
    public const int MinimumLength = 104;
    public const int BufferLength = 256;

    /// <summary>Whether TCP timestamps are on (12 more header bytes per segment).</summary>
    public bool Timestamps => (Options & OptTimestamps) != 0;

    public static bool TryRead(ReadOnlySpan<byte> data, out TcpInfo info)
    {
        info = default;
        if (data.Length < MinimumLength)
            return false;
        info = new TcpInfo(
            data[5],
            U32(data, 16),
            U32(data, 20),
            Micros(U32(data, 68)),
            Micros(U32(data, 72)),
            Micros(U32(data, 92)),
            U32(data, 96),
            U32(data, 100),
            data.Length >= 128 ? U64(data, 120) : null,
            data.Length >= 136 ? U64(data, 128) : null,
            data.Length >= 140 ? U32(data, 136) : null,
            data.Length >= 144 ? U32(data, 140) : null,
            data.Length >= 152 ? Micros(U32(data, 148)) : null,
            data.Length >= 168 ? U64(data, 160) : null,
            data.Length >= 208 ? U64(data, 200) : null);
        return true;
    }

    /// <summary>TCP_INFO of a connected socket; false where the platform has none (not Linux) or the call fails.</summary>
    public static bool TryGet(Socket socket, out TcpInfo info)
    {
        info = default;
        if (!OperatingSystem.IsLinux())
            return false;
        Span<byte> buffer = stackalloc byte[BufferLength];
        try
        {
            var length = socket.GetRawSocketOption(SolTcp, TcpInfoOption, buffer);
            return TryRead(buffer[..length], out info);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private static uint U32(ReadOnlySpan<byte> data, int offset) => MemoryMarshal.Read<uint>(data[offset..]); // host byte order

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => MemoryMarshal.Read<ulong>(data[offset..]);

    private static TimeSpan Micros(uint micros) => TimeSpan.FromTicks(micros * 10L);
}
