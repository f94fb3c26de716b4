using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Protocols;

/// <summary>
/// UDP "connections": the first packet of a 5-tuple not seen within <see cref="IdleMicros"/> starts one, and it is
/// answered once a packet goes the other way. Bounded (<see cref="MaxFlows"/>; past it new tuples are counted as
/// untracked, not stored); idle flows are dropped at each publication (answered or not). One writer.
/// </summary>
public sealed class UdpFlows
{
    public const int MaxFlows = 65_536;
    public const long IdleMicros = 30_000_000;
    private readonly Dictionary<Key, Flow> _flows = new(1024);
    private readonly List<Key> _expired = [];
    private UdpFlowCounters _counters;

    public UdpFlowCounters Counters
    {
        get
        {
            var counters = _counters;
            counters.Active = _flows.Count;
            return counters;
        }
    }

    public void Count(in DecodedPacket packet, long micros)
    {
        var t = packet.Transport;
        var forward = Before(packet.Ip.Source, t.SourcePort, packet.Ip.Destination, t.DestinationPort);
        var key = forward ? new Key(packet.Ip.Source, packet.Ip.Destination, t.SourcePort, t.DestinationPort)
            : new Key(packet.Ip.Destination, packet.Ip.Source, t.DestinationPort, t.SourcePort);
        ref var flow = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_flows, key);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref flow))
        {
            _counters.Flows++;
            if (_flows.Count >= MaxFlows)
            {
                _counters.Untracked++;
                return;
            }
            _flows.Add(key, new Flow(micros, forward, false));
            return;
        }
        flow.LastMicros = micros;
        if (!flow.Answered && flow.StartedForward != forward)
        {
            flow.Answered = true;
            _counters.Answered++;
        }
    }

    /// <summary>Drops the flows idle longer than <see cref="IdleMicros"/> (an unanswered one counts as such).</summary>
    public void Expire(long nowMicros)
    {
        _expired.Clear();
        foreach (var (key, flow) in _flows)
        {
            if (flow.LastMicros <= nowMicros - IdleMicros)
                _expired.Add(key);
        }
        foreach (var key in _expired)
        {
            if (_flows.Remove(key, out var flow) && !flow.Answered)
                _counters.Unanswered++;
        }
    }

    private static bool Before(IpAddr a, ushort aPort, IpAddr b, ushort bPort)
    {
        var order = a.CompareTo(b);
        return order < 0 || (order == 0 && aPort <= bPort);
    }

    private readonly record struct Key(IpAddr A, IpAddr B, ushort APort, ushort BPort);

    private record struct Flow(long LastMicros, bool StartedForward, bool Answered);
}

/// <summary>UDP flows started, answered, gone without an answer, not tracked (the table was full), and tracked now.</summary>
public struct UdpFlowCounters
{
    public long Flows;
    public long Answered;
    public long Unanswered;
    public long Untracked;
    public int Active;
}
