using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RoutingFlow.Capture.Probing;

namespace RoutingFlow.Capture.Tests.Probing;

public class TcpInfoTests
{
    [Fact]
    public void TryRead_FullStruct_ReadsEveryFieldAtItsOffset()
    {
        var data = new byte[232];
        data[5] = 1; // timestamps
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), 1448);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(68), 12_345);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(72), 678);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(92), 4_321);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(96), 14_480);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(120), 1_000);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(128), 2_000_000);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(136), 30);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(140), 40);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(148), 9_000);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(160), 2_500_000);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(200), 5_000);

        Assert.True(TcpInfo.TryRead(data, out var info));

        Assert.True(info.Timestamps);
        Assert.Equal(1448u, info.SndMss);
        Assert.Equal(TimeSpan.FromMicroseconds(12_345), info.Rtt);
        Assert.Equal(TimeSpan.FromMicroseconds(678), info.RttVar);
        Assert.Equal(TimeSpan.FromMicroseconds(4_321), info.RcvRtt);
        Assert.Equal(14_480u, info.RcvSpace);
        Assert.Equal(1_000ul, info.BytesAcked);
        Assert.Equal(2_000_000ul, info.BytesReceived);
        Assert.Equal(30u, info.SegsOut);
        Assert.Equal(40u, info.SegsIn);
        Assert.Equal(TimeSpan.FromMicroseconds(9_000), info.MinRtt);
        Assert.Equal(2_500_000ul, info.DeliveryRateBytesPerSecond);
        Assert.Equal(5_000ul, info.BytesSent);
    }

    [Fact]
    public void TryRead_OldKernelStruct_LeavesNewerFieldsNull()
    {
        Assert.True(TcpInfo.TryRead(new byte[TcpInfo.MinimumLength], out var info));
        Assert.Null(info.BytesReceived);
        Assert.Null(info.DeliveryRateBytesPerSecond);
        Assert.Null(info.BytesSent);
        Assert.False(TcpInfo.TryRead(new byte[TcpInfo.MinimumLength - 1], out _));
    }

    [Fact]
    public async Task TryGet_LoopbackConnection_HasRttAndCountsTheBytes()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndpoint);
        using var server = await listener.AcceptSocketAsync();
        await server.SendAsync(new byte[100_000]);
        var received = 0;
        var buffer = new byte[65_536];
        while (received < 100_000)
            received += await client.ReceiveAsync(buffer);

        Assert.True(TcpInfo.TryGet(client, out var info));

        Assert.True(info.Rtt > TimeSpan.Zero);
        Assert.Equal(100_000ul, info.BytesReceived);
        Assert.True(info.SegsIn >= 2);
    }
}
