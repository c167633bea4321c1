using TwitterStream.Contracts;
namespace TwitterStream.Worker.Telemetry;

/// <summary>
/// A lock-free fixed-bucket histogram of milliseconds for the percentiles in <c>/stats</c>. Buckets grow by about 10 %
/// from 0.1 ms, so a percentile is reported as its bucket's upper bound (at most ~10 % high).
/// </summary>
internal sealed class LatencyHistogram
{
    private const double Smallest = 0.1;
    private const double Growth = 1.1;
    private static readonly double[] UpperBounds = CreateBounds();

    private readonly long[] _counts = new long[UpperBounds.Length + 1];
    private long _count;
    private long _maxMicros;

    public void Record(double milliseconds)
    {
        var index = Array.BinarySearch(UpperBounds, milliseconds);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _count);
        var micros = (long)(milliseconds * 1000);
        long seen;
        while (micros > (seen = Volatile.Read(ref _maxMicros)) && Interlocked.CompareExchange(ref _maxMicros, micros, seen) != seen)
        {
        }
    }

    public long Count => Volatile.Read(ref _count);

    public double Max => Volatile.Read(ref _maxMicros) / 1000.0;

    /// <summary>The upper bound of the bucket holding the given quantile (0..1), capped at the maximum seen; 0 when empty.</summary>
    public double Percentile(double quantile) => Math.Min(Percentile(Buckets(), quantile), Max);

    /// <summary>
    /// The non-empty buckets so far, in order. Counts only grow, so subtracting an earlier snapshot bucket by bucket
    /// gives the histogram of a window (a benchmark's measured window without its warm-up).
    /// </summary>
    public IReadOnlyList<LatencyBucket> Buckets()
    {
        var buckets = new List<LatencyBucket>();
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Volatile.Read(ref _counts[i]);
            if (count > 0)
            {
                // The last bucket has no upper bound of its own: what it holds is at most the maximum seen.
                buckets.Add(new LatencyBucket(i < UpperBounds.Length ? UpperBounds[i] : Max, count));
            }
        }

        return buckets;
    }

    /// <summary>The upper bound of the bucket holding the given quantile (0..1) of <paramref name="buckets"/>; 0 when empty.</summary>
    public static double Percentile(IReadOnlyList<LatencyBucket> buckets, double quantile)
    {
        long total = 0;
        foreach (var bucket in buckets)
        {
            total += bucket.Count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        foreach (var bucket in buckets)
        {
            seen += bucket.Count;
            if (seen >= rank)
            {
                return bucket.UpperBoundMs;
            }
        }

        return buckets[^1].UpperBoundMs;
    }

    private static double[] CreateBounds()
    {
        var bounds = new List<double>();
        for (var bound = Smallest; bound < 600_000; bound *= Growth)
        {
            bounds.Add(bound);
        }

        return [.. bounds];
    }
}
