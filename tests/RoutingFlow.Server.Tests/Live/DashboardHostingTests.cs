using RoutingFlow.Server.Tests.Infrastructure;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>The real server serves the dashboard page with its styles and scripts (MudBlazor, Blazor, app.css).</summary>
public sealed class DashboardHostingTests
{
    [Fact]
    public async Task Dashboard_PageAndAssets_AreServed()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", []);

        var page = await server.Http.GetStringAsync("");

        Assert.Contains("<title>RoutingFlow</title>", page, StringComparison.Ordinal);
        Assert.Contains("WAN traffic", page, StringComparison.Ordinal);
        foreach (var asset in new[] { "_framework/blazor.web.js", "_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "app.css" })
        {
            using var response = await server.Http.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task AnAddressWithNoPage_IsA404_WithTheDashboardsOwnPage_AndAnApiPathStaysProblemDetails()
    {
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", []);

        using var page = await server.Http.GetAsync("no-such-page");
        using var api = await server.Http.GetAsync("api/no-such-thing");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("No page at this address", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        using var post = await server.Http.PostAsync("no-such-page", new StringContent("x"));
        Assert.False(post.IsSuccessStatusCode); // only a GET or HEAD gets the page
        Assert.DoesNotContain("No page at this address", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutAKey_SaysWhy_WithAKey_ShowsTheForm()
    {
        await using (var keyless = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", []))
        {
            var page = await keyless.Http.GetStringAsync("signin");
            Assert.Contains("No API key is configured (RoutingFlow:Security:ApiKey)", page, StringComparison.Ordinal);
            Assert.DoesNotContain("signin-form", page, StringComparison.Ordinal);
        }
        await using var keyed = await RoutingFlowServer.StartAsync("""{"wan0":"nope0"}""", ["--RoutingFlow:Security:ApiKey=k"]);
        var form = await keyed.Http.GetStringAsync("signin?returnUrl=%2Fprobe");
        Assert.Contains("action=\"/auth/signin\"", form, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", form, StringComparison.Ordinal);
        Assert.Contains("value=\"/probe\"", form, StringComparison.Ordinal);
        Assert.Contains("Capacity probes", await keyed.Http.GetStringAsync("probe"), StringComparison.Ordinal);
    }
}
