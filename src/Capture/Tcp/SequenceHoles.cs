using System.Runtime.CompilerServices;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// Sequence-space arithmetic (RFC 9293 §3.4: compare modulo 2^32) and the bounded set of holes a direction keeps.
/// Holes are opened at the next expected sequence number, so they stay in ascending order; when the set is full the
/// oldest is dropped (counted by the caller).
/// </summary>
public static class SequenceHoles
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(uint a, uint b) => (int)(a - b) < 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool After(uint a, uint b) => (int)(a - b) > 0;

    /// <summary>Records the hole [start, end). Returns false when the oldest hole had to go to make room.</summary>
    public static bool Open(ref TcpDirection d, uint start, uint end)
    {
        var kept = true;
        if (d.HoleCount == TcpDirection.MaxHoles)
        {
            RemoveAt(ref d, 0);
            kept = false;
        }
        d.Holes[d.HoleCount * 2] = start;
        d.Holes[(d.HoleCount * 2) + 1] = end;
        d.HoleCount++;
        return kept;
    }

    /// <summary>Removes [start, end) from the holes; true when it filled any part of one.</summary>
    public static bool Fill(ref TcpDirection d, uint start, uint end)
    {
        var filled = false;
        for (var i = 0; i < d.HoleCount; i++)
        {
            var (holeStart, holeEnd) = (d.Holes[i * 2], d.Holes[(i * 2) + 1]);
            if (!Before(start, holeEnd) || !After(end, holeStart))
                continue;
            filled = true;
            var keepsLeft = After(start, holeStart);
            var keepsRight = Before(end, holeEnd);
            if (keepsLeft && keepsRight)
            {
                d.Holes[(i * 2) + 1] = start;
                if (d.HoleCount < TcpDirection.MaxHoles)
                    InsertAt(ref d, i + 1, end, holeEnd);
                i++;
            }
            else if (keepsLeft)
                d.Holes[(i * 2) + 1] = start;
            else if (keepsRight)
                d.Holes[i * 2] = end;
            else
                RemoveAt(ref d, i--);
        }
        return filled;
    }

    private static void RemoveAt(ref TcpDirection d, int index)
    {
        for (var i = index; i + 1 < d.HoleCount; i++)
            (d.Holes[i * 2], d.Holes[(i * 2) + 1]) = (d.Holes[(i + 1) * 2], d.Holes[((i + 1) * 2) + 1]);
        d.HoleCount--;
    }

    private static void InsertAt(ref TcpDirection d, int index, uint start, uint end)
    {
        for (var i = d.HoleCount; i > index; i--)
            (d.Holes[i * 2], d.Holes[(i * 2) + 1]) = (d.Holes[(i - 1) * 2], d.Holes[((i - 1) * 2) + 1]);
        (d.Holes[index * 2], d.Holes[(index * 2) + 1]) = (start, end);
        d.HoleCount++;
    }
}
