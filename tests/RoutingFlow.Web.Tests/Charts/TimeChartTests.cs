using Microsoft.Extensions.DependencyInjection;
using Bunit;
using RoutingFlow.Web.Charts;
using RoutingFlow.Web.Components.Charts;

namespace RoutingFlow.Web.Tests.Charts;

public class TimeChartTests : MudBlazorTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);

    private static ChartLine Line(string name, Func<int, double?> value, int count = 60) =>
        new(name, "#4FC3F7", Enumerable.Range(0, count).Select(i => (T0.AddSeconds(i), value(i))).ToList());

    [Fact]
    public void Axes_HaveOneTwoFiveTicksWithUnits_AndRoundTimes()
    {
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("rx", i => 15.7e6 * i / 59)]));

        var values = cut.FindAll(".rf-ytick").Select(t => t.TextContent).ToList();
        Assert.Equal(["0 bit/s", "5.00 Mbit/s", "10.0 Mbit/s", "15.0 Mbit/s", "20.0 Mbit/s"], values);
        var times = cut.FindAll(".rf-xtick").Select(t => t.TextContent).ToList();
        Assert.Equal(["16:00:00", "16:00:10", "16:00:20", "16:00:30", "16:00:40", "16:00:50"], times);
    }

    [Fact]
    public void Tooltips_GiveEachLinesValue_FormattedAndRaw()
    {
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("rx", i => 2e6), Line("tx", i => 1e5)]));

        var first = cut.FindAll("rect.rf-hover title")[0].TextContent;
        Assert.Equal("16:00:00 UTC\\nrx: 2.00 Mbit/s (2,000,000)\\ntx: 100 kbit/s (100,000)".Replace("\\n", "\n"), first);
    }

    [Fact]
    public void Incident_IsShaded_PeakAndEventsMarked()
    {
        var cut = Render<TimeChart>(p => p
            .Add(c => c.Lines, [Line("rx", i => 1e6)])
            .Add(c => c.Bands, [new ChartBand(T0.AddSeconds(15), T0.AddSeconds(45), "incident 7")])
            .Add(c => c.Markers, [new ChartMarker(T0.AddSeconds(30), "peak 160%", ChartMarkerKind.Peak), new ChartMarker(T0.AddSeconds(50), "correction factor 1 → 0.5", ChartMarkerKind.Event)]));

        var band = cut.Find("[data-testid=incident-window]");
        Assert.Equal(("254.24", "508.47"), (band.GetAttribute("x"), band.GetAttribute("width"))); // 15 s to 45 s of 59
        Assert.Equal("incident 7", band.TextContent);
        Assert.Equal("peak 160%", cut.Find("[data-testid=peak-marker]").TextContent);
        Assert.Equal("correction factor 1 → 0.5", cut.Find("[data-testid=event-marker]").TextContent);
    }

    [Fact]
    public void Gaps_BreakTheLine_AndTheLegendHidesAndShowsIt()
    {
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("capacity rx", i => i % 20 == 5 ? null : 20e6), Line("rx", i => 1e6)]));

        Assert.Equal(new Dictionary<string, int> { ["capacity rx"] = 4, ["rx"] = 1 }, ChartLines(cut.Find(".rf-tchart-wrap")));
        cut.FindAll("[data-testid=legend-item]")[0].Click();
        Assert.Equal(["rx"], cut.FindAll("path.rf-line").Select(p => p.GetAttribute("data-series")));
        cut.FindAll("[data-testid=legend-item]")[0].Click();
        Assert.Equal(2, cut.FindAll("path.rf-line").Count);
    }

    [Fact]
    public void OnePoint_IsADash_WithItsTooltip()
    {
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("rx", i => 5e6, count: 1)]).Add(c => c.From, T0.AddHours(-1)).Add(c => c.To, T0.AddHours(1)));

        Assert.EndsWith(" h 3", cut.Find("path.rf-line").GetAttribute("d"), StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("rect.rf-hover title"), t => t.TextContent.Contains("rx: 5.00 Mbit/s", StringComparison.Ordinal));
    }

    [Fact]
    public void Tooltip_FarFromAnyPoint_HasNoValue()
    {
        var points = new List<(DateTimeOffset, double?)> { (T0, 1e6), (T0.AddMinutes(1), 1e6), (T0.AddMinutes(2), 1e6), (T0.AddHours(2), 1e6) };
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [new ChartLine("rx", "#fff", points)]));

        var titles = cut.FindAll("rect.rf-hover title").Select(t => t.TextContent).ToList(); // 60 columns of 2 minutes
        Assert.Contains("rx: 1.00 Mbit/s", titles[0], StringComparison.Ordinal);
        Assert.StartsWith("16:31:00 UTC", titles[15], StringComparison.Ordinal);
        Assert.DoesNotContain("rx:", titles[15], StringComparison.Ordinal); // half an hour from the nearest reading of a per-minute line
    }

    [Fact]
    public async Task BrowserZone_SwitchedOn_LabelsTimesInIt()
    {
        JSInterop.Setup<string>("eval", _ => true).SetResult("Asia/Tokyo");
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("rx", i => 1e6)]));
        Assert.Equal("16:00:00", cut.FindAll(".rf-xtick")[0].TextContent);

        await cut.InvokeAsync(() => Services.GetRequiredService<RoutingFlow.Web.Display.DisplayZone>().UseBrowserAsync(JSInterop.JSRuntime));

        cut.WaitForAssertion(() => Assert.Equal("01:00:00", cut.FindAll(".rf-xtick")[0].TextContent)); // UTC+9
        Assert.EndsWith("Asia/Tokyo", cut.Find("[data-testid=chart-range]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void IdleLine_KeepsTheMinimumScale()
    {
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("rx", i => 3)]));

        Assert.Equal("1.00 kbit/s", cut.FindAll(".rf-ytick")[^1].TextContent);
    }

    [Fact]
    public void NoValues_SaysSo()
    {
        var cut = Render<TimeChart>(p => p.Add(c => c.Lines, [Line("rx", i => null)]).Add(c => c.Empty, "no readings yet"));

        Assert.Contains("no readings yet", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("svg"));
    }
}
