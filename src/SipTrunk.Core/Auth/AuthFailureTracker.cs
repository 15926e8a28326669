using System.Collections.Concurrent;
using System.Net;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Auth;

/// <summary>
/// Counts failed authentications per source address; after <c>Limits:AuthFailuresBeforeBan</c> the address is refused
/// for <c>Limits:BanSeconds</c> (the transports consult it at accept). The transports also ban a source that keeps
/// flooding over <c>Limits:RequestsPerSecondPerIp</c> (<see cref="Ban"/>). Bounded memory; thread-safe.
/// </summary>
/// <remarks>
/// Failures count within a window of the ban duration opened by the first one; a failure after the window starts a
/// new count, so a peer that mistypes a password now and then is never banned. Failures while banned neither count
/// nor extend the ban, so a ban always ends <c>banDuration</c> after it began. Beyond
/// <c>maxTrackedAddresses</c>, entries without a ban are dropped first (oldest window first), then the bans that end
/// soonest, down to 90% of the limit so that the sort is paid once per many insertions.
/// </remarks>
public sealed class AuthFailureTracker : IConnectionAdmission
{
    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly Lock _pruneLock = new();
    private readonly int _failuresBeforeBan;
    private readonly TimeSpan _banDuration;
    private readonly long _banTimestampSpan;
    private readonly TimeProvider _time;
    private readonly int _maxTrackedAddresses;

    // ConcurrentDictionary.Count takes every lock; this is kept beside it for the bound check.
    private int _count;

    public AuthFailureTracker(int failuresBeforeBan, TimeSpan banDuration, TimeProvider time, int maxTrackedAddresses = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresBeforeBan, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(banDuration, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedAddresses, 1);
        _failuresBeforeBan = failuresBeforeBan;
        _banDuration = banDuration;
        _time = time;
        _maxTrackedAddresses = maxTrackedAddresses;
        _banTimestampSpan = (long)((Int128)banDuration.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    /// <summary>Addresses banned now (a scan: for metrics, not for every packet).</summary>
    public int BannedCount
    {
        get
        {
            var now = _time.GetTimestamp();
            var banned = 0;
            foreach (var pair in _entries)
            {
                if (pair.Value.IsDatagramBanned(now))
                {
                    banned++;
                }
            }

            return banned;
        }
    }

    /// <summary>Addresses tracked now (failure counts and bans).</summary>
    internal int TrackedCount => Volatile.Read(ref _count);

    /// <summary>Records a failure; true when it starts a ban.</summary>
    public bool RecordFailure(IPAddress address) => UpdateEntry(address, this, static (entry, now, tracker) =>
    {
        if (entry.IsBanned(now))
        {
            return false;
        }

        if (entry.Failures > 0 && tracker._time.GetElapsedTime(entry.WindowStart, now) >= tracker._banDuration)
        {
            entry.Failures = 0;
        }

        if (entry.Failures == 0)
        {
            entry.WindowStart = now;
        }

        entry.Failures++;
        if (entry.Failures < tracker._failuresBeforeBan)
        {
            return false;
        }

        entry.Failures = 0;
        Volatile.Write(ref entry.BanEnd, now + tracker._banTimestampSpan);
        return true;
    });

    /// <inheritdoc/>
    /// <remarks>
    /// A datagram-only ban (a UDP flood, whose source address may be forged) never refuses connections: otherwise anyone
    /// could lock a TLS peer out by flooding UDP in its name. A full ban over a datagram-only one widens it.
    /// </remarks>
    public bool Ban(IPAddress address, bool datagramsOnly) => UpdateEntry(address, (Tracker: this, DatagramsOnly: datagramsOnly), static (entry, now, state) =>
    {
        if (state.DatagramsOnly ? entry.IsDatagramBanned(now) : entry.IsBanned(now))
        {
            return false;
        }

        entry.Failures = 0;
        Volatile.Write(ref state.DatagramsOnly ? ref entry.DatagramBanEnd : ref entry.BanEnd, now + state.Tracker._banTimestampSpan);
        return true;
    });

    /// <summary>A successful authentication clears the address's failure count.</summary>
    public void RecordSuccess(IPAddress address)
    {
        address = Normalize(address);
        if (!_entries.TryGetValue(address, out var entry))
        {
            return;
        }

        lock (entry.Gate)
        {
            entry.Failures = 0;
            if (entry.Removed || entry.IsDatagramBanned(_time.GetTimestamp()))
            {
                // A ban stands even if a connection opened before it authenticates now.
                return;
            }

            Remove(address, entry);
        }
    }

    /// <inheritdoc/>
    public bool IsRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // Lock-free: one dictionary lookup and one read; the mapping allocates only for IPv4-mapped addresses.
        return _entries.TryGetValue(Normalize(address), out var entry) && entry.IsBanned(_time.GetTimestamp());
    }

    /// <inheritdoc/>
    public bool IsDatagramRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _entries.TryGetValue(Normalize(address), out var entry) && entry.IsDatagramBanned(_time.GetTimestamp());
    }

    private static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; both forms must share one count and one ban.
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    // Runs update on the address's entry under its lock; an entry pruned between the lookup and the lock is looked up
    // again, so the update lands on the entry that replaces it.
    private bool UpdateEntry<TState>(IPAddress address, TState state, Func<Entry, long, TState, bool> update)
    {
        address = Normalize(address);
        var now = _time.GetTimestamp();
        while (true)
        {
            var entry = GetOrAdd(address, now);
            lock (entry.Gate)
            {
                if (!entry.Removed)
                {
                    return update(entry, now, state);
                }
            }
        }
    }

    private Entry GetOrAdd(IPAddress address, long now)
    {
        if (_entries.TryGetValue(address, out var existing))
        {
            return existing;
        }

        if (Volatile.Read(ref _count) >= _maxTrackedAddresses)
        {
            Prune(now);
        }

        var created = new Entry();
        if (_entries.TryAdd(address, created))
        {
            Interlocked.Increment(ref _count);
            return created;
        }

        return _entries.TryGetValue(address, out existing) ? existing : GetOrAdd(address, now);
    }

    private void Prune(long now)
    {
        lock (_pruneLock)
        {
            var target = _maxTrackedAddresses - Math.Max(1, _maxTrackedAddresses / 10);
            if (Volatile.Read(ref _count) <= target)
            {
                return;
            }

            // Unbanned entries first, oldest window first; then bans, soonest to end first.
            var candidates = new List<(IPAddress Address, Entry Entry, bool Banned, long Order)>(Volatile.Read(ref _count));
            foreach (var pair in _entries)
            {
                var banned = pair.Value.IsDatagramBanned(now);
                candidates.Add((pair.Key, pair.Value, banned, banned ? pair.Value.LatestBanEnd : pair.Value.WindowStart));
            }

            candidates.Sort(static (a, b) => a.Banned != b.Banned ? a.Banned.CompareTo(b.Banned) : a.Order.CompareTo(b.Order));
            foreach (var candidate in candidates)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    return;
                }

                lock (candidate.Entry.Gate)
                {
                    // An entry banned since the snapshot keeps its place among the bans.
                    if (!candidate.Entry.Removed && candidate.Entry.IsDatagramBanned(now) == candidate.Banned)
                    {
                        Remove(candidate.Address, candidate.Entry);
                    }
                }
            }
        }
    }

    // Called under the entry's lock.
    private void Remove(IPAddress address, Entry entry)
    {
        entry.Removed = true;
        if (_entries.TryRemove(new KeyValuePair<IPAddress, Entry>(address, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private sealed class Entry
    {
        public readonly Lock Gate = new();

        // The TimeProvider timestamp when the ban ends; long.MinValue when never banned. Read without the lock.
        public long BanEnd = long.MinValue;

        // The same for a ban of datagrams only (a UDP flood); read without the lock.
        public long DatagramBanEnd = long.MinValue;
        public int Failures;
        public long WindowStart;
        public bool Removed;

        public long LatestBanEnd => Math.Max(Volatile.Read(ref BanEnd), Volatile.Read(ref DatagramBanEnd));

        public bool IsBanned(long now) => now < Volatile.Read(ref BanEnd);

        public bool IsDatagramBanned(long now) => now < LatestBanEnd;
    }
}
