using System.Text.Json;
using RoutingFlow.Server.Hosting;

namespace RoutingFlow.Server.Tests.Hosting;

public class JsonNumbersTests
{
    private sealed record Sample(double RxBps, double? TxCapacityBps, double Utilization, double Share, double RttSeconds, double? Missing, double Nan, long Packets, double CorrectionFactor, double LossRatio);

    [Fact]
    public void TypedResults_RatesWhole_RatiosToFourDecimals_NoExponent()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonNumbers.Apply(options);

        var json = JsonSerializer.Serialize(new Sample(19_920_000.4375, 2e7, 0.95123456789, 1.0 / 3, 0.000039, null, double.NaN, 12, 0.5, 0.0000123), options);

        Assert.Equal("""{"rxBps":19920000,"txCapacityBps":20000000,"utilization":0.9512,"share":0.3333,"rttSeconds":0.000039,"missing":null,"nan":null,"packets":12,"correctionFactor":0.5,"lossRatio":0.000012}""", json); // a healthy loss ratio keeps its digits
    }

    [Theory]
    [InlineData("peakRxBps", 1.23456789e9, "1234567890")]
    [InlineData("peakUtilization", 1.5500000000000003, "1.55")]
    [InlineData("rttAtPeakSeconds", 3.9e-05, "0.000039")]
    [InlineData("rttAtPeakSeconds", 1e-9, "0")]
    public void Writer_TheSameRuleForStreamedJson(string name, double value, string expected)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            JsonNumbers.Write(json, name, value);
            json.WriteEndObject();
        }

        Assert.Equal($"{{\"{name}\":{expected}}}", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
