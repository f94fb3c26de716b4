using System.Diagnostics;
using Prometheus;

namespace RoutingFlow.Server.Metrics;

/// <summary>
/// The process's own metrics under the names prometheus-net's <c>DotNetStats</c> gives them (<c>process_*</c>,
/// <c>dotnet_*</c>), made through the host's factory so that alert rules can read them like any other.
/// </summary>
public sealed class ProcessMetrics
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Counter.Child[] _collections;
    private readonly Gauge _totalMemory;
    private readonly Gauge _virtualMemory;
    private readonly Gauge _workingSet;
    private readonly Gauge _privateMemory;
    private readonly Counter _cpu;
    private readonly Gauge _openHandles;
    private readonly Gauge _threads;

    public ProcessMetrics(IMetricFactory factory)
    {
        var collections = factory.CreateCounter("dotnet_collection_count_total", "GC collection count", ["generation"]);
        _collections = [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => collections.WithLabels(g.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
            .Set(new DateTimeOffset(_process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        _cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        _virtualMemory = factory.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        _workingSet = factory.CreateGauge("process_working_set_bytes", "Process working set");
        _privateMemory = factory.CreateGauge("process_private_memory_bytes", "Process private memory size");
        _openHandles = factory.CreateGauge("process_open_handles", "Number of open handles");
        _threads = factory.CreateGauge("process_num_threads", "Total number of threads");
        _totalMemory = factory.CreateGauge("dotnet_total_memory_bytes", "Total known allocated memory");
    }

    public void Update()
    {
        _process.Refresh();
        for (var generation = 0; generation < _collections.Length; generation++)
            IncTo(_collections[generation], GC.CollectionCount(generation));
        _totalMemory.Set(GC.GetTotalMemory(false));
        _virtualMemory.Set(_process.VirtualMemorySize64);
        _workingSet.Set(_process.WorkingSet64);
        _privateMemory.Set(_process.PrivateMemorySize64);
        IncTo(_cpu, _process.TotalProcessorTime.TotalSeconds);
        _openHandles.Set(_process.HandleCount);
        _threads.Set(_process.Threads.Count);
    }

    private static void IncTo(ICounter counter, double total) => counter.Inc(Math.Max(0, total - counter.Value));
}
