using System.Collections.Concurrent;

namespace SipTrunk.Core.Auth;

/// <summary>
/// Per-peer call limits (CONTRACT.md §3 Limits): a token bucket of <c>MaxCallsPerSecond</c> (burst of one second's
/// worth) and a count of calls in progress against <c>MaxConcurrentCalls</c>. Thread-safe.
/// </summary>
/// <remarks>
/// The bucket is kept in integer units (one token = <see cref="TimeProvider.TimestampFrequency"/> units, refilled at
/// <c>rate</c> units per timestamp tick) so that refills are exact, with no drift from floating-point sums. Limits
/// are passed per call so that a configuration reload applies at once. Peers are configured names, so the table
/// holds one small entry per peer and needs no other bound.
/// </remarks>
public sealed class PeerCallLimiter
{
    private readonly ConcurrentDictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public PeerCallLimiter(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Admits a call of <paramref name="peer"/> (counting it as active) or says which limit refused it.</summary>
    public CallAdmission TryStartCall(string peer, int maxCallsPerSecond, int maxConcurrentCalls)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCallsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentCalls, 1);
        var frequency = _time.TimestampFrequency;
        var capacity = (Int128)Math.Max(1, maxCallsPerSecond) * frequency;
        var now = _time.GetTimestamp();
        var state = _peers.GetOrAdd(peer, static (_, full) => new PeerState(full.Tokens, full.Now), (Tokens: (long)capacity, Now: now));
        lock (state.Gate)
        {
            var elapsed = Math.Max(0, now - state.LastRefill);
            state.Tokens = (long)Int128.Min(capacity, state.Tokens + ((Int128)elapsed * maxCallsPerSecond));
            state.LastRefill = now;

            // Checked before the bucket so that a call refused for concurrency spends no token.
            if (state.Active >= maxConcurrentCalls)
            {
                return CallAdmission.ConcurrencyExceeded;
            }

            if (state.Tokens < frequency)
            {
                return CallAdmission.RateExceeded;
            }

            state.Tokens -= frequency;
            state.Active++;
            return CallAdmission.Admitted;
        }
    }

    /// <summary>
    /// Admits a call toward <paramref name="peer"/> (a carrier's inbound call) against <paramref name="maxConcurrentCalls"/>
    /// only: the rate limit is about what the peer sends, and the bucket is left untouched.
    /// </summary>
    public bool TryStartInboundCall(string peer, int maxConcurrentCalls)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentCalls, 1);
        // A full bucket (long.MaxValue is clamped to the capacity on the next outbound call).
        var state = _peers.GetOrAdd(peer, static (_, full) => new PeerState(full.Tokens, full.Now), (Tokens: long.MaxValue, Now: _time.GetTimestamp()));
        lock (state.Gate)
        {
            if (state.Active >= maxConcurrentCalls)
            {
                return false;
            }

            state.Active++;
            return true;
        }
    }

    /// <summary>An admitted call ended.</summary>
    public void EndCall(string peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_peers.TryGetValue(peer, out var state))
        {
            lock (state.Gate)
            {
                // Never below zero: an end reported twice (a BYE and a timeout racing) must not free a slot twice.
                if (state.Active > 0)
                {
                    state.Active--;
                }
            }
        }
    }

    /// <summary>Calls of <paramref name="peer"/> in progress.</summary>
    public int ActiveCalls(string peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!_peers.TryGetValue(peer, out var state))
        {
            return 0;
        }

        lock (state.Gate)
        {
            return state.Active;
        }
    }

    private sealed class PeerState(long tokens, long lastRefill)
    {
        public readonly Lock Gate = new();
        public long Tokens = tokens;
        public long LastRefill = lastRefill;
        public int Active;
    }
}
