using System.Collections.Concurrent;

namespace SipTrunk.Core.Transport;

/// <summary>
/// The per-source request rate limit (CONTRACT.md §3 <c>Limits</c>, issue 7): a token bucket per source address, checked
/// before a request is parsed, authenticated or looked at by any other layer. Bounded memory; thread-safe; allocates only
/// when it first sees a source.
/// </summary>
/// <remarks>
/// <para>
/// A source whose bucket is empty is refused. Refusals that follow each other with less than a second between them form
/// a streak; a source refused more than <see cref="RequestRateLimit.Burst"/> times in one streak has kept sending over
/// its rate for as long again as its burst allowed, and is to be banned (<see cref="RateDecision.Ban"/>); a peer that
/// bursts once (a PBX re-registering its phones after a restart) is refused the excess and never banned. Within a
/// streak, one refusal per second is <see cref="RateDecision.Answer"/> (a 503 on a connection), the rest
/// <see cref="RateDecision.Drop"/>.
/// </para>
/// <para>
/// Beyond <c>maxSources</c> tracked addresses (a spoofed-source UDP flood), entries whose bucket has refilled and whose
/// streak has ended are dropped (they behave exactly as new ones would), at most once per refill period; sources that
/// still find no room share one overflow bucket, so a flood of new addresses is limited as one source.
/// </para>
/// </remarks>
internal sealed class SourceRateLimiter
{
    private static readonly TimeSpan StreakGap = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<SourceKey, Bucket> _buckets = new();
    private readonly Bucket _overflow;
    private readonly Lock _pruneLock = new();
    private readonly TimeProvider _time;
    private readonly double _tokensPerTick;
    private readonly int _burst;
    private readonly TimeSpan _refillTime;
    private readonly int _maxSources;
    private int _count;
    private long _lastPrune;
    private bool _pruned;

    public SourceRateLimiter(RequestRateLimit limit, TimeProvider time, int maxSources = 65_536)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit.RequestsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit.Burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSources, 1);
        Limit = limit;
        _time = time;
        _burst = limit.Burst;
        _tokensPerTick = (double)limit.RequestsPerSecond / time.TimestampFrequency;
        _refillTime = TimeSpan.FromSeconds((double)limit.Burst / limit.RequestsPerSecond);
        _maxSources = maxSources;
        _overflow = new Bucket(_burst, time.GetTimestamp());
    }

    public RequestRateLimit Limit { get; }

    /// <summary>Sources tracked now.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>Takes a token for one request from <paramref name="source"/> and says what to do with the request.</summary>
    public RateDecision Check(SourceKey source)
    {
        var now = _time.GetTimestamp();
        var bucket = Find(source, now);
        lock (bucket.Gate)
        {
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + ((now - bucket.LastRefill) * _tokensPerTick));
            bucket.LastRefill = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens--;
                return RateDecision.Admit;
            }

            if (bucket.Streak == 0 || _time.GetElapsedTime(bucket.LastRefused, now) >= StreakGap)
            {
                bucket.Streak = 0;
                bucket.LastAnswered = long.MinValue;
            }

            bucket.Streak++;
            bucket.LastRefused = now;
            if (bucket.Streak > _burst)
            {
                // Starts a new streak: a source that goes on flooding after its ban ends is banned again. The shared
                // overflow bucket bans nobody: the source that happens to empty it need not be the flooder.
                bucket.Streak = 0;
                return ReferenceEquals(bucket, _overflow) ? RateDecision.Drop : RateDecision.Ban;
            }

            if (bucket.LastAnswered == long.MinValue || _time.GetElapsedTime(bucket.LastAnswered, now) >= StreakGap)
            {
                bucket.LastAnswered = now;
                return RateDecision.Answer;
            }

            return RateDecision.Drop;
        }
    }

    private Bucket Find(SourceKey source, long now)
    {
        if (_buckets.TryGetValue(source, out var bucket))
        {
            return bucket;
        }

        if (Volatile.Read(ref _count) >= _maxSources)
        {
            Prune(now);
            if (Volatile.Read(ref _count) >= _maxSources)
            {
                return _overflow;
            }
        }

        var created = new Bucket(_burst, now);
        if (_buckets.TryAdd(source, created))
        {
            Interlocked.Increment(ref _count);
            return created;
        }

        return _buckets.TryGetValue(source, out bucket) ? bucket : _overflow;
    }

    private void Prune(long now)
    {
        lock (_pruneLock)
        {
            if (_pruned && _time.GetElapsedTime(_lastPrune, now) < _refillTime)
            {
                return;
            }

            _pruned = true;
            _lastPrune = now;
            foreach (var pair in _buckets)
            {
                bool idle;
                lock (pair.Value.Gate)
                {
                    // Full again and out of any streak: forgetting it changes nothing for its next request.
                    idle = _time.GetElapsedTime(pair.Value.LastRefill, now) >= _refillTime
                        && (pair.Value.Streak == 0 || _time.GetElapsedTime(pair.Value.LastRefused, now) >= StreakGap);
                }

                if (idle && _buckets.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private sealed class Bucket(int tokens, long now)
    {
        public readonly Lock Gate = new();
        public double Tokens = tokens;
        public long LastRefill = now;
        public int Streak;
        public long LastRefused;
        public long LastAnswered = long.MinValue;
    }
}
