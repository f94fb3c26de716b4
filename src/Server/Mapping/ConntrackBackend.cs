using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Conntrack;
using RoutingFlow.Capture.Pipeline;
using RoutingFlow.Server.Capture;

namespace RoutingFlow.Server.Mapping;

/// <summary>
/// <c>Capture:Backend</c> <c>conntrack</c> on the conntrack reader's thread: every <c>Mapping:Conntrack:ReadInterval</c>
/// (a second) a full read of the table
/// with its counters feeds the <see cref="ConntrackAccountant"/>, which then publishes, as a capture would; DESTROY
/// events add each connection's last bytes in between. The local networks are the configured ones plus the WAN
/// interfaces' addresses (the router's own traffic counts on them).
/// </summary>
public sealed class ConntrackBackend
{
    private readonly ConntrackAccountant _accountant;
    private readonly ConntrackReader _reader;
    private readonly ConntrackOptions _options;
    private readonly RouterLayout _layout;
    private readonly InterfaceWatcher _interfaces;
    private readonly TimeProvider _time;
    private long _next;
    private long _interfacesVersion = -1;

    public ConntrackBackend(ConntrackAccountant accountant, ConntrackReader reader, ConntrackOptions options, RouterLayout layout, InterfaceWatcher interfaces, TimeProvider time)
    {
        _accountant = accountant;
        _reader = reader;
        (_options, _layout) = (options, layout);
        _interfaces = interfaces;
        _time = time;
        reader.Counted = (in ConntrackMessage message, in ConntrackEntry entry) => accountant.Add(message, entry, WallMicros());
    }

    /// <summary>Reads the counters and publishes when the read interval has passed since the last read.</summary>
    public void ReadWhenDue()
    {
        var now = _time.GetTimestamp();
        if (now < _next)
            return;
        _next = now + (long)(_options.ReadInterval.TotalSeconds * _time.TimestampFrequency);
        RefreshLocalNetworks();
        _reader.Dump();
        _accountant.Publish(new PublishTime(WallMicros(), (long)(_time.GetTimestamp() * 1_000_000.0 / _time.TimestampFrequency)));
    }

    private void RefreshLocalNetworks()
    {
        var snapshot = _interfaces.Current;
        if (snapshot.Version == _interfacesVersion)
            return;
        _interfacesVersion = snapshot.Version;
        var local = new NetworkSet(_layout.LocalNetworks.Concat(snapshot.AddressesOf(_layout.Nics.Select(n => n.Interface))));
        if (!local.Networks.SequenceEqual(_accountant.Classifier.LocalNetworks.Networks))
            _accountant.Classifier.SetLocalNetworks(local);
    }

    private long WallMicros() => _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}
