using RoutingFlow.Web.Tests.Probing;
using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Web.Components.Pages;
using RoutingFlow.Web.Monitoring;
using RoutingFlow.Web.Tests.Monitoring;

namespace RoutingFlow.Web.Tests.Components.Pages;

public class IncidentsTests : MudBlazorTestContext
{
    [Fact]
    public void AnUploadOverload_NamesTheUploaderFirst_InTheListAndOnItsPage()
    {
        var upload = FakeMonitor.Incident(3, "wan0", FakeMonitor.T0.AddSeconds(40)) with
        {
            OverDirection = "tx",
            Culprits = [new RoutingFlow.Web.Monitoring.CulpritView("10.91.1.11", "backup.lab", "tx", 47.8e6, 0.97),
                new RoutingFlow.Web.Monitoring.CulpritView("10.91.1.10", null, "rx", 157e3, 0.8)],
        };
        Monitor.Stored.Add(upload);

        var cut = Render<Incidents>();

        Assert.Equal("tx over: top tx 10.91.1.11 (backup.lab) 47.8 Mbit/s (97%)", cut.Find("[data-testid=incident-culprits]").TextContent.Trim());
    }

    [Fact]
    public void Incidents_ListsThemNewestFirst_WithDownloadsForTheFilter()
    {
        Monitor.Stored.Add(FakeMonitor.Incident(1, "wan1", FakeMonitor.T0.AddSeconds(40)));
        Monitor.Stored.Add(FakeMonitor.Incident(2, "wan0", null) with { StartedAt = FakeMonitor.T0.AddMinutes(10) });

        var cut = Render<Incidents>();

        var rows = cut.FindAll("[data-testid=incident-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("open", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("after 40 s", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("192.168.50.12 29.0 Mbit/s", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal($"/api/incidents?format=csv&from={Clock.GetUtcNow().AddDays(-7).ToUnixTimeSeconds()}", cut.Find("[data-testid=download-csv]").GetAttribute("href"));
    }

    [Fact]
    public void Incidents_None_SaysSo()
    {
        var cut = Render<Incidents>();

        Assert.Contains("No incident in this range", cut.Find("[data-testid=no-incidents]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void IncidentDetail_ShowsTheFactsTheTopIpsAndTheSeries()
    {
        Monitor.Stored.Add(FakeMonitor.Incident(1, "wan1", FakeMonitor.T0.AddSeconds(40)));
        Monitor.Points["wan1"] = FakeMonitor.Minutes(60);

        var cut = Render<IncidentDetail>(p => p.Add(c => c.Id, 1L));

        Assert.Contains("155% at 12:00:04", cut.Find("[data-testid=incident-facts]").TextContent, StringComparison.Ordinal);
        Assert.Contains("18.0 Mbit/s – 20.0 Mbit/s", cut.Find("[data-testid=incident-facts]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("[data-testid=top-rx] [data-testid=ip-rate]").Count);
        var lines = ChartLines(cut.Find("[data-testid=incident-chart]"));
        Assert.Equal(7, lines["capacity rx"]); // each unknown capacity (6 of 60) breaks the line
        Assert.Equal(1, lines["rx"]);
        Assert.Contains(Monitor.Queries, q => q.Nic == "wan1" && q.From == FakeMonitor.T0.AddMinutes(-5) && q.To == FakeMonitor.T0.AddSeconds(40).AddMinutes(5));
    }

    [Fact]
    public void IncidentDetail_Diagnosed_SaysTheCause_AndShadesTheBaseline()
    {
        var baseline = (From: FakeMonitor.T0.AddMinutes(-15), To: FakeMonitor.T0);
        Monitor.Stored.Add(FakeMonitor.Incident(1, "wan1", FakeMonitor.T0.AddSeconds(40)) with
        {
            Diagnosis = new RoutingFlow.Web.Monitoring.DiagnosisView("demand", 0.96, "wan1 is full because 10.0.0.11 started a 19.0 Mbit/s download; capacity held at 20.0 Mbit/s")
                { BaselineFrom = baseline.From, BaselineTo = baseline.To },
        });
        Monitor.Points["wan1"] = FakeMonitor.Minutes(60);

        var cut = Render<IncidentDetail>(p => p.Add(c => c.Id, 1L));

        Assert.Equal("demand (96%): wan1 is full because 10.0.0.11 started a 19.0 Mbit/s download; capacity held at 20.0 Mbit/s", cut.Find("[data-testid=incident-cause]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=incident-chart] [data-testid=baseline-window]"));
        Assert.Single(cut.FindAll("[data-testid=incident-chart] [data-testid=incident-window]"));
        Assert.Contains(Monitor.Queries, q => q.Nic == "wan1" && q.From == baseline.From); // the chart reaches back to the baseline
    }

    [Fact]
    public void IncidentDetail_TheLinesHealth_LossAcrossTheIncident_WithTheProbesRtts()
    {
        Monitor.Stored.Add(FakeMonitor.Incident(1, "wan0", FakeMonitor.T0.AddSeconds(40)));
        Monitor.Points["wan0"] = FakeMonitor.Minutes(60).Select((p, s) => p with { LossRatio = s < 30 ? 0.001 : 0.04 }).ToList();
        Monitor.Rtts.AddRange([new ProbeRttView(FakeMonitor.T0.AddMinutes(-10), 0.011), new ProbeRttView(FakeMonitor.T0.AddSeconds(50), 0.012)]); // stored: 10 minutes before (outside) and at 50 s

        var cut = Render<IncidentDetail>(p => p.Add(c => c.Id, 1L));

        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC to \d{2}:\d{2}:\d{2} \(\d+ s\), compare ", cut.Find("[data-testid=incident-when]").TextContent.Trim());
        var health = cut.Find("[data-testid=incident-health]");
        Assert.Equal(new Dictionary<string, int> { ["TCP loss"] = 1 }, ChartLines(health));
        Assert.Contains("4%", health.TextContent, StringComparison.Ordinal); // the axis in percent
        Assert.Single(health.QuerySelectorAll("[data-testid=incident-window]"));
        Assert.Equal(["probe RTT 12.0 ms"], health.QuerySelectorAll(".rf-marker-label").Select(m => m.GetAttribute("title")));
    }

    [Fact]
    public void IncidentDetail_NoLossStored_NoHealthChart()
    {
        Monitor.Stored.Add(FakeMonitor.Incident(1, "wan1", FakeMonitor.T0.AddSeconds(40)));
        Monitor.Points["wan1"] = FakeMonitor.Minutes(60);

        var cut = Render<IncidentDetail>(p => p.Add(c => c.Id, 1L));

        Assert.Empty(cut.FindAll("[data-testid=incident-health]"));
    }

    [Fact]
    public void IncidentDetail_Unknown_SaysSo()
    {
        var cut = Render<IncidentDetail>(p => p.Add(c => c.Id, 9L));

        Assert.Contains("No incident 9", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void History_ChartsTheLastHour_OfTheFirstWan()
    {
        Monitor.Points["wan0"] = FakeMonitor.Minutes(120);

        var cut = Render<RoutingFlow.Web.Components.Pages.History>();

        Assert.Equal(["capacity rx", "rx", "tx"], ChartLines(cut.Find("[data-testid=history-chart]")).Keys);
        Assert.Contains("120 readings, per second", cut.Markup, StringComparison.Ordinal);
        var (from, to, nic) = Monitor.Queries.Last();
        Assert.Equal(("wan0", TimeSpan.FromHours(1)), (nic, to - from));
        Assert.Contains($"nic=wan0&from={from.ToUnixTimeSeconds()}&to={to.ToUnixTimeSeconds()}&format=csv", cut.Find("[data-testid=history-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void History_TakesAndShowsTimesIn24HourUtc_AndSaysWhatIsWrongWithABadOne()
    {
        Monitor.Points["wan0"] = FakeMonitor.Minutes(10);
        var cut = Render<RoutingFlow.Web.Components.Pages.History>();

        cut.Find("[data-testid=history-from]").Change("2026-11-30 13:30");

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 13, 30, 0, TimeSpan.Zero), Monitor.Queries.Last().From);
        Assert.Equal("2026-11-30 13:30", cut.Find("[data-testid=history-from]").GetAttribute("value"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", cut.Find("[data-testid=history-to]").GetAttribute("value"));
        cut.Find("[data-testid=history-to]").Change("tomorrow");
        Assert.Contains("to 'tomorrow' is not a time: write it as 2026-12-03 16:00 (24-hour, UTC)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_InTheBrowsersZone_TakesAndShowsTypedTimesInIt()
    {
        JSInterop.Setup<string>("eval", _ => true).SetResult("Asia/Tokyo");
        Monitor.Points["wan0"] = FakeMonitor.Minutes(10);
        var cut = Render<RoutingFlow.Web.Components.Pages.History>();
        await cut.InvokeAsync(() => Services.GetRequiredService<RoutingFlow.Web.Display.DisplayZone>().UseBrowserAsync(JSInterop.JSRuntime));

        cut.Find("[data-testid=history-from]").Change("2026-11-30 22:30");

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 13, 30, 0, TimeSpan.Zero), Monitor.Queries.Last().From); // UTC+9
        Assert.Equal("2026-11-30 22:30", cut.Find("[data-testid=history-from]").GetAttribute("value"));
        Assert.Contains("from (Asia/Tokyo)", cut.Markup, StringComparison.Ordinal);
    }
}
