using System.Globalization;
using BenchmarkDotNet.Running;
using RoutingFlow.Testing.Pcap;

// dotnet run -c Release -- generate FILE [--packets N] [--flows N] [--snaplen N] [--uniform]
// dotnet run -c Release -- stages FILE   (in-process time of each stage of an offline analysis)
// dotnet run -c Release -- procnet DIR [--scans N]   (a whole socket scan of DIR/tcp and DIR/udp: read and parse, per scan)
// dotnet run -c Release -- [BenchmarkDotNet arguments, e.g. --filter '*']
if (args.Length > 0 && args[0] == "generate")
{
    var options = args.Skip(2).Chunk(2).Where(c => c.Length == 2).ToDictionary(c => c[0], c => c[1]);
    int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    var uniform = args.Contains("--uniform");
    SyntheticTraffic.WritePcap(args[1], SyntheticTraffic.Ethernet, Option("--packets", 2_000_000), Option("--flows", 40_000),
        seed: 1, snapLength: Option("--snaplen", 128), heavyTailed: !uniform);
    Console.WriteLine($"wrote {args[1]}");
    return 0;
}
if (args.Length > 1 && args[0] == "procnet")
{
    var scans = args.Length > 3 && args[2] == "--scans" ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
    RoutingFlow.Benchmarks.ProcNetScan.Run(args[1], scans);
    return 0;
}
if (args.Length > 1 && args[0] == "stages")
{
    RoutingFlow.Benchmarks.Stages.Run(args[1]);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(RoutingFlow.Benchmarks.MonitorBenchmarks).Assembly).Run(args);
return 0;
