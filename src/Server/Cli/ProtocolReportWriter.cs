using System.Text.Json;
using RoutingFlow.Capture.Protocols;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// The <c>protocols</c> section of <c>analyze</c>: <c>{"mix":[{"protocol","packets","bytes"}],
/// "dns":{"queries","responses","unanswered","unmatched","malformed","errors":{"&lt;rcode name&gt;":n},
/// "types":[{"type","queries","responses"}],"latencySeconds":{"count","mean","p50","p95"}},
/// "errors":{"tcpReset","icmpDestinationUnreachable","icmpTimeExceeded"}}</c>.
/// </summary>
public static class ProtocolReportWriter
{
    public static void Write(Utf8JsonWriter json, ProtocolSnapshot p)
    {
        json.WriteStartObject("protocols");
        json.WriteStartArray("mix");
        foreach (var share in p.Mix)
        {
            json.WriteStartObject();
            json.WriteString("protocol", share.Protocol);
            json.WriteNumber("packets", share.Packets);
            json.WriteNumber("bytes", share.Bytes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteDns(json, p);
        json.WriteStartObject("errors");
        json.WriteNumber("tcpReset", p.Errors.TcpResets);
        json.WriteNumber("icmpDestinationUnreachable", p.Errors.IcmpUnreachable);
        json.WriteNumber("icmpTimeExceeded", p.Errors.IcmpTimeExceeded);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDns(Utf8JsonWriter json, ProtocolSnapshot p)
    {
        json.WriteStartObject("dns");
        json.WriteNumber("queries", p.Dns.Queries);
        json.WriteNumber("responses", p.Dns.Responses);
        json.WriteNumber("unanswered", p.Dns.Unanswered);
        json.WriteNumber("unmatched", p.Dns.Unmatched);
        json.WriteNumber("malformed", p.Dns.Malformed);
        json.WriteStartObject("errors");
        foreach (var rcode in p.DnsRcodes.Where(r => r.Rcode != "NOERROR"))
            json.WriteNumber(rcode.Rcode, rcode.Count);
        json.WriteEndObject();
        json.WriteStartArray("types");
        foreach (var type in p.DnsTypes)
        {
            json.WriteStartObject();
            json.WriteString("type", type.Type);
            json.WriteNumber("queries", type.Queries);
            json.WriteNumber("responses", type.Responses);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("latencySeconds");
        json.WriteNumber("count", p.DnsLatency.Count);
        TcpReportWriter.WriteNumberOrNull(json, "mean", p.DnsLatency.Mean);
        TcpReportWriter.WriteNumberOrNull(json, "p50", p.DnsLatency.P50);
        TcpReportWriter.WriteNumberOrNull(json, "p95", p.DnsLatency.P95);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
