using RoutingFlow.Capture.Addressing;
using RoutingFlow.Capture.Protocols;

namespace RoutingFlow.Capture.Tests.Protocols;

public class NameCacheTests
{
    private static IpAddr Ip(string text) => IpAddr.TryParse(text, out var ip) ? ip : throw new ArgumentException(text);

    [Fact]
    public void ANameLastsItsTtl_AndTheNewestNameWins()
    {
        var cache = new NameCache();
        cache.Learn(Ip("198.51.100.7"), "a.test", TimeSpan.FromSeconds(60), NameSource.Dns, 0);

        Assert.Equal("a.test", cache.Lookup(Ip("198.51.100.7"), 59_999_999));
        Assert.Null(cache.Lookup(Ip("198.51.100.7"), 60_000_000));

        cache.Learn(Ip("198.51.100.7"), "b.test", TimeSpan.FromSeconds(60), NameSource.Tls, 10_000_000);
        Assert.Equal("b.test", cache.Lookup(Ip("198.51.100.7"), 20_000_000));
        Assert.Equal(NameSource.Tls, Assert.Single(cache.Snapshot(20_000_000, 10)).Source);
    }

    [Fact]
    public void AZeroTtl_NamesNothing_AndHugeTtlsAreCutToADay()
    {
        var cache = new NameCache();
        cache.Learn(Ip("198.51.100.1"), "zero.test", TimeSpan.Zero, NameSource.Dns, 0);
        cache.Learn(Ip("198.51.100.2"), "long.test", TimeSpan.FromDays(3650), NameSource.Dns, 0);

        Assert.Null(cache.Lookup(Ip("198.51.100.1"), 1));
        Assert.Equal(86_400, Assert.Single(cache.Snapshot(0, 10)).ExpiresInSeconds);
    }

    [Fact]
    public void AtCapacity_TheOldestGoes_Counted_AndSweepsDropTheExpired()
    {
        var cache = new NameCache(capacity: 2);
        cache.Learn(Ip("198.51.100.1"), "one.test", TimeSpan.FromSeconds(10), NameSource.Dns, 0);
        cache.Learn(Ip("198.51.100.2"), "two.test", TimeSpan.FromSeconds(100), NameSource.Dns, 1);
        cache.Learn(Ip("198.51.100.3"), "three.test", TimeSpan.FromSeconds(100), NameSource.Dns, 2);

        Assert.Null(cache.Lookup(Ip("198.51.100.1"), 3));
        Assert.Equal((1L, 2), (cache.Counters.Evicted, cache.Counters.Held));

        cache.Learn(Ip("198.51.100.2"), "two.test", TimeSpan.FromSeconds(5), NameSource.Dns, 3); // a refresh: the later expiry stays
        cache.Sweep(101_000_000);
        Assert.Equal((0, 2L), (cache.Counters.Held, cache.Counters.Expired));
    }

    [Fact]
    public void RefreshingAHeldName_AllocatesNothing()
    {
        var cache = new NameCache();
        var ip = Ip("198.51.100.9");
        cache.Learn(ip, "same.test", TimeSpan.FromSeconds(60), NameSource.Dns, 0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            cache.Learn(ip, "same.test", TimeSpan.FromSeconds(60), NameSource.Dns, i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void DnsAnswers_GiveEachAddressWithItsTtl_NamedByTheQuestion()
    {
        var message = DnsMessagesAnswer();
        Assert.True(DnsReader.TryRead(message, out var header));
        Span<char> name = stackalloc char[256];
        Assert.Equal("www.lab.test", name[..DnsAnswers.QuestionName(message, name)].ToString());

        var answers = new DnsAnswers(message, header, out var readable);
        var seen = new List<(string, uint)>();
        while (answers.Next(out var address, out var ttl))
            seen.Add((address.ToString(), ttl));

        Assert.True(readable);
        Assert.Equal([("198.51.100.20", 300u), ("198.51.100.21", 60u)], seen);
        var cut = new DnsAnswers(message.AsSpan(0, message.Length - 3), header, out _);
        Assert.True(cut.Next(out _, out _));
        Assert.False(cut.Next(out _, out _)); // the second answer runs past the captured bytes
    }

    private static byte[] DnsMessagesAnswer() =>
        Testing.Frames.DnsMessages.Answer(7, "WWW.lab.test", ("198.51.100.20", 300), ("198.51.100.21", 60));
}
