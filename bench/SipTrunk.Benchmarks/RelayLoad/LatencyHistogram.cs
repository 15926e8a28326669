namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>
/// One-way latencies in microseconds: 1 µs buckets below 10 ms, 100 µs buckets up to 1 s, one overflow bucket. One
/// writer; merged after the writers stop.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int FineLimitUs = 10_000;
    private const int CoarseStepUs = 100;
    private const int CoarseLimitUs = 1_000_000;
    private readonly long[] _buckets = new long[FineLimitUs + ((CoarseLimitUs - FineLimitUs) / CoarseStepUs) + 1];

    public long Count { get; private set; }

    public void Add(double microseconds)
    {
        var us = (long)Math.Max(0, microseconds);
        var index = us < FineLimitUs ? (int)us
            : us < CoarseLimitUs ? FineLimitUs + (int)((us - FineLimitUs) / CoarseStepUs)
            : _buckets.Length - 1;
        _buckets[index]++;
        Count++;
    }

    public void AddAll(LatencyHistogram other)
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] += other._buckets[i];
        }

        Count += other.Count;
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the samples fall, in µs (NaN without samples).</summary>
    public double Percentile(double fraction)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return i < FineLimitUs ? i : i < _buckets.Length - 1 ? FineLimitUs + ((i - FineLimitUs) * CoarseStepUs) : CoarseLimitUs;
            }
        }

        return CoarseLimitUs;
    }
}
