using RoutingFlow.Capture.Configuration;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Capture.Pipeline;

namespace RoutingFlow.Server.Capture;

/// <summary>Owns the capture sessions: starts one per configured interface with the host and stops them with it.</summary>
public sealed class CaptureManager(CaptureOptions options, RouterLayout layout, NicMapHolder mapping, InterfaceWatcher interfaces, TimeProvider time, ILoggerFactory loggers,
    IEnumerable<ICaptureConsumerFactory> consumers, Mapping.ConntrackState conntrack, Kernel.KernelPrograms programs)
    : IHostedService, IDisposable
{
    private readonly List<CaptureSession> _sessions = [];

    public IReadOnlyList<CaptureSession> Sessions
    {
        get
        {
            lock (_sessions)
                return [.. _sessions];
        }
    }

    /// <summary>The configured capture of <paramref name="interfaceName"/>, if there is one.</summary>
    public CaptureSession? Find(string interfaceName) => Sessions.FirstOrDefault(s => s.Interface == interfaceName);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<CaptureSession>();
        programs.Start(interfaces.Refresh().IfIndexes.Values); // the eBPF backend: the kernel counts the hosts where it loads
        lock (_sessions)
        {
            foreach (var spec in options.Backend == CaptureOptions.BackendConntrack ? [] : layout.Captures)
            {
                var session = new CaptureSession(spec, options, layout, mapping, interfaces, time, logger, consumers, conntrack.CreateAttribution(), programs);
                _sessions.Add(session);
                session.Start();
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var session in Sessions)
        {
            session.Stop();
            session.ReleaseKernel();
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var session in Sessions)
            session.Dispose();
    }
}
