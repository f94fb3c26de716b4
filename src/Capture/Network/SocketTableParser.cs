namespace RoutingFlow.Capture.Network;

/// <summary>
/// Counts the sockets of one <c>/proc/net/{tcp,tcp6,udp,udp6}</c> table by state, in place: a header line, then one
/// line per socket whose fourth field is its state in hex (<c>  0: 0100007F:0050 00000000:0000 0A …</c>). No
/// allocation; a line that does not parse is counted in <see cref="SocketCounts.Malformed"/>.
/// </summary>
public static class SocketTableParser
{
    public static void Count(ReadOnlySpan<byte> table, ref SocketCounts counts)
    {
        var firstLine = true;
        while (!table.IsEmpty)
        {
            var end = table.IndexOf((byte)'\n');
            var line = end < 0 ? table : table[..end];
            table = end < 0 ? default : table[(end + 1)..];
            if (firstLine)
            {
                firstLine = false;
                continue;
            }
            if (line.Trim((byte)' ').IsEmpty)
                continue;
            if (StateOf(line) is { } state)
                counts.ByState[state]++;
            else
                counts.Malformed++;
        }
    }

    /// <summary>The fourth whitespace-separated field as a two-digit hex state, or null.</summary>
    private static int? StateOf(ReadOnlySpan<byte> line)
    {
        for (var field = 0; field < 3; field++)
        {
            line = line.TrimStart((byte)' ');
            var space = line.IndexOf((byte)' ');
            if (space < 0)
                return null;
            line = line[space..];
        }
        line = line.TrimStart((byte)' ');
        if (line.Length < 2 || (line.Length > 2 && line[2] != ' ') || Hex(line[0]) is not { } high || Hex(line[1]) is not { } low)
            return null;
        var state = (high << 4) | low;
        return state < SocketStates.Count ? state : null;
    }

    private static int? Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => null,
    };
}

/// <summary>Sockets of one table by state (indexed as <see cref="SocketStates"/>), and lines that did not parse.</summary>
public struct SocketCounts
{
    public SocketStateCounts ByState;
    public long Malformed;

    public readonly long Total
    {
        get
        {
            long total = 0;
            foreach (var n in ByState)
                total += n;
            return total;
        }
    }
}

[System.Runtime.CompilerServices.InlineArray(SocketStates.Count)]
public struct SocketStateCounts
{
    private long _element;
}
