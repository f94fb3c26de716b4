using Microsoft.Extensions.DependencyInjection;
using RoutingFlow.Web.Components.Display;
using RoutingFlow.Web.Display;

namespace RoutingFlow.Web.Tests.Components.Display;

public class ZonedTimeTests : MudBlazorTestContext
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 16, 0, 5, TimeSpan.Zero);

    [Fact]
    public void ZonedTime_IsUtcByDefault_WithTheUtcTimeInItsTooltip()
    {
        var cut = Render<ZonedTime>(p => p.Add(c => c.Value, At));

        Assert.Equal("16:00:05 UTC", cut.Find("span").TextContent);
        Assert.Equal("2026-12-03 16:00:05 UTC", cut.Find("span").GetAttribute("title"));
    }

    [Fact]
    public async Task ZonedTime_AndZoneLabel_FollowASwitchToTheBrowsersZone()
    {
        JSInterop.Setup<string>("eval", _ => true).SetResult("Asia/Tokyo");
        var time = Render<ZonedTime>(p => p.Add(c => c.Value, At).Add(c => c.Format, "yyyy-MM-dd HH:mm"));
        var label = Render<ZoneLabel>();

        await time.InvokeAsync(() => Services.GetRequiredService<DisplayZone>().UseBrowserAsync(JSInterop.JSRuntime));

        time.WaitForAssertion(() => Assert.Equal("2026-12-04 01:00 Asia/Tokyo", time.Find("span").TextContent)); // UTC+9
        label.WaitForAssertion(() => Assert.Equal("Asia/Tokyo", label.Markup.Trim()));
        Assert.Equal("2026-12-03 16:00:05 UTC", time.Find("span").GetAttribute("title"));
    }
}
