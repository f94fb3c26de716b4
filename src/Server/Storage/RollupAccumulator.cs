using RoutingFlow.Server.Monitoring;
using RoutingFlow.Server.Storage.Entities;

namespace RoutingFlow.Server.Storage;

/// <summary>One WAN's current minute: min/avg/max of capacity and actual traffic, emitted as a row when the minute ends.</summary>
internal sealed class RollupAccumulator(string nic, string router = "")
{
    private long _minute = long.MinValue;
    private int _samples;
    private Series _capRx;
    private Series _capTx;
    private Series _actRx;
    private Series _actTx;

    /// <summary>Adds one reading; returns the finished minute's row when <paramref name="time"/> starts a new minute.</summary>
    public WanRollupRow? Add(long time, in WanReading reading)
    {
        var minute = time - (time % 60_000);
        WanRollupRow? finished = null;
        if (minute != _minute)
        {
            finished = _samples > 0 ? Row() : null;
            (_minute, _samples, _capRx, _capTx, _actRx, _actTx) = (minute, 0, default, default, default, default);
        }
        _samples++;
        _capRx.Add(reading.CapacityRxBps);
        _capTx.Add(reading.CapacityTxBps);
        _actRx.Add(reading.ActualRxBps);
        _actTx.Add(reading.ActualTxBps);
        return finished;
    }

    private WanRollupRow Row() => new()
    {
        Router = router,
        Nic = nic,
        Minute = _minute,
        Samples = _samples,
        CapacityRxMin = _capRx.Min, CapacityRxAvg = _capRx.Avg, CapacityRxMax = _capRx.Max,
        CapacityTxMin = _capTx.Min, CapacityTxAvg = _capTx.Avg, CapacityTxMax = _capTx.Max,
        ActualRxMin = _actRx.Min ?? 0, ActualRxAvg = _actRx.Avg ?? 0, ActualRxMax = _actRx.Max ?? 0,
        ActualTxMin = _actTx.Min ?? 0, ActualTxAvg = _actTx.Avg ?? 0, ActualTxMax = _actTx.Max ?? 0,
    };

    /// <summary>Min/avg/max of the known values (null when none was known).</summary>
    private struct Series
    {
        private double _sum;
        private int _count;

        public double? Min { get; private set; }

        public double? Max { get; private set; }

        public readonly double? Avg => _count > 0 ? _sum / _count : null;

        public void Add(double? value)
        {
            if (value is not { } v)
                return;
            (_sum, _count) = (_sum + v, _count + 1);
            Min = Min is { } min ? Math.Min(min, v) : v;
            Max = Max is { } max ? Math.Max(max, v) : v;
        }
    }
}
