namespace RoutingFlow.Server.Security;

/// <summary>
/// Endpoint metadata: this request changes state although its method is safe (the original <c>GET /tcpflow?value=N</c>),
/// so the API-key rule applies to it as to a POST.
/// </summary>
public sealed class StateChange(Func<HttpRequest, bool> appliesTo)
{
    public bool AppliesTo(HttpRequest request) => appliesTo(request);
}
