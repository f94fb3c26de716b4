using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public class CorrectionFactorTests
{
    [Theory]
    [InlineData("10", 10.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("2", 2.0)]
    [InlineData("1e6", 1e6)]
    [InlineData("30.8", 30.8)]
    public void TryParse_PositiveNumbers_AreAccepted(string text, double expected)
    {
        Assert.True(CorrectionFactor.TryParse(text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    [InlineData("Infinity")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_Others_AreRefusedWithTheContractMessage(string? text)
    {
        Assert.False(CorrectionFactor.TryParse(text, out _, out var error));
        Assert.Equal($"invalid correction factor '{text}': must be a positive number", error);
    }

    [Theory]
    [InlineData("1000000.5")]
    [InlineData("1e9")]
    public void TryParse_PastTheLimit_SaysTheLimit(string text)
    {
        Assert.False(CorrectionFactor.TryParse(text, out _, out var error));
        Assert.Equal($"invalid correction factor '{text}': must be a positive number at most 1000000", error);
    }

    [Theory]
    [InlineData(10.0, "10")]
    [InlineData(0.5, "0.5")]
    [InlineData(2.0, "2")]
    [InlineData(30.8, "30.8")]
    [InlineData(0.1, "0.1")]
    public void Format_IsInvariantShortestRoundTrip(double value, string expected) =>
        Assert.Equal(expected, CorrectionFactor.Format(value));
}
