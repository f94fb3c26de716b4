using RoutingFlow.Capture.Conntrack;

namespace RoutingFlow.Capture.Tests.Conntrack;

/// <summary>Netlink sockets that answer from queues: the dump socket (groups 0) with <see cref="DumpReplies"/> per request, the event socket with <see cref="Events"/> (a negative number is an errno).</summary>
internal sealed class FakeNetlink : INetlinkSocketFactory
{
    public int OpenErrno { get; set; }

    public Func<IEnumerable<byte[]>> DumpReplies { get; set; } = () => [];

    public Queue<object> Events { get; } = new();

    public int DumpRequests { get; private set; }

    public INetlinkSocket Open(int protocol, uint groups, int receiveBufferBytes)
    {
        if (OpenErrno != 0)
            throw new NetlinkException("bind", OpenErrno);
        return new Socket(this, groups != 0);
    }

    private sealed class Socket(FakeNetlink owner, bool events) : INetlinkSocket
    {
        private readonly Queue<byte[]> _replies = new();

        public int Send(ReadOnlySpan<byte> message)
        {
            owner.DumpRequests++;
            foreach (var reply in owner.DumpReplies())
                _replies.Enqueue(reply);
            return 0;
        }

        public int Receive(Span<byte> buffer, int timeoutMilliseconds)
        {
            if (!events)
                return Copy(_replies.Count > 0 ? _replies.Dequeue() : null, buffer);
            if (owner.Events.Count == 0)
                return 0;
            return owner.Events.Dequeue() switch
            {
                int errno => -errno,
                byte[] datagram => Copy(datagram, buffer),
                _ => 0,
            };
        }

        public void Dispose()
        {
        }

        private static int Copy(byte[]? datagram, Span<byte> buffer)
        {
            if (datagram is null)
                return 0;
            datagram.CopyTo(buffer);
            return datagram.Length;
        }
    }
}

/// <summary>Resolves every connection to one fixed answer, counting the calls.</summary>
internal sealed class FixedResolver(AttributionSource source = AttributionSource.Map, byte nic = byte.MaxValue) : IConnectionWanResolver
{
    public int Calls { get; private set; }

    public AttributionSource Resolve(in ConntrackTuple original, in ConntrackTuple reply, uint mark, out byte nic1)
    {
        Calls++;
        nic1 = mark == 0x200 ? (byte)1 : nic;
        return source;
    }
}
