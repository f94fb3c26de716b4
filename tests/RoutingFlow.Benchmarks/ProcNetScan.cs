using System.Diagnostics;
using RoutingFlow.Capture.Network;

namespace RoutingFlow.Benchmarks;

/// <summary>
/// The socket collector's real cost per scan on a live table: read <c>DIR/tcp</c> and <c>DIR/udp</c> (the kernel
/// writes them as they are read) and count their sockets by state, as <c>SocketCollector</c> does; the best and the
/// median of N scans, and the bytes allocated per scan after the first.
/// </summary>
public static class ProcNetScan
{
    public static void Run(string directory, int scans)
    {
        var reader = new ProcFileReader();
        var times = new List<double>();
        long sockets = 0, allocated = 0;
        for (var i = 0; i <= scans; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            sockets = 0;
            foreach (var table in new[] { "tcp", "udp" })
            {
                var counts = new SocketCounts();
                SocketTableParser.Count(reader.Read(Path.Combine(directory, table)), ref counts);
                sockets += counts.Total;
            }
            clock.Stop();
            if (i == 0)
                continue; // the first scan grows the buffer
            times.Add(clock.Elapsed.TotalMilliseconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        times.Sort();
        Console.WriteLine($"{sockets} sockets: best {times[0]:F1} ms, median {times[times.Count / 2]:F1} ms per scan (read + parse), {allocated / scans} B allocated per scan");
    }
}
