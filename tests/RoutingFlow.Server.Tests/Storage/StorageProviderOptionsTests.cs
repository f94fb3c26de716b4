using RoutingFlow.Capture.Configuration;
using RoutingFlow.Server.Storage;

namespace RoutingFlow.Server.Tests.Storage;

/// <summary><c>Storage:Provider</c> and <c>Storage:ConnectionString</c>: each mistake named with its key, the password never repeated.</summary>
public sealed class StorageProviderOptionsTests
{
    [Theory]
    [InlineData("mysql", null, "RoutingFlow:Storage:Provider 'mysql' is not sqlite or postgres")]
    [InlineData("postgres", null, "RoutingFlow:Storage:ConnectionString is required with Storage:Provider postgres")]
    [InlineData("postgres", "Database=rf;Password=hunter2", "RoutingFlow:Storage:ConnectionString names no Host")]
    [InlineData("postgres", "Host=db;Colour=blue;Password=hunter2", "RoutingFlow:Storage:ConnectionString is not a valid PostgreSQL connection string")]
    public void BadProviderSettings_AreNamed_WithoutThePassword(string provider, string? connection, string expected)
    {
        var errors = new List<string>();

        new StorageOptions { Provider = provider, ConnectionString = connection }.Validate(new RoutingFlowOptions(), errors);

        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NamesTheServerAndDatabase_NeverThePassword()
    {
        var options = new StorageOptions { Provider = "postgres", ConnectionString = "Host=db.example;Port=5433;Database=fleet;Username=rf;Password=hunter2" };

        Assert.Equal("postgres://db.example:5433/fleet", options.Describe(new RoutingFlowOptions(), "/opt/routingflow"));
    }
}
