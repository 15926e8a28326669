using System.Collections.Concurrent;

namespace SipTrunk.Core.Diagnostics;

/// <summary>
/// Lets one log line per key (a source address, a peer) through per period and counts the ones held back, so a flood
/// cannot flood the log. Bounded memory; thread-safe.
/// </summary>
/// <remarks>
/// When <c>maxKeys</c> keys are tracked, keys whose period has passed are dropped (at most once per period, so a
/// flood of new keys does not rescan the table each time); keys that still find no room share one overflow budget,
/// so a flood from many addresses yields at most one extra line per period rather than one per address.
/// </remarks>
public sealed class KeyedLogThrottle
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Entry _overflow = new(long.MinValue);
    private readonly Lock _pruneLock = new();
    private readonly TimeSpan _period;
    private readonly TimeProvider _time;
    private readonly int _maxKeys;
    private int _count;
    private long _lastPrune;
    private bool _pruned;

    public KeyedLogThrottle(TimeSpan period, TimeProvider time, int maxKeys = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _period = period;
        _time = time;
        _maxKeys = maxKeys;
    }

    /// <summary>Keys tracked now.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>True when a line for <paramref name="key"/> may be logged now; <paramref name="suppressed"/> says how many were held back since the last one.</summary>
    public bool TryEnter(string key, out int suppressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetTimestamp();
        suppressed = 0;
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (Volatile.Read(ref _count) >= _maxKeys)
            {
                Prune(now);
            }

            if (Volatile.Read(ref _count) < _maxKeys)
            {
                var created = new Entry(now);
                if (_entries.TryAdd(key, created))
                {
                    Interlocked.Increment(ref _count);
                    return true;
                }

                entry = _entries.GetValueOrDefault(key, _overflow);
            }
            else
            {
                entry = _overflow;
            }
        }

        lock (entry.Gate)
        {
            if (entry.LastEntered != long.MinValue && _time.GetElapsedTime(entry.LastEntered, now) < _period)
            {
                if (entry.Suppressed < int.MaxValue)
                {
                    entry.Suppressed++;
                }

                return false;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastEntered = now;
            return true;
        }
    }

    private void Prune(long now)
    {
        lock (_pruneLock)
        {
            if (_pruned && _time.GetElapsedTime(_lastPrune, now) < _period)
            {
                return;
            }

            _pruned = true;
            _lastPrune = now;
            foreach (var pair in _entries)
            {
                bool expired;
                lock (pair.Value.Gate)
                {
                    expired = _time.GetElapsedTime(pair.Value.LastEntered, now) >= _period;
                }

                // A key dropped with lines held back loses that count: under this much pressure, the next line for it
                // is let through as if new, which is what a quiet period would have allowed anyway.
                if (expired && _entries.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private sealed class Entry(long lastEntered)
    {
        public readonly Lock Gate = new();

        // long.MinValue: never entered (the overflow budget before its first line).
        public long LastEntered = lastEntered;
        public int Suppressed;
    }
}
