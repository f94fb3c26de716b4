using System.Net;
using System.Net.Sockets;
using RoutingFlow.Server.Configuration;

namespace RoutingFlow.Server.Legacy;

/// <summary>
/// <c>RoutingFlow:LegacyPorts:Enabled</c>: the server also listens on the original tools' loopback ports, each
/// serving its one path, so their Prometheus jobs and scripts keep working unchanged. A port another program
/// holds is skipped with a warning (in the log and /status); everything else starts.
/// </summary>
public static class Extensions
{
    public static readonly IReadOnlyList<(int Port, string Path)> Ports = [(59121, "/metrics"), (32600, "/tcpflow"), (32599, "/status")];

    public static void AddLegacyPorts(this WebApplicationBuilder builder)
    {
        var ports = new List<LegacyPort>();
        if (builder.FeatureOptions<LegacyPortsOptions>().Enabled)
        {
            foreach (var (port, path) in Ports)
                ports.Add(new LegacyPort(port, path, Unavailable(port)));
            var urls = (builder.Configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries);
            builder.WebHost.UseUrls([.. urls, .. ports.Where(p => p.Error is null).Select(p => $"http://127.0.0.1:{p.Port}")]);
            foreach (var port in ports.Where(p => p.Error is not null))
                Console.Error.WriteLine($"warning: legacy port {port.Port} ({port.Path}) is not served: {port.Error}");
        }
        builder.Services.AddSingleton(new LegacyPorts(ports));
    }

    /// <summary>On a legacy port, only its path is served.</summary>
    public static void UseLegacyPorts(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<LegacyPorts>().Listening.ToDictionary(p => p.Port, p => p.Path);
        if (ports.Count == 0)
            return;
        app.Use(async (context, next) =>
        {
            if (ports.TryGetValue(context.Connection.LocalPort, out var path) && !context.Request.Path.Equals(path, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await context.Response.WriteAsync($"port {context.Connection.LocalPort} serves only {path} (the original tool's port); the rest is on the main address");
                return;
            }
            await next(context);
        });
    }

    private static string? Unavailable(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return null;
        }
        catch (SocketException e)
        {
            return $"127.0.0.1:{port} cannot be bound ({e.Message}); another program may be using it";
        }
    }
}

/// <summary>The legacy ports and whether each is served.</summary>
public sealed record LegacyPorts(IReadOnlyList<LegacyPort> Ports)
{
    public IEnumerable<LegacyPort> Listening => Ports.Where(p => p.Error is null);
}

public sealed record LegacyPort(int Port, string Path, string? Error);
