using System.Text;
using RoutingFlow.Server.History;

namespace RoutingFlow.Server.Network;

/// <summary><c>GET /api/network/connections</c>: the router's sockets by state and the kernel's counters (JSON; CSV with <c>format=csv</c>).</summary>
public static class NetworkApi
{
    public static void MapNetworkApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/network/connections", Connections);
    }

    public static IResult Connections(NetworkState state, string? format = null)
    {
        if (format is not (null or "json" or "csv"))
            return TypedResults.BadRequest(new { error = $"format '{format}' is not json or csv" });
        var scan = state.Sockets;
        if (format == "csv")
            return TypedResults.Text(ToCsv(scan), "text/csv; charset=utf-8");
        return TypedResults.Ok(new
        {
            scannedAt = scan.At,
            sockets = scan.Sockets,
            totals = scan.Sockets.GroupBy(s => s.Protocol).ToDictionary(g => g.Key, g => g.Sum(s => s.Count)),
            kernel = scan.Counters,
            sources = scan.Sources,
        });
    }

    /// <summary>One row per socket state and per kernel counter: <c>kind,protocol,name,value,perSecond</c>.</summary>
    private static string ToCsv(SocketScan scan)
    {
        var csv = new StringBuilder(Csv.Row("kind", "protocol", "name", "value", "perSecond"));
        foreach (var s in scan.Sockets)
            csv.Append(Csv.Row("socket", s.Protocol, s.State, Csv.Number(s.Count), ""));
        foreach (var c in scan.Counters)
            csv.Append(Csv.Row("kernel", "", c.Name, Csv.Number(c.Value), Csv.Number(c.PerSecond)));
        return csv.ToString();
    }
}
