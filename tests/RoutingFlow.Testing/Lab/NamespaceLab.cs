using RoutingFlow.Testing.Processes;

namespace RoutingFlow.Testing.Lab;

/// <summary>
/// The multi-WAN namespace lab of <c>tests/lab/lab.sh</c> (see its header for the topology). Each instance has its
/// own ID; disposing it kills everything started inside and deletes its namespaces, even when the test failed.
/// </summary>
public sealed class NamespaceLab : IAsyncDisposable
{
    public const string Server = "192.0.2.100";
    public const string Server6 = "2001:db8:100::100";
    public const string H1 = "192.168.50.10";
    public const string H2 = "192.168.50.11";
    public const string H1v6 = "fd50::10";
    public const string H2v6 = "fd50::11";
    public const string RootAddress = "198.18.0.1";
    public const string RouterAddress = "198.18.0.2";

    /// <summary>The ISPs' own addresses (the far end of wan0 and wan1), where <see cref="StartProbeServersAsync"/> serves.</summary>
    public const string Isp0 = "198.51.100.1";
    public const string Isp1 = "203.0.113.1";

    /// <summary>Names the lab's hosts files resolve (there is no DNS server in the lab: any other name fails at once).</summary>
    public const string Isp0Name = "isp0.lab";
    public const string Isp1Name = "isp1.lab";

    private readonly List<BackgroundProcess> _processes = [];

    private NamespaceLab(string id)
    {
        Id = id;
    }

    public string Id { get; }

    public static string Script => Path.Combine(AppContext.BaseDirectory, "lab", "lab.sh");

    public string Namespace(string node) => $"rf-{Id}-{node}";

    public static async Task<NamespaceLab> StartAsync(string rate0 = "20mbit", string rate1 = "10mbit")
    {
        var lab = new NamespaceLab(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await lab.ScriptAsync("up", rate0, rate1);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="host"/> (h1, h2) out of <paramref name="wan"/> (wan0, wan1), both directions.</summary>
    public Task RouteAsync(string host, string wan) => ScriptAsync("route", host, wan);

    /// <summary>
    /// Turns the router into a multi-WAN NAT router balancing per connection, as mwan3 does (<c>lab.sh nat</c>):
    /// IPv4 is masqueraded on wan0 (198.51.100.2) and wan1 (203.0.113.2) and the ISPs no longer route the LAN;
    /// each new connection coming in on lan0 is marked alternately 0x100 (wan0, table 100) and 0x200 (wan1, table
    /// 101), mask 0xff00, in its conntrack entry, IPv4 and IPv6 alike; connections to the router's own addresses are
    /// not marked. IPv6 keeps the hosts' addresses and comes back through the WAN it left by. The per-host policy
    /// rules are gone: <see cref="RouteAsync"/> afterwards changes no LAN connection.
    /// </summary>
    public Task NatAsync() => ScriptAsync("nat");

    /// <summary>Reshapes <paramref name="wan"/> (wan0, wan1) to <paramref name="rate"/> (as tc reads it), both directions.</summary>
    public Task ShapeAsync(string wan, string rate) => ScriptAsync("shape", wan, rate);

    /// <summary>
    /// The lab's speed-test server (<c>RoutingFlow.ProbeServer</c>) inside isp0 on <see cref="Isp0"/>:80 and inside
    /// isp1 on <see cref="Isp1"/>:80, plus any extra endpoints in the router; returns once each listens.
    /// </summary>
    public async Task StartProbeServersAsync(params string[] routerEndpoints)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "RoutingFlow.ProbeServer.dll");
        var servers = new List<BackgroundProcess>
        {
            Start("isp0", "dotnet", program, $"{Isp0}:80"),
            Start("isp1", "dotnet", program, $"{Isp1}:80"),
        };
        if (routerEndpoints.Length > 0)
            servers.Add(Start("router", ["dotnet", program, .. routerEndpoints]));
        foreach (var server in servers)
        {
            await Waiting.Eventually.WaitAsync(() => Task.FromResult(server.HasExited
                    ? throw new InvalidOperationException("the probe server exited: " + server.Output)
                    : server.Output.Contains("listening on", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "the lab's probe servers to listen");
        }
    }

    /// <summary>An interface's byte counters in a node (the kernel's, from /sys/class/net).</summary>
    public async Task<(long Rx, long Tx)> InterfaceBytesAsync(string node, string itf)
    {
        var result = await ExecAsync(node, "cat", $"/sys/class/net/{itf}/statistics/rx_bytes", $"/sys/class/net/{itf}/statistics/tx_bytes");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Runs a command in a node to completion.</summary>
    public Task<ProcessResult> ExecAsync(string node, params string[] command) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", Namespace(node), .. command], TimeSpan.FromMinutes(2));

    /// <summary>
    /// Runs an iperf3 client in a node. A server (<c>iperf3 -s</c>) serves one test at a time and re-opens its
    /// listener between tests, so a client right after another can be refused or told the server is busy: such a
    /// run is tried again, up to five times, a little later each time.
    /// </summary>
    public async Task<ProcessResult> Iperf3Async(string node, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await ExecAsync(node, ["iperf3", .. arguments]);
            var output = result.StandardOutput + result.StandardError;
            var transient = output.Contains("Connection refused", StringComparison.Ordinal) || output.Contains("server is busy", StringComparison.Ordinal);
            if (result.ExitCode == 0 || !transient || attempt == 5)
                return result;
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt)); // the server is between two tests
        }
    }

    /// <summary>Starts a command in a node; it is killed when the lab is disposed, if not before.</summary>
    public BackgroundProcess Start(string node, params string[] command)
    {
        var process = BackgroundProcess.Start("ip", ["netns", "exec", Namespace(node), .. command]);
        lock (_processes)
            _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var process in _processes)
                await process.DisposeAsync();
        }
        finally
        {
            await RemoveAsync();
        }
    }

    private async Task RemoveAsync()
    {
        await ProcessRunner.RunAsync("bash", [Script, "down", Id], TimeSpan.FromMinutes(1));
    }

    private async Task ScriptAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("bash", [Script, arguments[0], Id, .. arguments[1..]], TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"lab.sh {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }
}
