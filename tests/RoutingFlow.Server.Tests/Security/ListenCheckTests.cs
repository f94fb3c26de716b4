using Microsoft.Extensions.Configuration;
using RoutingFlow.Server.Security;

namespace RoutingFlow.Server.Tests.Security;

/// <summary>Which listen addresses are loopback, and the refusal to listen beyond it with neither a key nor public reads.</summary>
public sealed class ListenCheckTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.1.2.3:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("https://192.168.1.1:8443", false)]
    [InlineData("http://router.lan:8080", false)]
    public void IsLoopback(string url, bool loopback) => Assert.Equal(loopback, ListenCheck.IsLoopback(url));

    [Theory]
    [InlineData(null, false, true)]
    [InlineData("key", false, false)]
    [InlineData(null, true, false)]
    public void Ensure_RefusesOnlyWithoutKeyOrPublicReads(string? key, bool publicReads, bool refused)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:8080;http://0.0.0.0:9000",
        }).Build();

        var error = Record.Exception(() => ListenCheck.Ensure(configuration, new SecurityOptions { ApiKey = key, PublicReads = publicReads }));

        Assert.Equal(refused, error is ListenRefusedException);
        if (refused)
            Assert.Contains("http://0.0.0.0:9000", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_ReadsKestrelsConfiguredEndpointsToo()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:8080",
            ["Kestrel:Endpoints:Https:Url"] = "https://0.0.0.0:8443",
        }).Build();

        Assert.Throws<ListenRefusedException>(() => ListenCheck.Ensure(configuration, new SecurityOptions()));
    }
}
