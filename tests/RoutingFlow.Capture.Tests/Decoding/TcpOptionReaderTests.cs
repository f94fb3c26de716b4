using RoutingFlow.Capture.Decoding;
using RoutingFlow.Testing.Frames;

namespace RoutingFlow.Capture.Tests.Decoding;

public class TcpOptionReaderTests
{
    // A Linux SYN: MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
    private static readonly byte[] LinuxSyn = [2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];

    private static (LayerResult Result, TcpOptions Options) Read(byte[] options, int? declared = null)
    {
        var result = TcpOptionReader.Read(options, declared ?? options.Length, out var parsed);
        return (result, parsed);
    }

    [Fact]
    public void Read_ALinuxSyn_ReadsEveryOption()
    {
        var (result, o) = Read(LinuxSyn);

        Assert.Equal(LayerResult.Ok, result);
        Assert.Equal(1460, o.Mss);
        Assert.True(o.SackPermitted);
        Assert.True(o.HasTimestamp);
        Assert.Equal((1u, 0u), (o.TimestampValue, o.TimestampEcho));
        Assert.Equal(7, o.WindowScale);
    }

    [Fact]
    public void Read_SackBlocks_KeepsTheCountAndTheFirst()
    {
        byte[] sack = [1, 1, 5, 18, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0, 1, 0, 0, 0, 2, 0];

        var (result, o) = Read(sack);

        Assert.Equal(LayerResult.Ok, result);
        Assert.Equal(2, o.SackBlocks);
        Assert.Equal((100u, 200u), (o.SackLeft, o.SackRight));
        Assert.Equal(-1, o.WindowScale);
    }

    [Fact]
    public void Read_WindowScaleAbove14_IsClampedTo14()
    {
        Assert.Equal(14, Read([3, 3, 15, 0]).Options.WindowScale);
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 })]          // zero-length option
    [InlineData(new byte[] { 2, 1, 0, 0 })]          // length 1
    [InlineData(new byte[] { 2, 8, 0, 0 })]          // runs past the header
    [InlineData(new byte[] { 2, 3, 0, 0 })]          // MSS of 3 bytes
    [InlineData(new byte[] { 3, 4, 7, 0 })]          // window scale of 4 bytes
    [InlineData(new byte[] { 5, 6, 0, 0, 0, 0, 0, 0 })] // SACK not 2 + 8n
    [InlineData(new byte[] { 8, 8, 0, 0, 0, 0, 0, 0 })] // timestamps of 8 bytes
    [InlineData(new byte[] { 1, 1, 1, 9 })]          // a length byte past the header
    public void Read_BadOption_IsBad(byte[] options)
    {
        Assert.Equal(LayerResult.Bad, Read(options).Result);
    }

    [Fact]
    public void Read_CutBySnapLength_ReadsWhatWasCaptured()
    {
        var (result, o) = Read(LinuxSyn[..8], declared: LinuxSyn.Length);

        Assert.Equal(LayerResult.Ok, result);
        Assert.Equal(1460, o.Mss);
        Assert.False(o.HasTimestamp);
    }

    [Fact]
    public void Read_AfterEndOfList_StopsReading()
    {
        Assert.Equal(LayerResult.Ok, Read([0, 2, 0, 0]).Result);
    }

    [Fact]
    public void Decode_TcpWithOptions_FillsThemIn()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, flags: 0x02, options: LinuxSyn));

        PacketDecoder.Decode(LinkType.Raw, ip, ip.Length, out var p);

        Assert.Equal(DecodeStatus.Ok, p.Status);
        Assert.Equal(40, p.Transport.HeaderLength);
        Assert.Equal((1460, 7), (p.TcpOptions.Mss, p.TcpOptions.WindowScale));
    }

    [Fact]
    public void Decode_TcpWithABadOption_IsMalformedButKeepsItsHeader()
    {
        var ip = RawIp.Ipv4("10.0.0.1", "10.0.0.2", IpProtocol.Tcp, RawIp.Tcp(1, 2, seq: 77, options: [2, 0, 0, 0]));

        PacketDecoder.Decode(LinkType.Raw, ip, ip.Length, out var p);

        Assert.Equal(DecodeStatus.Malformed, p.Status);
        Assert.True(p.HasTransport);
        Assert.Equal(77u, p.Transport.Sequence);
    }
}
