using System.Text.Json;

namespace RoutingFlow.Testing.Lab;

/// <summary>What an iperf3 client run measured, read from its <c>-J</c> output.</summary>
public sealed record Iperf3Result(IReadOnlyList<double> IntervalBps, double ReceiverBps)
{
    /// <summary>Mean of the per-interval rates from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) seconds.</summary>
    public double MeanBps(int from, int to) => IntervalBps.Skip(from).Take(to - from).Average();

    public static Iperf3Result Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"iperf3: {error.GetString()}");
        var intervals = root.GetProperty("intervals").EnumerateArray()
            .Select(i => i.GetProperty("sum").GetProperty("bits_per_second").GetDouble()).ToList();
        var end = root.GetProperty("end");
        var received = end.TryGetProperty("sum_received", out var r) ? r : end.GetProperty("sum");
        return new Iperf3Result(intervals, received.GetProperty("bits_per_second").GetDouble());
    }
}
