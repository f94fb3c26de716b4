using System.Text.Json;
using RoutingFlow.Capture.Protocols;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// The <c>protocols</c> section of <c>analyze</c>: <c>{"mix":[{"protocol","packets","bytes"}],
/// "dns":{"queries","responses","unanswered","unmatched","malformed","errors":{"&lt;rcode name&gt;":n},
/// "types":[{"type","queries","responses"}],"latencySeconds":{"count","mean","p50","p95"}},
/// "tls":{"clientHellos","serverHellos","serverNames","unanswered","latencySeconds":{…}},
/// "http":{"requests","responses","serverErrors","unanswered","latencySeconds":{…}},
/// "messages":[{"protocol","message","detail","count"}],"versions":[{"protocol","version","count"}],
/// "errors":{"tcpReset","icmpDestinationUnreachable","icmpTimeExceeded"},
/// "names":[{"address","name","source"}]}</c> (every address a DNS answer or TLS server name named in the file).
/// </summary>
public static class ProtocolReportWriter
{
    public static void Write(Utf8JsonWriter json, ProtocolSnapshot p, IReadOnlyList<NamedAddress> names)
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
        WriteApps(json, p);
        json.WriteStartObject("errors");
        json.WriteNumber("tcpReset", p.Errors.TcpResets);
        json.WriteNumber("icmpDestinationUnreachable", p.Errors.IcmpUnreachable);
        json.WriteNumber("icmpTimeExceeded", p.Errors.IcmpTimeExceeded);
        json.WriteEndObject();
        json.WriteStartArray("names");
        foreach (var n in names.OrderBy(n => n.Address))
        {
            json.WriteStartObject();
            json.WriteString("address", n.Address.ToString());
            json.WriteString("name", n.Name);
            json.WriteString("source", n.Source == NameSource.Dns ? "dns" : "tls");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteApps(Utf8JsonWriter json, ProtocolSnapshot p)
    {
        json.WriteStartObject("tls");
        json.WriteNumber("clientHellos", p.App.ClientHellos);
        json.WriteNumber("serverHellos", p.App.ServerHellos);
        json.WriteNumber("serverNames", p.App.ServerNames);
        json.WriteNumber("unanswered", p.App.TlsUnanswered);
        WriteLatency(json, p.TlsLatency);
        json.WriteEndObject();
        json.WriteStartObject("http");
        json.WriteNumber("requests", p.App.HttpRequests);
        json.WriteNumber("responses", p.App.HttpResponses);
        json.WriteNumber("serverErrors", p.App.HttpServerErrors);
        json.WriteNumber("unanswered", p.App.HttpUnanswered);
        WriteLatency(json, p.HttpLatency);
        json.WriteEndObject();
        json.WriteStartArray("messages");
        foreach (var m in p.Messages)
        {
            json.WriteStartObject();
            json.WriteString("protocol", m.Protocol);
            json.WriteString("message", m.Message);
            json.WriteString("detail", m.Detail);
            json.WriteNumber("count", m.Count);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("versions");
        foreach (var v in p.Versions)
        {
            json.WriteStartObject();
            json.WriteString("protocol", v.Protocol);
            json.WriteString("version", v.Version);
            json.WriteNumber("count", v.Count);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteLatency(Utf8JsonWriter json, LatencySummary latency)
    {
        json.WriteStartObject("latencySeconds");
        json.WriteNumber("count", latency.Count);
        TcpReportWriter.WriteNumberOrNull(json, "mean", latency.Mean);
        TcpReportWriter.WriteNumberOrNull(json, "p50", latency.P50);
        TcpReportWriter.WriteNumberOrNull(json, "p95", latency.P95);
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
        WriteLatency(json, p.DnsLatency);
        json.WriteEndObject();
    }
}
