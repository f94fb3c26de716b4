using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public class CapacityEstimatorTests
{
    private static ProbeResult Ok(double bps) => new() { EstimateBps = bps };

    private static ProbeResult Failed() => ProbeResult.Failed(ProbeFailureReason.Refused, "refused", TimeSpan.Zero);

    [Fact]
    public void Capacity_IsTheMeanOfTheTargetsPerDirection()
    {
        var estimator = new CapacityEstimator(1.0);
        estimator.Record("eth0", 0, ProbeDirection.Rx, Ok(100e6));
        estimator.Record("eth0", 1, ProbeDirection.Rx, Ok(200e6));
        estimator.Record("eth0", 2, ProbeDirection.Tx, Ok(20e6));
        estimator.Record("eth1", 0, ProbeDirection.Rx, Ok(50e6));

        Assert.Equal(150e6, estimator.Capacity("eth0", ProbeDirection.Rx));
        Assert.Equal(20e6, estimator.Capacity("eth0", ProbeDirection.Tx));
        Assert.Equal(50e6, estimator.Capacity("eth1", ProbeDirection.Rx));
        Assert.Null(estimator.Capacity("eth1", ProbeDirection.Tx));
    }

    [Fact]
    public void Capacity_LeavesFailedTargetsOut_AndIsUnknownWhenAllFail()
    {
        var estimator = new CapacityEstimator(1.0);
        estimator.Record("eth0", 0, ProbeDirection.Rx, Ok(100e6));
        estimator.Record("eth0", 1, ProbeDirection.Rx, Ok(200e6));

        estimator.Record("eth0", 1, ProbeDirection.Rx, Failed());
        Assert.Equal(100e6, estimator.Capacity("eth0", ProbeDirection.Rx));
        Assert.Null(estimator.Estimate("eth0", 1));

        estimator.Record("eth0", 0, ProbeDirection.Rx, Failed());
        Assert.Null(estimator.Capacity("eth0", ProbeDirection.Rx));
    }

    [Fact]
    public void Record_Smoothing_WeighsTheNewestEstimate()
    {
        var estimator = new CapacityEstimator(0.25);
        Assert.Equal(100e6, estimator.Record("eth0", 0, ProbeDirection.Rx, Ok(100e6)));
        Assert.Equal(0.25 * 200e6 + 0.75 * 100e6, estimator.Record("eth0", 0, ProbeDirection.Rx, Ok(200e6)));

        estimator.Record("eth0", 0, ProbeDirection.Rx, Failed()); // a failure keeps the history for the next success
        Assert.Equal(0.25 * 200e6 + 0.75 * 125e6, estimator.Record("eth0", 0, ProbeDirection.Rx, Ok(200e6)));
    }
}
