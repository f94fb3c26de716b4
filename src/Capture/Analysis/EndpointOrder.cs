namespace RoutingFlow.Capture.Analysis;

/// <summary>
/// Sorts report rows most bytes first, ties by address (a total order: addresses are unique). An introsort written
/// for the row type: <c>Span.Sort</c> with a comparer runs the runtime's generic sort for this struct, which a short
/// <c>analyze</c> run executes as unoptimised JIT code through a delegate (40–50 ms for 69,000 rows against ~5).
/// Quicksort with a median-of-three pivot, insertion sort for short ranges, heapsort past a depth limit, so no
/// input (a crafted capture) makes it quadratic.
/// </summary>
public static class EndpointOrder
{
    private const int InsertionSortLength = 16;

    public static void Sort(Span<EndpointRow> rows) =>
        Sort(rows, 2 * (System.Numerics.BitOperations.Log2((uint)rows.Length) + 1));

    /// <summary>With an explicit quicksort depth before heapsort takes over (tests reach the heapsort this way).</summary>
    internal static void Sort(Span<EndpointRow> rows, int depthLimit) => IntroSort(rows, depthLimit);

    /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/>.</summary>
    public static bool Before(in EndpointRow a, in EndpointRow b)
    {
        var (totalA, totalB) = (a.TxBytes + a.RxBytes, b.TxBytes + b.RxBytes);
        return totalA != totalB ? totalA > totalB : a.Ip.CompareTo(b.Ip) < 0;
    }

    private static void IntroSort(Span<EndpointRow> rows, int depthLimit)
    {
        while (rows.Length > InsertionSortLength)
        {
            if (depthLimit-- == 0)
            {
                HeapSort(rows);
                return;
            }
            var pivot = Partition(rows);
            // Recurse into the shorter side, loop on the longer: the stack stays logarithmic.
            if (pivot < rows.Length - pivot)
            {
                IntroSort(rows[..pivot], depthLimit);
                rows = rows[(pivot + 1)..];
            }
            else
            {
                IntroSort(rows[(pivot + 1)..], depthLimit);
                rows = rows[..pivot];
            }
        }
        InsertionSort(rows);
    }

    /// <summary>Partitions around the median of the first, middle and last rows; returns the pivot's final index.</summary>
    private static int Partition(Span<EndpointRow> rows)
    {
        var (middle, last) = (rows.Length >> 1, rows.Length - 1);
        SwapIfBefore(rows, middle, 0);
        SwapIfBefore(rows, last, 0);
        SwapIfBefore(rows, last, middle);
        (rows[middle], rows[last - 1]) = (rows[last - 1], rows[middle]); // pivot parked before the (larger) last row
        var pivot = rows[last - 1];
        var (left, right) = (0, last - 1);
        while (true)
        {
            while (Before(rows[++left], pivot))
            {
            }
            while (Before(pivot, rows[--right]))
            {
            }
            if (left >= right)
                break;
            (rows[left], rows[right]) = (rows[right], rows[left]);
        }
        (rows[left], rows[last - 1]) = (rows[last - 1], rows[left]);
        return left;
    }

    private static void SwapIfBefore(Span<EndpointRow> rows, int i, int j)
    {
        if (Before(rows[i], rows[j]))
            (rows[i], rows[j]) = (rows[j], rows[i]);
    }

    private static void InsertionSort(Span<EndpointRow> rows)
    {
        for (var i = 1; i < rows.Length; i++)
        {
            var row = rows[i];
            var j = i - 1;
            for (; j >= 0 && Before(row, rows[j]); j--)
                rows[j + 1] = rows[j];
            rows[j + 1] = row;
        }
    }

    private static void HeapSort(Span<EndpointRow> rows)
    {
        for (var i = rows.Length / 2 - 1; i >= 0; i--)
            SiftDown(rows, i, rows.Length);
        for (var end = rows.Length - 1; end > 0; end--)
        {
            (rows[0], rows[end]) = (rows[end], rows[0]);
            SiftDown(rows, 0, end);
        }
    }

    /// <summary>Max-heap by "comes later", so the heap's root goes to the end.</summary>
    private static void SiftDown(Span<EndpointRow> rows, int root, int length)
    {
        while (2 * root + 1 < length)
        {
            var child = 2 * root + 1;
            if (child + 1 < length && Before(rows[child], rows[child + 1]))
                child++;
            if (!Before(rows[root], rows[child]))
                return;
            (rows[root], rows[child]) = (rows[child], rows[root]);
            root = child;
        }
    }
}
