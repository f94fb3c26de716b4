namespace RoutingFlow.Capture.Conntrack;

/// <summary>
/// Keeps a <see cref="ConntrackTable"/> equal to the kernel's connection tracking over ctnetlink: subscribes to the
/// NEW, UPDATE and DESTROY event groups, then dumps the whole table once, then applies events as they come. When the
/// kernel reports lost events (<c>ENOBUFS</c>: the socket's buffer overflowed) it dumps again, drops what the dump no
/// longer holds, and counts a resync. No <c>conntrack</c> child process and no <c>/proc/net/nf_conntrack</c>.
/// Messages are read in place from one receive buffer. One thread: the caller's (<see cref="Open"/>, then
/// <see cref="ReadEvents"/> in a loop).
/// </summary>
public sealed class ConntrackReader(ConntrackTable table, IConnectionWanResolver resolver, INetlinkSocketFactory sockets, TimeProvider time) : IDisposable
{
    public const uint EventGroups = 1 | 2 | 4; // NF_NETLINK_CONNTRACK_NEW | _UPDATE | _DESTROY
    public const int EventBufferBytes = 16 << 20;
    private static readonly TimeSpan DumpTimeout = TimeSpan.FromSeconds(10);
    private readonly byte[] _buffer = new byte[256 * 1024];
    private INetlinkSocket? _events;
    private INetlinkSocket? _dump;
    private uint _sequence;

    public ConntrackTable Table => table;

    /// <summary>Connection messages applied (dump entries and events).</summary>
    public long Messages { get; private set; }

    /// <summary>ctnetlink messages that did not parse as a connection (counted, skipped).</summary>
    public long Malformed { get; private set; }

    /// <summary>Full re-reads after lost events.</summary>
    public long Resyncs { get; private set; }

    /// <summary>How long the last full read took.</summary>
    public TimeSpan LastDumpDuration { get; private set; }

    /// <summary>Connections the last resync found gone (their DESTROY events were lost).</summary>
    public long LastResyncDropped { get; private set; }

    /// <summary>Called for each DESTROY with its final counters, after the connection left the table.</summary>
    public Action<ConntrackMessage>? Destroyed { get; set; }

    /// <summary>Called for each message that carries counters (accounting on), with the connection as the table holds it (for DESTROY: held).</summary>
    public CountedHandler? Counted { get; set; }

    /// <summary>Subscribes and reads the whole table; throws <see cref="ConntrackUnavailableException"/> with the reason and the fix.</summary>
    public void Open()
    {
        Dispose();
        _events = OpenSocket(EventGroups, EventBufferBytes, "subscribing to conntrack events");
        _dump = OpenSocket(0, 4 << 20, "opening a conntrack socket");
        Dump();
        table.Active = true;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for events and applies them; re-reads the table after lost events. Returns the messages applied.</summary>
    public int ReadEvents(int timeoutMilliseconds)
    {
        var received = _events!.Receive(_buffer, timeoutMilliseconds);
        if (received == -NetlinkErrors.Enobufs)
        {
            Resyncs++;
            Dump();
            return 0;
        }
        if (received < 0)
            throw ConntrackUnavailableException.From("reading conntrack events", -received);
        return Apply(_buffer.AsSpan(0, received), out _, out _);
    }

    /// <summary>Reads the whole table again, dropping connections it no longer holds.</summary>
    public void Dump()
    {
        var started = time.GetTimestamp();
        table.BeginResync();
        var sequence = ++_sequence;
        Span<byte> request = stackalloc byte[Netlink.HeaderLength + 4];
        request.Clear();
        Netlink.WriteHeader(request, request.Length, (CtnetlinkParser.SubsystemCtnetlink << 8) | CtnetlinkParser.MessageGet,
            Netlink.FlagRequest | Netlink.FlagDump, sequence);
        var sent = _dump!.Send(request);
        if (sent < 0)
            throw ConntrackUnavailableException.From("requesting the conntrack table", -sent);
        ReadDump(started);
        LastResyncDropped = table.EndResync();
        LastDumpDuration = time.GetElapsedTime(started);
    }

    public void Dispose()
    {
        table.Active = false;
        _events?.Dispose();
        _dump?.Dispose();
        _events = _dump = null;
    }

    private void ReadDump(long started)
    {
        while (true)
        {
            if (time.GetElapsedTime(started) > DumpTimeout)
                throw new ConntrackUnavailableException($"reading the conntrack table took longer than {DumpTimeout.TotalSeconds:0} s", "check the kernel log; RoutingFlow tries again");
            var received = _dump!.Receive(_buffer, 1000);
            if (received < 0)
                throw ConntrackUnavailableException.From("reading the conntrack table", -received);
            Apply(_buffer.AsSpan(0, received), out var done, out var error);
            if (error != 0)
                throw ConntrackUnavailableException.From("reading the conntrack table", -error);
            if (done)
                return;
        }
    }

    private int Apply(ReadOnlySpan<byte> datagram, out bool done, out int error)
    {
        done = false;
        error = 0;
        var applied = 0;
        var offset = 0;
        while (Netlink.TryNext(datagram, ref offset, out var header, out var payload))
        {
            if (header.Type is Netlink.Done)
            {
                done = true;
                error = Netlink.ErrorCode(payload) < 0 ? Netlink.ErrorCode(payload) : 0;
                continue;
            }
            if (header.Type is Netlink.Error)
            {
                error = Netlink.ErrorCode(payload);
                done = true;
                continue;
            }
            if (!CtnetlinkParser.IsConntrack(header.Type))
                continue;
            if (CtnetlinkParser.TryParse(header, payload, out var message))
            {
                ApplyMessage(message);
                applied++;
            }
            else
            {
                Malformed++;
            }
        }
        return applied;
    }

    private void ApplyMessage(in ConntrackMessage message)
    {
        Messages++;
        ConntrackEntry entry;
        bool known;
        if (message.Kind == ConntrackEventKind.Destroy)
        {
            known = table.Remove(message.Original, out entry);
            Destroyed?.Invoke(message);
        }
        else
        {
            table.Upsert(message, resolver, out entry);
            known = true;
        }
        if (known && message.HasCounters)
            Counted?.Invoke(message, entry);
    }

    private INetlinkSocket OpenSocket(uint groups, int bufferBytes, string step)
    {
        try
        {
            return sockets.Open(NetlinkSocket.NetlinkNetfilter, groups, bufferBytes);
        }
        catch (NetlinkException e)
        {
            throw ConntrackUnavailableException.From(step, e.Errno);
        }
    }
}

/// <summary>A connection's counters as a message carried them, with the connection as the table holds it.</summary>
public delegate void CountedHandler(in ConntrackMessage message, in ConntrackEntry entry);
