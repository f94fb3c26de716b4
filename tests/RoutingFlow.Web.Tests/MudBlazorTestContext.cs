using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace RoutingFlow.Web.Tests;

/// <summary>Base for component tests: MudBlazor's services registered, its JS calls answered loosely.</summary>
public abstract class MudBlazorTestContext : BunitContext
{
    protected MudBlazorTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }
}
