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
        Services.AddSingleton<TimeProvider>(Clock);
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

    protected Tcp.FakeTcpFeed Tcp { get; } = new();

    protected Devices.FakeDeviceFeed DeviceFeed { get; } = new();

    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(FakeMonitor.T0.AddMinutes(30));

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>
    /// The lines a MudBlazor time-series chart drew, by legend name; each value is the number of pieces the line is
    /// in (a gap starts a new one).
    /// </summary>
    protected static Dictionary<string, int> ChartLines(AngleSharp.Dom.IElement chart)
    {
        var names = chart.QuerySelectorAll(".mud-chart-legend-item").Select(l => l.TextContent.Trim()).ToList();
        var paths = chart.QuerySelectorAll(".mud-charts-timeseries-series path.mud-chart-serie").ToList();
        Assert.Equal(names.Count, paths.Count);
        return names.Zip(paths, (name, path) => (name, pieces: path.GetAttribute("d")!.Count(c => c == 'M')))
            .ToDictionary(l => l.name, l => l.pieces);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services (KeyInterceptorService, behind MudButton) are only IAsyncDisposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
