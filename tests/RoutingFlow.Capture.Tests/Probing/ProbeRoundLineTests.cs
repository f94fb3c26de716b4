using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public class ProbeRoundLineTests
{
    [Fact]
    public void Format_IsTheOriginalToolsLine()
    {
        var line = ProbeRoundLine.Format("eth0",
        [
            ("1.1.1.1", new ProbeResult { EstimateBps = 15e6 }),
            ("8.8.8.8", new ProbeResult { EstimateBps = 20.04e6 }),
            ("9.9.9.9", ProbeResult.Failed(ProbeFailureReason.Refused, "x", TimeSpan.Zero)),
            ("nope.example", ProbeResult.Failed(ProbeFailureReason.Resolve, "x", TimeSpan.Zero)),
        ], correction: 10);

        Assert.Equal("eth0: |1.1.1.1:150Mbps|8.8.8.8:200Mbps|9.9.9.9:ERR|nope.example:N/A|", line);
    }
}
