using System.Text;
using System.Text.Json;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Analysis;

namespace RoutingFlow.Server.Cli;

/// <summary>
/// Writes the <c>analyze</c> report as indented JSON or as CSV, streamed to UTF-8 output row by row: a report lists
/// tens of thousands of endpoints, and building them as objects and strings before serialising took longer than
/// counting half the capture. Property names are the JSON contract (see the README).
/// </summary>
public static class AnalysisReportWriter
{
    private const int FlushThreshold = 1 << 16;

    public static void WriteJson(Stream output, AnalysisReport report)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString(Names.File, report.File);
        json.WriteString(Names.LinkType, report.LinkType);
        json.WriteNumber(Names.Packets, report.Packets);
        json.WriteNumber(Names.Bytes, report.Bytes);
        json.WriteNumber(Names.Malformed, report.Malformed);
        json.WriteNumber(Names.Truncated, report.Truncated);
        json.WriteString(Names.FirstTimestamp, report.FirstTimestamp);
        json.WriteString(Names.LastTimestamp, report.LastTimestamp);
        WriteIps(json, report);
        json.WriteStartArray(Names.Nics);
        foreach (var nic in report.Nics)
        {
            json.WriteStartObject();
            json.WriteString(Names.Nic, nic.Nic);
            json.WriteNumber(Names.RxBytes, nic.RxBytes);
            json.WriteNumber(Names.TxBytes, nic.TxBytes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (report.Tcp is { } tcp)
        {
            TcpReportWriter.Write(json, tcp);
            TcpReportWriter.WriteConnections(json, tcp.Connections, report.Protocols?.Udp);
        }
        if (report.Protocols is { } protocols)
            ProtocolReportWriter.Write(json, protocols, report.Names ?? []);
        json.WriteStartArray(Names.Warnings);
        foreach (var warning in report.Warnings)
            json.WriteStringValue(warning);
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>The IP table: a header line, then one line per endpoint in report order.</summary>
    public static void WriteCsv(Stream output, AnalysisReport report)
    {
        output.Write("ip,local,nic,txPackets,txBytes,rxPackets,rxBytes\n"u8);
        Span<byte> line = stackalloc byte[IpAddr.MaxTextLength + 8 + 4 * 21 + 1];
        var nics = report.Nics.ToDictionary(n => n.Nic, n => Encoding.UTF8.GetBytes(n.Nic), StringComparer.Ordinal);
        foreach (ref readonly var row in report.Ips.AsSpan())
        {
            row.Ip.TryFormat(line, out var written, default, null);
            var n = written;
            n += Append(line[n..], row.Local ? ",true,"u8 : ",false,"u8);
            if (row.Nic is not null)
            {
                output.Write(line[..n]);
                output.Write(nics.TryGetValue(row.Nic, out var nic) ? nic : Encoding.UTF8.GetBytes(row.Nic));
                n = 0;
            }
            foreach (var value in (ReadOnlySpan<long>)[row.TxPackets, row.TxBytes, row.RxPackets, row.RxBytes])
            {
                line[n++] = (byte)',';
                value.TryFormat(line[n..], out written, default, null);
                n += written;
            }
            line[n++] = (byte)'\n';
            output.Write(line[..n]);
        }
    }

    /// <summary>
    /// The rows, with names and WAN values encoded once and the address written as a raw token (its characters
    /// never need escaping): the writer's escaping check per string is most of its time otherwise.
    /// </summary>
    private static void WriteIps(Utf8JsonWriter json, AnalysisReport report)
    {
        var nics = report.Nics.ToDictionary(n => n.Nic, n => JsonEncodedText.Encode(n.Nic), StringComparer.Ordinal);
        Span<byte> ip = stackalloc byte[IpAddr.MaxTextLength + 2];
        ip[0] = (byte)'"';
        json.WriteStartArray(Names.Ips);
        foreach (ref readonly var row in report.Ips.AsSpan())
        {
            row.Ip.TryFormat(ip[1..], out var length, default, null);
            ip[length + 1] = (byte)'"';
            json.WriteStartObject();
            json.WritePropertyName(Names.Ip);
            json.WriteRawValue(ip[..(length + 2)], skipInputValidation: true);
            json.WriteBoolean(Names.Local, row.Local);
            if (row.Nic is null)
                json.WriteNull(Names.Nic);
            else if (nics.TryGetValue(row.Nic, out var nic))
                json.WriteString(Names.Nic, nic);
            else
                json.WriteString(Names.Nic, row.Nic);
            json.WriteNumber(Names.TxPackets, row.TxPackets);
            json.WriteNumber(Names.TxBytes, row.TxBytes);
            json.WriteNumber(Names.RxPackets, row.RxPackets);
            json.WriteNumber(Names.RxBytes, row.RxBytes);
            json.WriteEndObject();
            if (json.BytesPending > FlushThreshold)
                json.Flush();
        }
        json.WriteEndArray();
    }

    private static int Append(Span<byte> line, ReadOnlySpan<byte> text)
    {
        text.CopyTo(line);
        return text.Length;
    }

    /// <summary>The JSON contract's property names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText File = JsonEncodedText.Encode("file");
        public static readonly JsonEncodedText LinkType = JsonEncodedText.Encode("linkType");
        public static readonly JsonEncodedText Packets = JsonEncodedText.Encode("packets");
        public static readonly JsonEncodedText Bytes = JsonEncodedText.Encode("bytes");
        public static readonly JsonEncodedText Malformed = JsonEncodedText.Encode("malformed");
        public static readonly JsonEncodedText Truncated = JsonEncodedText.Encode("truncated");
        public static readonly JsonEncodedText FirstTimestamp = JsonEncodedText.Encode("firstTimestamp");
        public static readonly JsonEncodedText LastTimestamp = JsonEncodedText.Encode("lastTimestamp");
        public static readonly JsonEncodedText Ips = JsonEncodedText.Encode("ips");
        public static readonly JsonEncodedText Ip = JsonEncodedText.Encode("ip");
        public static readonly JsonEncodedText Local = JsonEncodedText.Encode("local");
        public static readonly JsonEncodedText Nic = JsonEncodedText.Encode("nic");
        public static readonly JsonEncodedText TxPackets = JsonEncodedText.Encode("txPackets");
        public static readonly JsonEncodedText TxBytes = JsonEncodedText.Encode("txBytes");
        public static readonly JsonEncodedText RxPackets = JsonEncodedText.Encode("rxPackets");
        public static readonly JsonEncodedText RxBytes = JsonEncodedText.Encode("rxBytes");
        public static readonly JsonEncodedText Nics = JsonEncodedText.Encode("nics");
        public static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
    }
}
