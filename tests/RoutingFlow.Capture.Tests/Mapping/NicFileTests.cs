using RoutingFlow.Capture.Mapping;

namespace RoutingFlow.Capture.Tests.Mapping;

public class NicFileTests
{
    [Fact]
    public void Parse_LongForm_ReadsEveryNic()
    {
        var errors = new List<string>();
        var nics = NicFile.Parse("""{"nics":[{"name":"wan0","interface":"eth0"},{"name":"wan1","interface":"auto"}]}""", "nic.json", errors);

        Assert.Empty(errors);
        Assert.Equal([new NicDeclaration("wan0", "eth0"), new NicDeclaration("wan1", "auto")], nics);
        Assert.True(nics[1].IsAuto);
    }

    [Fact]
    public void Parse_ShortForm_ReadsEveryNic()
    {
        var errors = new List<string>();
        var nics = NicFile.Parse("""{"wan0":"eth0","wan1":"eth1"}""", "nic.json", errors);

        Assert.Empty(errors);
        Assert.Equal(["wan0", "wan1"], nics.Select(n => n.Name));
    }

    [Theory]
    [InlineData("""{"nics":[{"name":"wan0","interface":"eth0"},{"name":"wan0","interface":"eth1"}]}""", "declared twice")]
    [InlineData("""{"nics":[{"name":"wan0"}]}""", "nics[0] needs")]
    [InlineData("""{"nics":[]}""", "declares no WAN")]
    [InlineData("""{"wan 0":"eth0"}""", "must be letters")]
    [InlineData("""{"wan0":5}""", "must name an interface")]
    [InlineData("""{"nics":""", "not valid JSON")]
    public void Parse_Invalid_NamesTheProblem(string json, string expected)
    {
        var errors = new List<string>();
        NicFile.Parse(json, "nic.json", errors);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("nic.json", StringComparison.Ordinal));
    }
}
