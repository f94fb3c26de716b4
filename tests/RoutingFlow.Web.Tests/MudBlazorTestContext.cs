using Microsoft.Extensions.DependencyInjection;
using Bunit.TestDoubles;
using MudBlazor.Services;
using RoutingFlow.Web.Probing;
using RoutingFlow.Web.Monitoring;
using RoutingFlow.Web.Tests.Monitoring;
using RoutingFlow.Web.Tests.Probing;

namespace RoutingFlow.Web.Tests;

/// <summary>
/// Base for component tests: MudBlazor's services registered, its JS calls answered loosely, a probe feed the
/// test drives (<see cref="Probes"/>) and an anonymous user (<see cref="Authorization"/> changes it).
/// </summary>
public abstract class MudBlazorTestContext : BunitContext, IAsyncLifetime
{
    protected MudBlazorTestContext()
    {
        Services.AddMudServices();
        Services.AddSingleton<IProbeFeed>(Probes);
        Services.AddSingleton<IProbeControl>(Probes);
        Services.AddSingleton<IMonitorFeed>(Monitor);
        Services.AddSingleton<IHistoryReader>(Monitor);
        Services.AddSingleton<IAdviceControl>(Advice);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddScoped<RoutingFlow.Web.Display.DisplayZone>();
        Services.AddSingleton<RoutingFlow.Web.Tcp.ITcpFeed>(Tcp);
        Services.AddSingleton<RoutingFlow.Web.Devices.IDeviceFeed>(DeviceFeed);
        Services.AddSingleton<RoutingFlow.Web.Devices.IDeviceControl>(DeviceFeed);
        Services.AddSingleton<RoutingFlow.Web.Traffic.IAttributionFeed>(Attribution);
        JSInterop.Mode = JSRuntimeMode.Loose;
        // MudBlazor's line charts measure their SVG before drawing the lines (in the browser, mudGetSvgBBox).
        JSInterop.Setup<MudBlazor.Interop.ElementSize>("mudGetSvgBBox", _ => true).SetResult(new MudBlazor.Interop.ElementSize { Width = 40, Height = 15 });
        Authorization = AddAuthorization();
    }

    protected FakeProbeFeed Probes { get; } = new();

    protected Traffic.FakeAttributionFeed Attribution { get; } = new();

    protected FakeMonitor Monitor { get; } = new();

    protected FakeAdviceControl Advice { get; } = new();

    protected Tcp.FakeTcpFeed Tcp { get; } = new();

    protected Devices.FakeDeviceFeed DeviceFeed { get; } = new();

    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(FakeMonitor.T0.AddMinutes(30));

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>
    /// The lines a TimeChart drew, by name (each also in the legend); each value is the number of pieces the line
    /// is in (a gap starts a new one).
    /// </summary>
    internal static Dictionary<string, int> ChartLines(AngleSharp.Dom.IElement chart)
    {
        var paths = chart.QuerySelectorAll("path.rf-line").ToList();
        var legend = chart.QuerySelectorAll("[data-testid=legend-item]").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(legend, paths.Select(p => p.GetAttribute("data-series")));
        return paths.ToDictionary(p => p.GetAttribute("data-series")!, p => p.GetAttribute("d")!.Count(c => c == 'M'));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services (KeyInterceptorService, behind MudButton) are only IAsyncDisposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
