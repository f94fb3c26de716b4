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
        JSInterop.Mode = JSRuntimeMode.Loose;
        Authorization = AddAuthorization();
    }

    protected FakeProbeFeed Probes { get; } = new();

    protected FakeMonitor Monitor { get; } = new();

    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(FakeMonitor.T0.AddMinutes(30));

    protected BunitAuthorizationContext Authorization { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services (KeyInterceptorService, behind MudButton) are only IAsyncDisposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
