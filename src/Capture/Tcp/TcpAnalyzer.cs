using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Accounting;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Decoding;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Capture.Sources;

namespace RoutingFlow.Capture.Tcp;

/// <summary>
/// Per-flow TCP health of one capture, what Wireshark's expert analysis flags offline, continuously and in bounded
/// memory: for every segment carrying data (or SYN/FIN) whether it left a gap (missing), filled part of one
/// (out-of-order) or repeated bytes already seen (duplicate); window shrinks and zero windows; handshake and
/// data-to-ACK RTT at the capture point; per WAN loss and retransmission counts. One writer: the capture thread;
/// readers get <see cref="Latest"/>.
/// </summary>
public sealed partial class TcpAnalyzer : IPacketConsumer
{
    private readonly FlowTable _flows;
    private readonly WanAttribution _attribution;
    private readonly bool _globalOnly;
    private readonly long _idleMicros;
    private readonly long _closedMicros;
    private readonly NicTcpCounters[] _perNic = new NicTcpCounters[256];
    private TcpCounters _counters;
    private long _windowSum;
    private long _windowCount;
    private volatile TcpSnapshot? _latest;
    private long _topRequestedUntil;

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly PendingHandshakes _pending;
    private readonly long _connectTimeoutMicros;

    /// <param name="connectTimeout">How long an attempt waits for a SYN/ACK before it is a failure (<c>Network:ConnectTimeout</c>; 10 s).</param>
    public TcpAnalyzer(TcpAnalysisOptions options, WanAttribution? attribution = null, TimeSpan? connectTimeout = null)
    {
        _flows = new FlowTable(options.MaxFlows);
        _pending = new PendingHandshakes(Math.Min(options.MaxFlows, 262_144));
        _connectTimeoutMicros = (long)(connectTimeout ?? DefaultConnectTimeout).TotalMicroseconds;
        _attribution = attribution ?? WanAttribution.None;
        _globalOnly = options.GlobalOnly;
        _idleMicros = (long)options.IdleTimeout.TotalMicroseconds;
        _closedMicros = (long)options.ClosedTimeout.TotalMicroseconds;
    }

    public EventHistogram GapBytes { get; } = new(EventHistogram.GapBytesBounds);

    public EventHistogram HandshakeRtt { get; } = new(EventHistogram.RttSecondsBounds);

    public EventHistogram AckRtt { get; } = new(EventHistogram.RttSecondsBounds);

    /// <summary>Connection set-up times (SYN to the ACK of the SYN/ACK), for their mean and percentiles.</summary>
    public SampleReservoir SetupTimes { get; } = new();

    public TcpCounters Counters => _counters;

    public FlowTable Flows => _flows;

    /// <summary>The last publication, or null before the first.</summary>
    public TcpSnapshot? Latest => _latest;

    /// <summary>Asks the next publications (for <paramref name="seconds"/>) to include the top flows, which cost a scan of the table.</summary>
    public void RequestTopFlows(int seconds = 10) =>
        Volatile.Write(ref _topRequestedUntil, Environment.TickCount64 + (seconds * 1000L));

    public void Consume(ReadOnlySpan<CapturedPacket> batch)
    {
        foreach (ref readonly var item in batch)
            Analyze(item.Packet, item.TimestampMicros);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Analyze(in DecodedPacket packet, long micros)
    {
        _counters.TotalPackets++;
        if (!packet.HasTransport || packet.Ip.Protocol != IpProtocol.Tcp)
            return;
        _counters.TcpPackets++;
        var global = GlobalAddress.IsGlobalUnicast(packet.Ip.Source) && GlobalAddress.IsGlobalUnicast(packet.Ip.Destination);
        if (global)
            _counters.GlobalTcpPackets++;
        if (packet.Status == DecodeStatus.Malformed)
        {
            _counters.Malformed++;
            return;
        }
        if (_globalOnly && !global)
            return;
        var index = FlowOf(packet, micros, out var fromA);
        if (index >= 0)
            Segment(index, fromA, packet, micros);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FlowOf(in DecodedPacket packet, long micros, out bool fromA)
    {
        var key = FlowKey.Of(packet.Ip.Source, packet.Transport.SourcePort, packet.Ip.Destination, packet.Transport.DestinationPort, out fromA);
        var hash = key.Hash();
        var index = _flows.Find(key, hash);
        if (index >= 0)
        {
            _flows.Touch(index, micros);
            return index;
        }
        return NewFlow(packet, key, hash, micros);
    }

    private int NewFlow(in DecodedPacket packet, in FlowKey key, ulong hash, long micros)
    {
        var index = _flows.Open(key, hash, micros);
        if (index < 0)
        {
            EvictLeastRecent();
            index = _flows.Open(key, hash, micros);
        }
        _counters.FlowsCreated++;
        _flows[index].Nic = _attribution.Of(packet, out _flows[index].NicPending);
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Segment(int index, bool fromA, in DecodedPacket packet, long micros)
    {
        ref var flow = ref _flows[index];
        ref var sender = ref fromA ? ref flow.A : ref flow.B;
        ref var receiver = ref fromA ? ref flow.B : ref flow.A;
        ref readonly var tcp = ref packet.Transport;
        flow.LastSeenMicros = micros;
        flow.Packets++;
        flow.Bytes += packet.WireLength;
        if (flow.NicPending)
            RecheckNic(ref flow, packet);
        ref var nic = ref _perNic[flow.Nic];
        nic.Packets++;
        if ((tcp.Flags & TcpFlags.Syn) != 0)
            Syn(index, ref flow, ref sender, ref nic, fromA, tcp, packet.TcpOptions, micros);
        if ((tcp.Flags & TcpFlags.Rst) == 0)
            Window(ref flow, ref sender, ref receiver, tcp);
        if ((tcp.Flags & TcpFlags.Ack) != 0)
            Acknowledged(ref flow, ref receiver, ref nic, fromA, tcp.Acknowledgment, micros);
        if ((tcp.Flags & TcpFlags.Rst) == 0)
            Sequence(ref flow, ref sender, ref receiver, ref nic, tcp, micros);
        if ((tcp.Flags & (TcpFlags.Fin | TcpFlags.Rst)) != 0)
            Closing(index, ref flow, ref sender, tcp.Flags);
    }

    /// <summary>
    /// A flow whose connection conntrack did not know at its first packet is looked up again until its handshake is
    /// done; found on another WAN, what it counted there so far (its packets, its attempt) moves with it.
    /// </summary>
    private void RecheckNic(ref TcpFlow flow, in DecodedPacket packet)
    {
        if ((flow.Flags & FlowFlags.HandshakeDone) != 0)
        {
            flow.NicPending = false;
            return;
        }
        if (!_attribution.TryConnection(packet, out var nic))
            return;
        flow.NicPending = false;
        if (nic == flow.Nic)
            return;
        ref var from = ref _perNic[flow.Nic];
        ref var to = ref _perNic[nic];
        var earlier = flow.Packets - 1; // this packet is counted on its new WAN by the caller
        (from.Packets, to.Packets) = (from.Packets - earlier, to.Packets + earlier);
        if ((flow.Flags & FlowFlags.Attempted) != 0)
            (from.ConnectAttempts, to.ConnectAttempts) = (from.ConnectAttempts - 1, to.ConnectAttempts + 1);
        flow.Nic = nic;
    }

    private void Closing(int index, ref TcpFlow flow, ref TcpDirection sender, TcpFlags flags)
    {
        sender.Flags |= DirectionFlags.SawFin;
        if ((flags & TcpFlags.Rst) != 0)
        {
            flow.Flags |= FlowFlags.Rst;
            if ((flow.Flags & (FlowFlags.Attempted | FlowFlags.SynAckSeen | FlowFlags.Failed)) == FlowFlags.Attempted)
            {
                flow.Flags |= FlowFlags.Failed; // a RST answering the SYN: refused
                _counters.ConnectRefused++;
                _perNic[flow.Nic].ConnectRefused++;
            }
        }
        _flows.Close(index);
    }
}
