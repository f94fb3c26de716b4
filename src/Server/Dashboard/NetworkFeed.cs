using RoutingFlow.Server.Network;
using RoutingFlow.Server.Tcp;
using RoutingFlow.Web.Network;

namespace RoutingFlow.Server.Dashboard;

/// <summary>The network page's view of the network monitor (handshakes, bandwidth, sockets), a tick a second.</summary>
public sealed class NetworkFeed(NetworkState state, TcpHealth health, Capture.CaptureManager captures, ProtocolAnalysisFactory protocolAnalysis,
    RoutingFlow.Capture.Protocols.NameCache names, TimeProvider time) : INetworkFeed, IHostedService, IDisposable
{
    private ITimer? _timer;

    public event Action? Changed;

    public NetworkPageView Current()
    {
        var bandwidth = state.Bandwidth;
        var sockets = state.Sockets;
        var handshakes = HandshakeViews.Of(health).SelectMany(Rows).ToList();
        var interfaces = bandwidth.Interfaces.Select(i =>
        {
            var coverage = bandwidth.Coverage.FirstOrDefault(c => c.Interface == i.Name);
            var r = i.Rates;
            return new InterfaceRowView(i.Name, r.Now.RxBps, r.Now.TxBps, r.Avg1m.RxBps, r.Avg1m.TxBps, r.Avg5m.RxBps, r.Avg5m.TxBps,
                r.Avg15m.RxBps, r.Avg15m.TxBps, coverage?.Ratio, coverage?.Role);
        }).ToList();
        var problems = captures.Sessions.Where(c => c.Error is not null).Select(c => $"capture {c.Interface}: {c.Error}")
            .Concat(sockets.Sources.Append(bandwidth.Source).Where(s => s.Error is not null).Select(s => s.Error!)).ToList();
        var protocols = ProtocolViews.Of(captures, protocolAnalysis);
        return new NetworkPageView(handshakes, interfaces, [.. sockets.Sockets.Select(s => new SocketStateView(s.Protocol, s.State, s.Count))],
            [.. sockets.Counters.Select(c => new KernelRateView(c.Name, c.Value, c.PerSecond))], problems)
        {
            Protocols = [.. protocols.SelectMany(c => c.Protocols.Mix.Select(m => new ProtocolRowView(c.Interface, m.Protocol, m.Packets, m.Bytes)))],
            Dns = [.. protocols.Select(c => new DnsRowView(c.Interface, c.Protocols.Dns.Queries, c.Protocols.Dns.Responses, c.Protocols.Dns.Unanswered,
                string.Join(", ", c.Protocols.DnsRcodes.Where(r => r.Rcode != "NOERROR").Select(r => $"{r.Rcode} {r.Count}")),
                c.Protocols.DnsLatency.P50, c.Protocols.DnsLatency.P95))],
            Apps = [.. protocols.Where(c => c.Protocols.App.ClientHellos + c.Protocols.App.HttpRequests + c.Protocols.App.HttpResponses > 0).Select(App)],
            Names = [.. names.Snapshot(time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, 50)
                .Select(n => new NameRowView(n.Address.ToString(), n.Name, n.Source.ToString().ToLowerInvariant(), n.ExpiresInSeconds))],
            NameCache = (names.Counters.Held, names.Capacity),
        };
    }

    private static AppRowView App(CaptureProtocols c)
    {
        var p = c.Protocols;
        return new AppRowView(c.Interface, p.App.ClientHellos, p.App.ServerHellos, p.TlsLatency.P50, p.TlsLatency.P95, p.App.HttpRequests,
            p.App.HttpResponses, p.HttpLatency.P50, p.HttpLatency.P95, string.Join(", ", p.Versions.Select(v => $"{v.Version} {v.Count}")));
    }

    private static IEnumerable<HandshakeRowView> Rows(CaptureHandshakes h) =>
        h.Nics.Select(n => new HandshakeRowView(h.Interface, n.Nic, n.Attempts, n.Successes, n.Refused, n.TimedOut, n.ErrorRate, null, null))
            .Prepend(new HandshakeRowView(h.Interface, null, h.Attempts, h.Successes, h.Refused, h.TimedOut, h.ErrorRate, h.SetupSeconds.P50, h.SetupSeconds.P95));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Changed?.Invoke(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _timer?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    public void Dispose() => _timer?.Dispose();
}
