using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;

namespace RoutingFlow.Server.Tests.Infrastructure;

/// <summary>A routing status API for tests: serves whatever JSON (and status code) the test sets, on the given address.</summary>
public sealed class MappingApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile string _body = "{}";
    private volatile int _status = 200;

    private MappingApi(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public int Requests { get; private set; }

    public static async Task<MappingApi> StartAsync(string address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new MappingApi(app, new Uri($"http://{address}:{port}/status"));
        app.MapGet("/status", (HttpContext context) =>
        {
            api.Requests++;
            context.Response.StatusCode = api._status;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(api._body);
        });
        await app.StartAsync();
        return api;
    }

    public void Serve(string json, int status = 200)
    {
        _body = json;
        _status = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
