using RoutingFlow.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using RoutingFlow.Capture.Probing;
using RoutingFlow.Server.Security;

namespace RoutingFlow.Server.Probing;

/// <summary>
/// <c>GET /tcpflow[?value=N]</c>: the original tool's correction-factor API, its texts exactly; setting changes
/// state, so the security rule applies. <c>GET /api/probe</c>: every target's state. <c>POST /api/probe/run</c>:
/// probe every target now.
/// </summary>
public static class ProbeApi
{
    public const string Current = "Current correction factor: ";
    public const string Set = "Correction factor set to: ";

    public static void MapProbeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tcpflow", TcpFlow).WithMetadata(new StateChange(request => request.Query.ContainsKey("value")))
            .Query("value", ParamKind.Number, "sets the correction factor for every WAN: above 0, at most 1e6 (a state change: the API-key rule applies)", min: 0, max: (long)RoutingFlow.Capture.Configuration.ProbeOptions.MaxCorrectionFactor)
            .Query("nic", ParamKind.Text, "not supported: a per-WAN factor is refused with 400")
            .Produces<string>(200, "text/plain").Produces<string>(400, "text/plain")
            .WithDescription("The original tool's correction-factor API: 'Current correction factor: N', or with value 'Correction factor set to: N'.");
        var api = app.MapGroup("/api/probe");
        api.MapGet("", Get).WithDescription("Every probe target's state and each WAN's probed capacity.");
        api.MapPost("/run", Run).WithDescription("Probe every target now (state change).");
    }

    public static async Task<ContentHttpResult> TcpFlow(HttpRequest request, ProbeState state, TimeProvider time)
    {
        if (request.Query.ContainsKey("nic"))
            return TypedResults.Text("per-WAN correction factors (nic) are not supported: omit nic to set the factor for every WAN", statusCode: StatusCodes.Status400BadRequest);
        if (!request.Query.TryGetValue("value", out var values))
            return TypedResults.Text(Current + CorrectionFactor.Format(state.Factor));
        var text = values.ToString();
        if (!CorrectionFactor.TryParse(text, out var factor, out var error))
            return TypedResults.Text(error, statusCode: StatusCodes.Status400BadRequest);
        await state.SetCorrectionFactorAsync(factor, time.GetUtcNow());
        return TypedResults.Text(Set + CorrectionFactor.Format(factor));
    }

    public static Ok<ProbeResponse> Get(ProbeState state) => TypedResults.Ok(new ProbeResponse(
        state.Settings.Enabled, state.Factor, state.Correction.Source, state.Correction.Path, state.Correction.Error,
        state.BindingSupported, state.Settings.Interfaces.Select(i => Interface(state, i.Interface, i.Nic)).ToList()));

    public static Accepted<string> Run(ProbeWorker worker)
    {
        worker.ProbeNow();
        return TypedResults.Accepted("/api/probe", "probing every target now");
    }

    private static ProbeInterfaceDto Interface(ProbeState state, string itf, string? nic)
    {
        var (rx, tx) = state.Traffic.Of(itf);
        return new ProbeInterfaceDto(itf, nic, state.StateOf(itf), state.Capacity(itf, ProbeDirection.Rx),
            state.Capacity(itf, ProbeDirection.Tx), rx, tx, state.TargetsOf(itf).Select(t => Target(state, t)).ToList());
    }

    private static ProbeTargetDto Target(ProbeState state, TargetStatus t)
    {
        var last = t.Last;
        return new ProbeTargetDto(t.Index, t.Target.Server, t.Target.Method.Name(), t.Target.Direction.Name(),
            t.Target.Url?.ToString(), t.Target.ConnectPort, t.StateName, state.Corrected(t.RawEstimateBps), t.RawEstimateBps,
            state.Corrected(last?.EstimateBps), last?.Rtt?.TotalSeconds, last?.RttVar?.TotalSeconds, last?.DeliveryRateBps,
            last?.ReceiveBuffer, last?.TransferredBytes ?? 0, last?.Elapsed.TotalSeconds, last?.RemoteAddress,
            t.LastSuccess, t.LastAttempt, last?.Error, last?.Failure?.Label(), t.ConsecutiveFailures, t.NextRun,
            last?.GoodputBps, last?.Succeeded == true ? last.Mss : null, last?.Succeeded == true ? last.WireFactor : null,
            last?.LineBps, last?.Succeeded == true ? last.CrossTrafficBps : null);
    }
}
