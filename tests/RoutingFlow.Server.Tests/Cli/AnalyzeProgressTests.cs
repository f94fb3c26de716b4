using RoutingFlow.Capture.Analysis;
using RoutingFlow.Server.Cli;

namespace RoutingFlow.Server.Tests.Cli;

public class AnalyzeProgressTests
{
    [Fact]
    public void Format_WhileReading_ShowsShareSizePacketsAndRate()
    {
        var line = AnalyzeProgress.Format(new CountProgress(1_500_000, 114_000_000, 228_000_000, TimeSpan.FromSeconds(0.5), Done: false));

        Assert.Equal("routingflow analyze: 50% of 228.0 MB, 1,500,000 packets (3.00 M packets/s)", line);
    }

    [Fact]
    public void Format_PositionUnknown_LeavesTheShareOut()
    {
        var line = AnalyzeProgress.Format(new CountProgress(10, -1, 2_000_000, TimeSpan.FromSeconds(1), Done: false));

        Assert.StartsWith("routingflow analyze: 2.0 MB, 10 packets", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_Done_SummarisesWithTheRate()
    {
        var line = AnalyzeProgress.Format(new CountProgress(2_000_000, 228_500_000, 228_500_000, TimeSpan.FromSeconds(0.4), Done: true));

        Assert.Equal("routingflow analyze: 2,000,000 packets, 228.5 MB in 0.40 s (5.00 M packets/s)", line);
    }

    [Theory]
    [InlineData(true, "\rrouting")]
    [InlineData(false, "routing")]
    public void Report_OnATerminalRewritesTheLine_ElsewhereOneLineEach(bool terminal, string start)
    {
        using var stderr = new StringWriter();
        var progress = new AnalyzeProgress(stderr, terminal);

        progress.Report(new CountProgress(1, 10, 100, TimeSpan.FromSeconds(1), Done: false));
        progress.Report(new CountProgress(2, 100, 100, TimeSpan.FromSeconds(2), Done: true));

        Assert.StartsWith(start, stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(terminal ? 1 : 2, stderr.ToString().Count(c => c == '\n'));
    }
}
