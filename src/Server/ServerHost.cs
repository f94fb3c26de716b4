using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server;

/// <summary>Composition root of the web host: each feature registers itself through its own Extensions class.</summary>
public static class ServerHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddRoutingFlowSettings();
        var app = builder.Build();
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await Build(args).RunAsync();
            return 0;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
