using System.Runtime.CompilerServices;
using RoutingFlow.Capture.Decoding;

namespace RoutingFlow.Capture.Tcp;

// The per-segment steps: handshake, window, acknowledgement (RTT) and sequence analysis.
public sealed partial class TcpAnalyzer
{
    private void Syn(int index, ref TcpFlow flow, ref TcpDirection sender, ref NicTcpCounters nic, bool fromA, in TransportHeader tcp,
        in TcpOptions options, long micros)
    {
        sender.WindowScale = options.WindowScale;
        sender.Flags |= DirectionFlags.SawSyn;
        if ((tcp.Flags & TcpFlags.Ack) != 0)
        {
            flow.Flags |= FlowFlags.SynAckSeen;
            return;
        }
        flow.SynMicros = micros; // a retransmitted SYN: the handshake is timed from the last, the one answered (as Wireshark)
        if (!fromA)
            flow.Flags |= FlowFlags.ClientIsB;
        if ((flow.Flags & FlowFlags.Attempted) != 0)
            return; // a retransmitted SYN is not a new attempt
        flow.Flags |= FlowFlags.Attempted;
        _counters.ConnectAttempts++;
        nic.ConnectAttempts++;
        _pending.Add(index, _flows.KeyAt(index).Hash(), micros + _connectTimeoutMicros);
    }

    /// <summary>
    /// The sender's advertised window, scaled by its SYN's shift when both SYNs were seen with the option (RFC 7323
    /// §2.2); a SYN's own window is never scaled and starts nothing. Zero window: 0 on a segment without SYN, FIN
    /// or RST (as Wireshark). Shrink: smaller than the sender's previous one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Window(ref TcpFlow flow, ref TcpDirection sender, ref TcpDirection receiver, in TransportHeader tcp)
    {
        if ((tcp.Flags & TcpFlags.Syn) != 0)
            return;
        var shift = sender.WindowScale >= 0 && receiver.WindowScale >= 0 ? sender.WindowScale : 0;
        var window = (uint)tcp.Window << shift;
        if (tcp.Window == 0 && (tcp.Flags & TcpFlags.Fin) == 0)
        {
            _counters.ZeroWindow++;
            flow.ZeroWindow++;
        }
        if (sender.HasWindow)
        {
            if (window < sender.LastWindow)
            {
                _counters.WindowShrink++;
                flow.WindowShrink++;
            }
            _windowSum += (long)window - sender.LastWindow;
        }
        else
        {
            _windowSum += window;
            _windowCount++;
            sender.Flags |= DirectionFlags.HasWindow;
        }
        sender.LastWindow = window;
    }

    /// <summary>
    /// What this segment's ACK completes: the handshake (the client's ACK of the SYN/ACK: SYN to that ACK is the
    /// handshake RTT, Wireshark's <c>initial_rtt</c>) and the other direction's timed segment (<c>ack_rtt</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Acknowledged(ref TcpFlow flow, ref TcpDirection acknowledged, ref NicTcpCounters nic, bool fromA, uint ack, long micros)
    {
        if ((flow.Flags & (FlowFlags.SynAckSeen | FlowFlags.HandshakeDone)) == FlowFlags.SynAckSeen && flow.SynMicros != 0
            && fromA != ((flow.Flags & FlowFlags.ClientIsB) != 0) && acknowledged.HasSeq && ack == acknowledged.NextSeq)
        {
            flow.Flags |= FlowFlags.HandshakeDone;
            var rtt = micros - flow.SynMicros;
            flow.HandshakeRttMicros = (int)Math.Clamp(rtt, 0, int.MaxValue);
            if (rtt >= 0) // a negative time: the wall clock (the frames' timestamps) stepped back between the two frames
            {
                HandshakeRtt.Observe(flow.HandshakeRttMicros / 1e6);
                SetupTimes.Add(flow.HandshakeRttMicros / 1e6);
            }
            _counters.ConnectSuccesses++;
            nic.ConnectSuccesses++;
        }
        if (acknowledged.RttPending && !SequenceHoles.Before(ack, acknowledged.RttSeq))
        {
            if (micros >= acknowledged.RttSentMicros)
                AckRtt.Observe((micros - acknowledged.RttSentMicros) / 1e6);
            acknowledged.Flags &= ~DirectionFlags.RttPending;
        }
    }

    /// <summary>
    /// Sequence analysis of a segment that occupies sequence space (data, SYN or FIN). Beyond the next expected
    /// number: a gap (missing; its size to the histogram; a hole recorded). Below it: a keep-alive (one byte or none,
    /// at next − 1) is ignored; a segment filling part of a hole is out-of-order; anything else repeats bytes already
    /// seen and is a duplicate. A zero-window probe (one byte at the next expected number while the receiver's window
    /// is 0) is neither and does not move the next expected number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Sequence(ref TcpFlow flow, ref TcpDirection sender, ref TcpDirection receiver, ref NicTcpCounters nic,
        in TransportHeader tcp, long micros)
    {
        var control = (tcp.Flags & TcpFlags.Syn) != 0 ? 1 : 0;
        control += (tcp.Flags & TcpFlags.Fin) != 0 ? 1 : 0;
        var length = (uint)(tcp.PayloadLength + control);
        if (length == 0)
        {
            if (sender.HasSeq && tcp.Sequence == sender.NextSeq - 1)
                _counters.KeepAlives++; // a keep-alive or (Linux) a zero-window probe: one byte behind, no data
            return;
        }
        if (tcp.PayloadLength > 0)
            nic.DataSegments++;
        var (seq, end) = (tcp.Sequence, tcp.Sequence + length);
        if (!sender.HasSeq)
        {
            sender.NextSeq = end;
            sender.Flags |= DirectionFlags.HasSeq;
            StartRtt(ref sender, tcp.PayloadLength, end, micros);
            return;
        }
        var delta = (int)(seq - sender.NextSeq);
        if (delta == 0)
        {
            if (tcp.PayloadLength == 1 && control == 0 && receiver.HasWindow && receiver.LastWindow == 0)
                return; // zero-window probe
            sender.NextSeq = end;
            StartRtt(ref sender, tcp.PayloadLength, end, micros);
        }
        else if (delta > 0)
            Gap(ref flow, ref sender, ref nic, seq, end, (uint)delta, tcp.PayloadLength, micros);
        else
            Behind(ref flow, ref sender, ref nic, seq, end, tcp.PayloadLength, control);
    }

    private void Gap(ref TcpFlow flow, ref TcpDirection sender, ref NicTcpCounters nic, uint seq, uint end, uint gap, int payload, long micros)
    {
        _counters.Missing++;
        _counters.GapBytes += gap;
        flow.Missing++;
        nic.Missing++;
        GapBytes.Observe(gap);
        if (!SequenceHoles.Open(ref sender, sender.NextSeq, seq))
            _counters.HoleOverflows++;
        sender.NextSeq = end;
        StartRtt(ref sender, payload, end, micros);
    }

    private void Behind(ref TcpFlow flow, ref TcpDirection sender, ref NicTcpCounters nic, uint seq, uint end, int payload, int control)
    {
        if (control == 0 && seq == sender.NextSeq - 1)
        {
            if (payload <= 1)
            {
                _counters.KeepAlives++;
                return;
            }
            // Data from one byte behind: the resend of a one-byte zero-window probe with what follows it (Wireshark
            // does not call this a retransmission either).
            sender.NextSeq = end;
            return;
        }
        if (SequenceHoles.Fill(ref sender, seq, end))
        {
            _counters.OutOfOrder++;
            flow.OutOfOrder++;
            nic.OutOfOrder++;
        }
        else
        {
            _counters.Duplicate++;
            flow.Duplicate++;
            nic.Duplicate++;
        }
        if (sender.RttPending && SequenceHoles.Before(seq, sender.RttSeq))
            sender.Flags &= ~DirectionFlags.RttPending; // Karn: an ACK now may be for either copy
        if (SequenceHoles.After(end, sender.NextSeq))
            sender.NextSeq = end;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StartRtt(ref TcpDirection sender, int payload, uint end, long micros)
    {
        if (payload == 0 || sender.RttPending)
            return;
        sender.RttSeq = end;
        sender.RttSentMicros = micros;
        sender.Flags |= DirectionFlags.RttPending;
    }
}
