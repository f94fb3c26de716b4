using System.Text.Json;
using RoutingFlow.Capture.Analysis;
using RoutingFlow.Capture.Tcp;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// The <c>tcp</c> section of the <c>analyze</c> JSON report. A histogram is <c>{"count","sum","buckets":[{"le","count"}]}</c>
/// with each bucket's own count (not cumulative) and <c>le</c> null for the last, unbounded one; RTTs in seconds.
/// </summary>
public static class TcpReportWriter
{
    public static void Write(Utf8JsonWriter json, TcpReport tcp)
    {
        json.WriteStartObject("tcp");
        json.WriteNumber("packets", tcp.Packets);
        json.WriteNumber("globalPackets", tcp.GlobalPackets);
        json.WriteNumber("flows", tcp.Flows);
        json.WriteNumber("missing", tcp.Missing);
        json.WriteNumber("duplicate", tcp.Duplicate);
        json.WriteNumber("outOfOrder", tcp.OutOfOrder);
        json.WriteNumber("windowShrink", tcp.WindowShrink);
        json.WriteNumber("zeroWindow", tcp.ZeroWindow);
        json.WriteNumber("keepAlives", tcp.KeepAlives);
        json.WriteNumber("malformed", tcp.Malformed);
        json.WriteNumber("flowEvictions", tcp.FlowEvictions);
        WriteHistogram(json, "gapBytes", tcp.GapBytes);
        json.WriteStartObject("rtt");
        WriteHistogram(json, "handshake", tcp.HandshakeRtt);
        WriteHistogram(json, "ack", tcp.AckRtt);
        json.WriteEndObject();
        json.WriteStartArray("topFlows");
        foreach (var flow in tcp.TopFlows)
            WriteFlow(json, flow);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The <c>connections</c> section: <c>{"attempts","successes","failures","refused","timedOut","pending","errorRate"
    /// (failures per attempt, %),"setupSeconds":{"mean","p50","p95"}}</c> from the captured handshakes.
    /// </summary>
    public static void WriteConnections(Utf8JsonWriter json, ConnectionSummary c, RoutingFlow.Capture.Protocols.UdpFlowCounters? udp = null)
    {
        json.WriteStartObject("connections");
        json.WriteNumber("attempts", c.Attempts);
        json.WriteNumber("successes", c.Successes);
        json.WriteNumber("failures", c.Failures);
        json.WriteNumber("refused", c.Refused);
        json.WriteNumber("timedOut", c.TimedOut);
        json.WriteNumber("pending", c.Pending);
        WriteNumberOrNull(json, "errorRate", c.ErrorRate);
        json.WriteStartObject("setupSeconds");
        WriteNumberOrNull(json, "mean", c.SetupMean);
        WriteNumberOrNull(json, "p50", c.SetupP50);
        WriteNumberOrNull(json, "p95", c.SetupP95);
        json.WriteEndObject();
        if (udp is { } u)
        {
            json.WriteStartObject("udp");
            json.WriteNumber("flows", u.Flows);
            json.WriteNumber("answered", u.Answered);
            json.WriteNumber("unanswered", u.Unanswered);
            json.WriteNumber("untracked", u.Untracked);
            json.WriteNumber("active", u.Active);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }

    public static void WriteHistogram(Utf8JsonWriter json, string name, HistogramSnapshot histogram)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", histogram.Count);
        json.WriteNumber("sum", histogram.Sum);
        json.WriteStartArray("buckets");
        for (var i = 0; i < histogram.Counts.Length; i++)
        {
            json.WriteStartObject();
            if (i < histogram.Bounds.Length)
                json.WriteNumber("le", histogram.Bounds[i]);
            else
                json.WriteNull("le");
            json.WriteNumber("count", histogram.Counts[i]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFlow(Utf8JsonWriter json, TcpFlowView flow)
    {
        json.WriteStartObject();
        json.WriteString("client", flow.Client.ToString());
        json.WriteNumber("clientPort", flow.ClientPort);
        json.WriteString("server", flow.Server.ToString());
        json.WriteNumber("serverPort", flow.ServerPort);
        json.WriteString("protocol", "tcp");
        json.WriteNumber("packets", flow.Packets);
        json.WriteNumber("bytes", flow.Bytes);
        json.WriteNumber("missing", flow.Missing);
        json.WriteNumber("duplicate", flow.Duplicate);
        json.WriteNumber("outOfOrder", flow.OutOfOrder);
        json.WriteNumber("windowShrink", flow.WindowShrink);
        json.WriteNumber("zeroWindow", flow.ZeroWindow);
        WriteOptional(json, "clientWindow", flow.ClientWindow);
        WriteOptional(json, "serverWindow", flow.ServerWindow);
        if (flow.HandshakeRttSeconds is { } rtt)
            json.WriteNumber("handshakeRttSeconds", rtt);
        else
            json.WriteNull("handshakeRttSeconds");
        json.WriteBoolean("closed", flow.Closed);
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, uint? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }
}
