using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RoutingFlow.Server.Hosting;

/// <summary>
/// Kestrel's limits from <c>Kestrel:Limits</c> (appsettings.json sets a router's defaults: request bodies 1 MiB,
/// headers 32 KiB in all, request line with its query 8 KiB, 512 connections of which 64 upgraded, i.e. the
/// dashboard's circuits): past them a request is answered 413, 431 or 414 before any endpoint reads it.
/// </summary>
public static class ServerLimits
{
    public static void AddServerLimits(this WebApplicationBuilder builder) =>
        builder.Services.Configure<KestrelServerOptions>(o => builder.Configuration.GetSection("Kestrel:Limits").Bind(o.Limits));
}
