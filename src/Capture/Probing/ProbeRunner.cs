using System.Diagnostics;
using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Probing;

/// <summary>Runs one probe of one target on one interface.</summary>
public interface IProbeRunner
{
    /// <summary>Never throws for a failed probe: the result says why (only cancellation propagates).</summary>
    Task<ProbeResult> RunAsync(string itf, ProbeTarget target, CancellationToken cancellationToken);
}

/// <summary>
/// The real probes: checks the interface exists, then runs the target's method through a
/// <see cref="ProbeConnector"/> bound to the interface. <paramref name="bindingUnsupported"/> is called when the
/// platform lacks SO_BINDTODEVICE (the caller logs it once).
/// </summary>
public sealed class ProbeRunner(ProbeTiming timing, ProbeTraffic traffic, TimeProvider time, Action<string>? bindingUnsupported = null) : IProbeRunner
{
    public async Task<ProbeResult> RunAsync(string itf, ProbeTarget target, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            if (itf == NicDeclaration.Auto)
                return ProbeResult.Failed(ProbeFailureReason.Interface, "nic.json puts a WAN on interface 'auto' but this machine has no default route; name the interface in nic.json or RoutingFlow:Probe:Interfaces", clock.Elapsed);
            if (InterfaceBinding.Supported && InterfaceBinding.CheckExists(itf) is { } missing)
                return ProbeResult.Failed(ProbeFailureReason.Interface, missing, clock.Elapsed);
            var connector = new ProbeConnector(itf, timing.ConnectTimeout, () => bindingUnsupported?.Invoke(itf));
            return target.Method switch
            {
                ProbeMethod.Window => await WindowProbe.RunAsync(connector, target, traffic, cancellationToken),
                ProbeMethod.Download => await DownloadProbe.RunAsync(connector, target, timing, traffic, time, cancellationToken),
                _ => await UploadProbe.RunAsync(connector, target, timing, traffic, time, cancellationToken),
            };
        }
        catch (ProbeException e)
        {
            return ProbeResult.Failed(e.Reason, e.Message, clock.Elapsed);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failed(ProbeFailureReason.Error, $"{target}: {e.Message}", clock.Elapsed);
        }
    }
}
