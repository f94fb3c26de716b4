namespace RoutingFlow.Server.Kernel;

public static class Extensions
{
    /// <summary>The kernel counting programs (the eBPF backend), one per process, shared by the devices and the captures.</summary>
    public static void AddKernel(this WebApplicationBuilder builder, RoutingFlow.Capture.Configuration.RoutingFlowSettings settings) =>
        builder.Services.AddSingleton(sp => new KernelPrograms(settings.Options.Capture, settings.Options.Connections, sp.GetRequiredService<ILogger<KernelPrograms>>()));
}
