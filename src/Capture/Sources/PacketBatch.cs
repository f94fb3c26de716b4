using System.Runtime.InteropServices;

namespace RoutingFlow.Capture.Sources;

/// <summary>
/// A reusable batch of decoded frames, filled by <see cref="PcapBatchReader"/>. The items live in pinned memory so
/// that libpcap's callback can decode straight into them; the consumer then sees them as a span and can look ahead
/// (prefetch the tables the next frames will touch) before accounting each. Not thread-safe: one reader, one owner.
/// </summary>
public sealed unsafe class PacketBatch
{
    public const int DefaultCapacity = 512;
    private readonly CapturedPacket[] _items;
    private readonly BatchState[] _stateHolder = GC.AllocateArray<BatchState>(1, pinned: true);
    private readonly BatchState* _state;

    public PacketBatch(int linkType, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = GC.AllocateUninitializedArray<CapturedPacket>(capacity, pinned: true);
        _state = (BatchState*)Marshal.UnsafeAddrOfPinnedArrayElement(_stateHolder, 0);
        _state->Items = (CapturedPacket*)Marshal.UnsafeAddrOfPinnedArrayElement(_items, 0);
        _state->Capacity = capacity;
        _state->LinkType = linkType;
    }

    public int Capacity => _items.Length;

    public int Count => _state->Count;

    public int LinkType => _state->LinkType;

    public ReadOnlySpan<CapturedPacket> Packets => _items.AsSpan(0, _state->Count);

    /// <summary>The state libpcap's callback writes through (passed as its <c>user</c> argument).</summary>
    internal BatchState* State => _state;

    internal ref CapturedPacket Slot(int index) => ref _items[index];

    public void Clear() => _state->Count = 0;

    [StructLayout(LayoutKind.Sequential)]
    internal struct BatchState
    {
        public CapturedPacket* Items;
        public int Count;
        public int Capacity;
        public int LinkType;
    }
}
