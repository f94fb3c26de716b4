using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Analysis;
using RoutingFlow.Server.Cli;

namespace RoutingFlow.Server.Tests.Cli;

/// <summary>
/// The streamed report writer against System.Text.Json's serializer: the same report must come out byte for byte as
/// the serializer writes it (indented, camelCase, nulls written), including escaping in paths and warnings.
/// </summary>
public class AnalysisReportWriterTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.Default };

    private static readonly AnalysisReport Report = new(
        "/tmp/capture \"quoted\" é <x>.pcap", "EN10MB", 12, 3_456, 1, 2, "2026-11-23T10:00:00.000001Z", "2026-11-23T10:00:01.000000Z",
        [
            new EndpointRow(Ip("192.168.50.11"), true, "wan0", 5, 1_500, 4, 900),
            new EndpointRow(Ip("2001:db8::1"), false, null, 3, 600, 2, 300),
            new EndpointRow(Ip("10.1.0.255"), true, "wan é1", 0, 0, 1, 56),
        ],
        [new NicTotals("wan0", 900, 1_500), new NicTotals("wan é1", 56, 0)],
        ["file cut short after 12 packets: \"truncated\"; analysed up to there"]);

    [Fact]
    public void WriteJson_MatchesTheSerializer()
    {
        var expected = JsonSerializer.Serialize(new
        {
            file = Report.File,
            linkType = Report.LinkType,
            packets = Report.Packets,
            bytes = Report.Bytes,
            malformed = Report.Malformed,
            truncated = Report.Truncated,
            firstTimestamp = Report.FirstTimestamp,
            lastTimestamp = Report.LastTimestamp,
            ips = Report.Ips.Select(r => new { ip = r.Ip.ToString(), local = r.Local, nic = r.Nic, txPackets = r.TxPackets, txBytes = r.TxBytes, rxPackets = r.RxPackets, rxBytes = r.RxBytes }),
            nics = Report.Nics.Select(n => new { nic = n.Nic, rxBytes = n.RxBytes, txBytes = n.TxBytes }),
            warnings = Report.Warnings,
        }, Indented) + "\n";

        Assert.Equal(expected, Write(AnalysisReportWriter.WriteJson));
    }

    [Fact]
    public void WriteJson_NoPackets_WritesNullTimestampsAndEmptyLists()
    {
        var empty = Report with { Packets = 0, FirstTimestamp = null, LastTimestamp = null, Ips = [], Nics = [], Warnings = [] };

        using var json = JsonDocument.Parse(Write(output => AnalysisReportWriter.WriteJson(output, empty)));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("firstTimestamp").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("ips").GetArrayLength());
    }

    [Fact]
    public void WriteCsv_OneLinePerEndpoint()
    {
        Assert.Equal(
            """
            ip,local,nic,txPackets,txBytes,rxPackets,rxBytes
            192.168.50.11,true,wan0,5,1500,4,900
            2001:db8::1,false,,3,600,2,300
            10.1.0.255,true,wan é1,0,0,1,56

            """.ReplaceLineEndings("\n"), Write(AnalysisReportWriter.WriteCsv));
    }

    private static string Write(Action<Stream, AnalysisReport> write) => Write(output => write(output, Report));

    private static string Write(Action<Stream> write)
    {
        using var output = new MemoryStream();
        write(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static IpAddr Ip(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new ArgumentException(text);
}
