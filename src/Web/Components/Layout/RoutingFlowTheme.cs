using MudBlazor;

namespace RoutingFlow.Web.Components.Layout;

/// <summary>The dashboard's one theme: dark, dense, rx in blue and tx in amber everywhere.</summary>
public static class RoutingFlowTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#4FC3F7",
            Secondary = "#FFB74D",
            AppbarBackground = "#1E2530",
            Background = "#12161C",
            Surface = "#1A2028",
        },
    };
}
