using Microsoft.Extensions.Logging.Abstractions;
using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Mapping;
using RoutingFlow.Server.Mapping;

namespace RoutingFlow.Server.Tests.Mapping;

public sealed class MappingOverridesTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 19, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("rf-overrides-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static NicMapHolder Holder()
    {
        Assert.True(IpNetwork.TryParse("10.0.0.11/32", out var host, out _));
        Assert.True(IpNetwork.TryParse("10.0.0.0/24", out var lan, out _));
        return new NicMapHolder(new NicMap(["wan0", "wan1"], "wan0", [new MappingEntry(host, "wan1", "static"), new MappingEntry(lan, "wan1", "static")], 1));
    }

    [Fact]
    public void Add_IsInEffectAtOnce_OverTheStaticRuleForTheSameNetwork_AndSurvivesARestart()
    {
        var holder = Holder();
        var overrides = new MappingOverrides(holder, _directory, NullLogger<MappingOverrides>.Instance);

        Assert.Null(overrides.Add([new MappingOverride("10.0.0.11", "wan0", At, "198.18.0.1")]));

        Assert.Equal("wan0", holder.Current.NameOf(holder.Current.Resolve(IpAddr.Parse("10.0.0.11"))));
        Assert.Equal("wan1", holder.Current.NameOf(holder.Current.Resolve(IpAddr.Parse("10.0.0.12")))); // the /24 stays
        Assert.DoesNotContain(holder.Current.Entries, e => e.Source == "static" && e.Nic == "wan1" && e.Network.PrefixLength == 32);
        var restarted = Holder();
        var again = new MappingOverrides(restarted, _directory, NullLogger<MappingOverrides>.Instance);
        Assert.Equal("wan0", restarted.Current.NameOf(restarted.Current.Resolve(IpAddr.Parse("10.0.0.11"))));
        Assert.Equal("198.18.0.1", Assert.Single(again.Current).By);
    }

    [Fact]
    public void ANetwork_TakesTheHostsInsideItAlong_StaticAndOverridden()
    {
        var holder = Holder();
        var overrides = new MappingOverrides(holder, _directory, NullLogger<MappingOverrides>.Instance);
        overrides.Add([new MappingOverride("10.0.0.12", "wan1", At, "x")]);

        overrides.Add([new MappingOverride("10.0.0.0/24", "wan0", At, "x")]);

        Assert.Equal("wan0", holder.Current.NameOf(holder.Current.Resolve(IpAddr.Parse("10.0.0.11")))); // its static /32 is under the moved /24
        Assert.Equal("wan0", holder.Current.NameOf(holder.Current.Resolve(IpAddr.Parse("10.0.0.12")))); // and so is the earlier override
        Assert.Equal("10.0.0.0/24", Assert.Single(overrides.Current).Target);
        overrides.Add([new MappingOverride("10.0.0.13", "wan1", At, "x")]); // a host moved later, inside the /24, is more specific
        Assert.Equal("wan1", holder.Current.NameOf(holder.Current.Resolve(IpAddr.Parse("10.0.0.13"))));
    }

    [Fact]
    public void Clear_RestoresTheMapping()
    {
        var holder = Holder();
        var overrides = new MappingOverrides(holder, _directory, NullLogger<MappingOverrides>.Instance);
        overrides.Add([new MappingOverride("10.0.0.0/24", "wan0", At, "x")]);

        overrides.Clear();

        Assert.Equal("wan1", holder.Current.NameOf(holder.Current.Resolve(IpAddr.Parse("10.0.0.12"))));
        Assert.DoesNotContain(holder.Current.Entries, e => e.Source == MappingOverrides.Source);
    }

    [Fact]
    public void AnUnreadableFile_IsReported_AndNothingApplies()
    {
        File.WriteAllText(Path.Combine(_directory, MappingOverrides.FileName), "{not json");

        var overrides = new MappingOverrides(Holder(), _directory, NullLogger<MappingOverrides>.Instance);

        Assert.Empty(overrides.Current);
        Assert.Contains("could not be read", overrides.Error, StringComparison.Ordinal);
    }
}
