using System.Buffers.Text;
using System.Text;

namespace RoutingFlow.Capture.Network;

/// <summary>
/// The kernel's per-interface counters from <c>/proc/net/dev</c> (two header lines, then
/// <c>  eth0: rx-bytes rx-packets rx-errs rx-drop fifo frame compressed multicast tx-bytes tx-packets tx-errs tx-drop …</c>),
/// updated in place: an interface's entry (and its name) is made once, when it first appears, and later reads only
/// write its numbers; an interface gone from the file is dropped.
/// </summary>
public sealed class NetDevTable
{
    private readonly List<NetDevEntry> _entries = [];

    public IReadOnlyList<NetDevEntry> Entries => _entries;

    /// <summary>Reads the file's lines into the entries; returns how many lines did not parse (counted, skipped).</summary>
    public int Update(ReadOnlySpan<byte> file)
    {
        foreach (var entry in _entries)
            entry.Seen = false;
        var malformed = 0;
        var line = 0;
        while (!file.IsEmpty)
        {
            var end = file.IndexOf((byte)'\n');
            var text = end < 0 ? file : file[..end];
            file = end < 0 ? default : file[(end + 1)..];
            if (line++ < 2 || text.Trim((byte)' ').IsEmpty)
                continue;
            if (!Row(text))
                malformed++;
        }
        _entries.RemoveAll(e => !e.Seen);
        return malformed;
    }

    private bool Row(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
            return false;
        var name = line[..colon].Trim((byte)' ');
        var fields = line[(colon + 1)..];
        Span<long> values = stackalloc long[16];
        for (var i = 0; i < values.Length; i++)
        {
            fields = fields.TrimStart((byte)' ');
            var space = fields.IndexOf((byte)' ');
            var token = space < 0 ? fields : fields[..space];
            if (!Utf8Parser.TryParse(token, out long value, out var used) || used != token.Length)
                return false;
            values[i] = value;
            fields = space < 0 ? default : fields[space..];
        }
        var entry = Find(name);
        entry.Counters = new NetDevCounters(values[0], values[1], values[2], values[3], values[8], values[9], values[10], values[11]);
        entry.Seen = true;
        return true;
    }

    private NetDevEntry Find(ReadOnlySpan<byte> name)
    {
        foreach (var entry in _entries)
        {
            if (name.SequenceEqual(entry.NameBytes))
                return entry;
        }
        var added = new NetDevEntry(name.ToArray(), Encoding.ASCII.GetString(name));
        _entries.Add(added);
        return added;
    }
}

public sealed class NetDevEntry(byte[] nameBytes, string name)
{
    internal byte[] NameBytes { get; } = nameBytes;

    public string Name { get; } = name;

    public NetDevCounters Counters { get; internal set; }

    internal bool Seen { get; set; }
}

/// <summary>One interface's cumulative counters, as the kernel keeps them (bytes include the link header, not the FCS).</summary>
public readonly record struct NetDevCounters(long RxBytes, long RxPackets, long RxErrors, long RxDropped, long TxBytes, long TxPackets, long TxErrors, long TxDropped);
