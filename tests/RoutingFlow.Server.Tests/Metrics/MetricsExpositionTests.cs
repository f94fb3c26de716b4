using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using RoutingFlow.Server.Metrics;

namespace RoutingFlow.Server.Tests.Metrics;

public class MetricsExpositionTests
{
    private sealed class Counting(Action? update = null) : IMetricsSource
    {
        public int Updates { get; private set; }

        public string Name => "counting";

        public void Update()
        {
            Updates++;
            update?.Invoke();
        }
    }

    private long _publications;

    private (MetricsExposition Exposition, Counting Source, FakeTimeProvider Time, Gauge Gauge) Create(Action? update = null)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = new ReadableMetricFactory(registry);
        var gauge = factory.CreateGauge("test_value", "A value.");
        var source = new Counting(update);
        var time = new FakeTimeProvider();
        return (new MetricsExposition(registry, factory, [source], time, NullLogger<MetricsExposition>.Instance, () => _publications), source, time, gauge);
    }

    [Fact]
    public async Task GetAsync_ManyScrapesWithoutAPublication_OneBuildOneUpdate()
    {
        var (exposition, source, _, _) = Create();
        var first = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);

        for (var i = 0; i < 100; i++)
            Assert.Same(first, await exposition.GetAsync(ExpositionFormat.PrometheusText, default));

        Assert.Equal(1, exposition.Builds);
        Assert.Equal(1, source.Updates);
    }

    [Fact]
    public async Task GetAsync_APublicationOrASecondPasses_RebuildsWithTheNewValue()
    {
        var (exposition, source, time, gauge) = Create();
        var first = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);
        gauge.Set(7);

        _publications++;
        var second = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);
        time.Advance(MetricsExposition.MaxAge);
        var third = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);

        Assert.NotSame(first, second);
        Assert.Contains("test_value 7", Encoding.UTF8.GetString(second.Body), StringComparison.Ordinal);
        Assert.NotSame(second, third);
        Assert.Equal(3, source.Updates);
    }

    [Fact]
    public async Task GetAsync_BothFormatsForOnePublication_ShareOneUpdate()
    {
        var (exposition, source, _, _) = Create();

        var text = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);
        var open = await exposition.GetAsync(ExpositionFormat.OpenMetricsText, default);

        Assert.Equal(1, source.Updates);
        Assert.EndsWith("# EOF\n", Encoding.UTF8.GetString(open.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", Encoding.UTF8.GetString(text.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ASourceThrows_TheExpositionIsStillBuilt()
    {
        var (exposition, source, _, _) = Create(() => throw new InvalidOperationException("broken feature"));

        var built = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);

        Assert.Equal(1, source.Updates);
        Assert.Contains("test_value 0", Encoding.UTF8.GetString(built.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzip_DecompressesToTheBody()
    {
        var (exposition, _, _, _) = Create();
        var built = await exposition.GetAsync(ExpositionFormat.PrometheusText, default);

        using var gzip = new GZipStream(new MemoryStream(built.Gzip), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);

        Assert.Equal(built.Body, plain.ToArray());
        Assert.Same(built.Gzip, built.Gzip); // compressed once per build
    }

    [Theory]
    [InlineData("gzip, deflate, br", "gzip", true)]
    [InlineData("deflate;q=1, GZIP;q=0.5", "gzip", true)]
    [InlineData("gzip;q=0", "gzip", false)]
    [InlineData("identity", "gzip", false)]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
        "application/openmetrics-text", true)] // what Prometheus sends
    [InlineData("text/plain", "application/openmetrics-text", false)]
    public void Accepts_ReadsTheHeaderList(string header, string value, bool expected) =>
        Assert.Equal(expected, MetricsApi.Accepts(new StringValues(header), value));
}
