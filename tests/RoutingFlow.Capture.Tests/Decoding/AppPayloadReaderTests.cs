using RoutingFlow.Capture.Decoding;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Decoding;

public class AppPayloadReaderTests
{
    private static DecodedPacket Decode(byte[] payload, ushort sport = 50000, ushort dport = 443)
    {
        var ip = AppMessages.Segment("10.0.0.1", "10.0.0.2", sport, dport, payload);
        PacketDecoder.Decode(LinkType.Raw, ip, ip.Length, out var packet);
        return packet;
    }

    private static string Name(in DecodedPacket packet) => System.Text.Encoding.ASCII.GetString(packet.PayloadBytes);

    [Fact]
    public void AClientHello_GivesTheHighestVersionOffered_AndItsServerName_PastGreaseAndPadding()
    {
        var packet = Decode(AppMessages.ClientHello("www.Example.test", [0x7A7A, 0x0304, 0x0303], padding: 300));

        Assert.Equal(new AppMessage(AppKind.TlsClientHello, 0x0304, 0), packet.App);
        Assert.Equal("www.Example.test", Name(packet));
    }

    [Fact]
    public void AClientHelloWithoutExtensionsCaptured_StillCounts_WithoutAName()
    {
        var hello = AppMessages.ClientHello("cut.test", [0x0304]);
        var ip = AppMessages.Segment("10.0.0.1", "10.0.0.2", 50000, 443, hello);
        var cut = ip.Length - hello.Length + 60; // the record, the version, the random and part of the session id

        PacketDecoder.Decode(LinkType.Raw, ip.AsSpan(0, cut), ip.Length, out var packet);

        Assert.Equal((AppKind.TlsClientHello, (ushort)0, 0), (packet.App.Kind, packet.App.Version, packet.PayloadCaptured)); // version unknown
    }

    [Fact]
    public void AClientHelloCutBeforeItsSupportedVersions_HasItsName_AndAnUnknownVersion()
    {
        var hello = AppMessages.ClientHello("cut.test", [0x0304, 0x0303]);
        var ip = AppMessages.Segment("10.0.0.1", "10.0.0.2", 50000, 443, hello);

        PacketDecoder.Decode(LinkType.Raw, ip.AsSpan(0, ip.Length - 3), ip.Length, out var packet);

        Assert.Equal((AppKind.TlsClientHello, (ushort)0, "cut.test"), (packet.App.Kind, packet.App.Version, Name(packet)));
        Assert.Equal(0x0303, Decode(AppMessages.ClientHello("full.test")).App.Version); // all captured, no supported_versions: the legacy field
    }

    [Fact]
    public void ATls12ServerHello_SharingItsRecordWithTheCertificate_IsReadToItsOwnEnd()
    {
        var hello = AppMessages.ServerHello(0x0303);
        var record = hello.Concat(new byte[] { 11, 0, 0, 3, 0, 0, 0 }).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)(record.Length - 5));

        Assert.Equal(new AppMessage(AppKind.TlsServerHello, 0x0303, 0), Decode(record, 443, 50000).App);
        Assert.Equal(0, Decode(hello.AsSpan(0, hello.Length - 1).ToArray(), 443, 50000).App.Version); // cut: unknown
    }

    [Theory]
    [InlineData(0x0304)]
    [InlineData(0x0303)]
    public void AServerHello_GivesTheVersionChosen(ushort version) =>
        Assert.Equal(new AppMessage(AppKind.TlsServerHello, version, 0), Decode(AppMessages.ServerHello(version), 443, 50000).App);

    [Theory]
    [InlineData("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n", AppKind.HttpRequest, AppMessage.Http11, 0)]
    [InlineData("POST /x?y=1 HTTP/1.0\r\n", AppKind.HttpRequest, AppMessage.Http10, 1)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", AppKind.HttpRequest, AppMessage.Http2, 9)]
    [InlineData("HTTP/1.1 404 Not Found\r\n", AppKind.HttpResponse, AppMessage.Http11, 404)]
    [InlineData("HTTP/1.0 200\r\n", AppKind.HttpResponse, AppMessage.Http10, 200)]
    public void HttpLines_GiveTheMethodOrStatus_AndTheVersion(string text, AppKind kind, ushort version, ushort code) =>
        Assert.Equal(new AppMessage(kind, version, code), Decode(AppMessages.Text(text), 50000, 80).App);

    [Theory]
    [InlineData("GET /no-version\r\n")]
    [InlineData("GETX / HTTP/1.1\r\n")]
    [InlineData("HTTP/1.1 20x OK\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n")]
    [InlineData("GET / HTTP/1.1 without an end of line")]
    [InlineData("Hello, this is not HTTP\r\n")]
    public void AnythingElse_IsNoMessage(string text) => Assert.Equal(default, Decode(AppMessages.Text(text), 50000, 80).App);

    [Fact]
    public void BrokenTlsLengths_AreNoMessage_OrOneWithoutAName()
    {
        var hello = AppMessages.ClientHello("x.test", [0x0304]);
        hello[9 + 34] = 200; // a session id longer than the message
        var packet = Decode(hello);
        Assert.Equal((AppKind.TlsClientHello, 0), (packet.App.Kind, packet.PayloadCaptured));
        Assert.Equal(default, Decode([0x16, 0x03, 0x01, 0x00, 0x01, 0x01]).App); // a record too short to hold a handshake header
        Assert.Equal(new AppMessage(AppKind.TlsMalformed, 0, 1), Decode([0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0, 0, 4, 3, 3, 0, 0]).App);
    }

    [Fact]
    public void UdpPayloads_AreCopiedOnlyForDns()
    {
        var dns = FrameBuilder.Udp("10.0.0.1", "10.0.0.2", 5000, 53, payload: 300);
        var other = FrameBuilder.Udp("10.0.0.1", "10.0.0.2", 5000, 443, payload: 300);

        PacketDecoder.Decode(LinkType.Raw, dns, dns.Length, out var a);
        PacketDecoder.Decode(LinkType.Raw, other, other.Length, out var b);

        Assert.Equal((PayloadPrefix.Length, 0), (a.PayloadCaptured, b.PayloadCaptured));
    }
}
