using System.Globalization;
using System.Text;
using RoutingFlow.Server.Fleet;

namespace RoutingFlow.Server.Tests.Fleet;

/// <summary>
/// The keyed read of an answer: the fast scan and the general JSON reader agree on every shape; what the scan does
/// not take (whitespace, escapes, another key order) falls back to the reader, and each WAN's top values are the same
/// whatever order the series come in.
/// </summary>
public sealed class VectorScannerTests
{
    private const string Head = """{"status":"success","data":{"resultType":"vector","result":[""";

    public static TheoryData<string, bool> Answers => new()
    {
        { Head + "]}}", true },
        { Head + """{"metric":{"instance":"r1:8080","nic":"wan0"},"value":[1764849600.123,"91500000"]}]}}""", true },
        { Head + """{"metric":{"__name__":"x","instance":"r1","ip":"10.0.0.1","job":"j","nic":"wan0"},"value":[1764849600,"1.5e+06"]},{"metric":{"instance":"r2","nic":"wan1"},"value":[1,"NaN"]},{"metric":{"nic":"wan1"},"value":[1,"3"]},{"metric":{},"value":[1,"+Inf"]}]}}""", true },
        { Head + """{"metric":{"instance":"r1","nic":"wan0"},"value":[1,"2"]}]},"warnings":["too many samples"]}""", true },
        { Head + """{"metric":{"instance":"r1","nic":"wan0"},"value":[1,"2"]}]}}""" + "\n", true },
        { Head + """{"metric":{"instance":"r\"1","nic":"wan0"},"value":[1,"2"]}]}}""", false }, // an escape: the reader unescapes it
        { Head + """{"metric":{"instance":"r\u00e91","nic":"wan0"},"value":[1,"2"]}]}}""", false },
        { """{"status":"success","data":{"resultType":"vector","result":[ {"metric":{"instance":"r1","nic":"wan0"},"value":[1,"2"]}]}}""", false }, // whitespace
        { """{"data":{"resultType":"vector","result":[{"metric":{"instance":"r1","nic":"wan0"},"value":[1,"2"]}]},"status":"success"}""", false }, // another order
        { Head + """{"value":[1,"2"],"metric":{"instance":"r1","nic":"wan0"}}]}}""", false },
        { Head + """{"metric":{"instance":"r1","nic":"wän0"},"value":[1,"2"]}]}}""", true },
        { Head + """{"metric":{"anic":"x","instance":"r1","xip":"y"},"value":[1,"2"]},{"metric":{"instance":"r1","nic":"n","zip":"z"},"value":[1,"2"]}]}}""", true }, // keys that end like nic and ip are not them
        { Head + """{"metric":{"a":"},\"value\":[\"nic\":\"wan9","instance":"r1","nic":"wan0"},"value":[1,"2"]}]}}""", false }, // a value that reads like the keys, escaped
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void TheScanAndTheReader_GiveTheSameSeries(string answer, bool scanned)
    {
        var body = Encoding.UTF8.GetBytes(answer);

        Assert.Equal(scanned, VectorScanner.TryScan(body, new KeyedCollector("instance")));
        var viaReader = new KeyedCollector("instance");
        foreach (var sample in PrometheusClient.Parse(body, 200, "q"))
            viaReader.Add(sample);
        Assert.Equal(Render(viaReader.Result()), Render(PrometheusClient.ParseKeyed(body, 200, "q", "instance", 0)));
    }

    [Fact]
    public void TheTopValuesOfEachWan_AreKept_InWhateverOrderTheSeriesCome()
    {
        var random = new Random(27);
        var series = Enumerable.Range(0, 2).SelectMany(r => Enumerable.Range(0, 3).SelectMany(w => Enumerable.Range(1, 200).Select(i => (r, w, i)))).OrderBy(_ => random.Next()).ToList();
        var body = Encoding.UTF8.GetBytes(Head + string.Join(",", series.Select(s =>
            $$"""{"metric":{"instance":"r{{s.r}}","ip":"10.0.{{s.w}}.{{s.i}}","nic":"wan{{s.w}}"},"value":[1,"{{(s.i * 1000).ToString(CultureInfo.InvariantCulture)}}"]}""")) + "]}}");

        var kept = PrometheusClient.ParseKeyed(body, 200, "q", "instance", 5);

        Assert.Equal(2 * 3 * 5, kept.Count);
        Assert.All(kept.GroupBy(k => (k.Router, k.Nic)), g => Assert.Equal([200_000, 199_000, 198_000, 197_000, 196_000], g.Select(k => k.Value).OrderDescending()));
        Assert.Contains(new KeyedSample("r1", "wan2", "10.0.2.200", 200_000), kept);
    }

    [Theory]
    [InlineData("12", 13.0, true)]
    [InlineData("12.999999", 13.0, true)]
    [InlineData("12.5", 12.9, false)] // 12.5 is below, but not certainly by its integer part: parsed
    [InlineData("13", 13.0, false)]
    [InlineData("1e3", 2000.0, false)]
    [InlineData("-5", 1.0, false)]
    [InlineData("NaN", 1.0, false)]
    [InlineData("12.", 20.0, false)]
    [InlineData("12.3x", 20.0, false)]
    [InlineData("", 1.0, false)]
    public void CertainlyBelow_DecidesOnlyPlainDecimalsByTheirIntegerPart(string text, double bound, bool below) =>
        Assert.Equal(below, VectorScanner.CertainlyBelow(Encoding.UTF8.GetBytes(text), bound));

    [Fact]
    public void TheTopValues_AreTheReadersToo_WithFractionsAndTies()
    {
        var random = new Random(5);
        var body = Encoding.UTF8.GetBytes(Head + string.Join(",", Enumerable.Range(0, 3000).Select(i =>
            $$"""{"metric":{"instance":"r{{i % 3}}","ip":"10.0.0.{{i}}","nic":"wan{{i % 2}}"},"value":[1,"{{(random.Next(0, 50) + random.NextDouble() * (i % 4 == 0 ? 0 : 1)).ToString("R", CultureInfo.InvariantCulture)}}"]}"""))
            + "]}}");
        var viaReader = new KeyedCollector("instance", 5);
        foreach (var sample in PrometheusClient.Parse(body, 200, "q"))
            viaReader.Add(sample);

        var scanned = PrometheusClient.ParseKeyed(body, 200, "q", "instance", 5);

        Assert.Equal(Values(viaReader.Result()), Values(scanned));
        static string Values(IEnumerable<KeyedSample> s) => Render(s.OrderBy(k => k.Router).ThenBy(k => k.Nic).ThenByDescending(k => k.Value).Select(k => k with { Ip = null }));
    }

    [Fact]
    public void AnErrorAnswer_IsWordedByTheReader() =>
        Assert.Equal("Prometheus refused 'q': bad_data: no", Assert.Throws<PrometheusQueryException>(() =>
            PrometheusClient.ParseKeyed("""{"status":"error","errorType":"bad_data","error":"no"}"""u8, 400, "q", "instance", 0)).Message);

    private static string Render(IEnumerable<KeyedSample> samples) =>
        string.Join("\n", samples.Select(s => $"{s.Router}|{s.Nic}|{s.Ip}|{s.Value.ToString("R", CultureInfo.InvariantCulture)}"));
}
