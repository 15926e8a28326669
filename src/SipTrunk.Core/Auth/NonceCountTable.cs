namespace SipTrunk.Core.Auth;

/// <summary>
/// The highest nonce-count seen per nonce (RFC 7616 §3.4: a server that tracks nc can detect replays), bounded in
/// time and size. Thread-safe.
/// </summary>
/// <remarks>
/// Entries leave when their nonce is older than the lifetime (such a nonce is stale anyway) or, when the table is
/// full, oldest first. Forgetting a live nonce must not reopen it to replay, so every entry that leaves raises a
/// watermark: a nonce issued at or before the watermark that is not in the table is answered
/// <see cref="DigestOutcome.Stale"/>, and an honest client simply retries with the fresh nonce of the stale=true
/// challenge. Evicting rather than refusing new nonces keeps a busy trunk working (at 500 calls/s with a nonce per
/// call, 5 minutes of nonces exceed 100k) at the cost of one extra challenge for the oldest clients.
/// </remarks>
internal sealed class NonceCountTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, uint> _highest = [];

    // Keys in insertion order, which is close to issue order since a nonce is used soon after it is issued.
    private readonly Queue<UInt128> _order = new();
    private readonly int _capacity;
    private readonly long _lifetimeMs;
    private long _watermarkMs = long.MinValue;

    public NonceCountTable(int capacity, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lifetimeMs = (long)lifetime.TotalMilliseconds;
    }

    /// <summary>Nonces tracked now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _highest.Count;
            }
        }
    }

    /// <summary>
    /// Records <paramref name="count"/> for the nonce when it is above every count seen for it:
    /// <see cref="DigestOutcome.Authenticated"/>; <see cref="DigestOutcome.Replayed"/> when it is not;
    /// <see cref="DigestOutcome.Stale"/> when the nonce may have been forgotten.
    /// </summary>
    public DigestOutcome Advance(long issuedAtMs, ulong random, uint count, long nowMs)
    {
        var key = new UInt128((ulong)issuedAtMs, random);
        lock (_lock)
        {
            DropExpired(nowMs);
            if (_highest.TryGetValue(key, out var highest))
            {
                if (count <= highest)
                {
                    return DigestOutcome.Replayed;
                }

                _highest[key] = count;
                return DigestOutcome.Authenticated;
            }

            if (issuedAtMs <= _watermarkMs)
            {
                return DigestOutcome.Stale;
            }

            // RFC 7616 §3.4: nc counts from 1, so 0 can never be above what was seen.
            if (count == 0)
            {
                return DigestOutcome.Replayed;
            }

            if (_highest.Count >= _capacity)
            {
                Forget(_order.Dequeue());
                if (issuedAtMs <= _watermarkMs)
                {
                    return DigestOutcome.Stale;
                }
            }

            _highest.Add(key, count);
            _order.Enqueue(key);
            return DigestOutcome.Authenticated;
        }
    }

    private void DropExpired(long nowMs)
    {
        while (_order.TryPeek(out var oldest) && nowMs - IssuedAt(oldest) > _lifetimeMs)
        {
            Forget(_order.Dequeue());
        }
    }

    private void Forget(UInt128 key)
    {
        _highest.Remove(key);
        _watermarkMs = Math.Max(_watermarkMs, IssuedAt(key));
    }

    private static long IssuedAt(UInt128 key) => (long)(ulong)(key >> 64);
}
