using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Registrar;

/// <summary>
/// The location service (RFC 3261 §10): current bindings by address of record, in memory, written behind to an
/// <see cref="IRegistrationStore"/> so a restart keeps them. Thread-safe.
/// </summary>
/// <remarks>
/// Memory is authoritative while running: <see cref="Replace"/> never waits for the store. Pending writes coalesce by
/// AOR (only the latest state of an AOR is worth writing), so a store outage costs one entry per changed AOR, not one
/// per REGISTER, and nothing is lost: failed writes stay pending and are retried after <see cref="RetryDelay"/>.
/// Expiry is judged against the clock on every read, so purging is housekeeping, never correctness.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (AvailableWaitHandle is unused), so there is nothing to dispose.")]
public sealed partial class LocationService
{
    /// <summary>How often expired bindings are dropped from memory and the store.</summary>
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(30);

    /// <summary>How long the writer waits after a failed store write before trying again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    // Absent q ranks as 1.0, the highest preference, as caller preferences treat it (RFC 3841 §7.2.3).
    private const double DefaultQ = 1.0;

    private readonly IRegistrationStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<LocationService> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RegistrarBinding[]> _bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingWrite> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // A doorbell, not a queue: the pending map holds the work; one ring wakes the writer however many changes came.
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private long _version;

    public LocationService(IRegistrationStore store, TimeProvider time, ILogger<LocationService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Unexpired bindings in memory.</summary>
    public int Count
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_lock)
            {
                var count = 0;
                foreach (var bindings in _bindings.Values)
                {
                    foreach (var binding in bindings)
                    {
                        count += IsLive(binding, now) ? 1 : 0;
                    }
                }

                return count;
            }
        }
    }

    /// <summary>How many AORs have changes not yet in the store.</summary>
    public int PendingWrites
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Loads the store's unexpired bindings (their flows belong to a previous process: FlowId 0).</summary>
    /// <remarks>AORs that already have bindings in memory keep them: those are newer than anything stored.</remarks>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.LoadAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var loaded = 0;
        lock (_lock)
        {
            foreach (var group in stored.Where(b => IsLive(b, now)).GroupBy(b => b.Aor, StringComparer.Ordinal))
            {
                if (!_bindings.ContainsKey(group.Key))
                {
                    RegistrarBinding[] bindings = [.. group.Select(b => b with { FlowId = 0 })];
                    _bindings[group.Key] = bindings;
                    loaded += bindings.Length;
                }
            }
        }

        LogLoaded(loaded, stored.Count - loaded);
    }

    /// <summary>Writes changes behind and purges expired bindings until cancelled; flushes pending writes before returning.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Deadlines advance from schedule, not from wake-up time, so a clock that jumps ahead fires them at once.
        var nextPurge = _time.GetUtcNow() + PurgeInterval;
        DateTimeOffset? retryAt = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wakeAt = retryAt is { } retry && retry < nextPurge ? retry : nextPurge;
                await WaitAsync(wakeAt, listenForChanges: retryAt is null, cancellationToken);
                var now = _time.GetUtcNow();
                if (retryAt is null || now >= retryAt)
                {
                    var failure = await DrainAsync(cancellationToken);
                    retryAt = failure is null ? null : now + RetryDelay;
                }

                if (now >= nextPurge)
                {
                    await PurgeAsync(now, cancellationToken);
                    nextPurge += PurgeInterval;
                    if (nextPurge <= now)
                    {
                        nextPurge = now + PurgeInterval;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Shutdown: one last attempt to write what is pending. The run token is already cancelled, and a store that
        // hangs is bounded by the store's own timeouts (SQLite busy_timeout).
        if (await DrainAsync(CancellationToken.None) is not null)
        {
            LogFinalFlushFailed(PendingWrites);
        }
    }

    /// <summary>Waits until every change made so far is in the store.</summary>
    /// <exception cref="Exception">The store failed; the changes stay pending and <see cref="RunAsync"/> retries them.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        // The drain snapshots the pending map after taking the write gate, so it covers every change made before now.
        if (await DrainAsync(cancellationToken) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Unexpired bindings of one address of record.</summary>
    public IReadOnlyList<RegistrarBinding> Get(string aor)
    {
        ArgumentNullException.ThrowIfNull(aor);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return _bindings.TryGetValue(aor, out var bindings) ? Live(bindings, now) : [];
        }
    }

    /// <summary>Unexpired bindings of every AOR of <paramref name="peer"/>, highest q first, then most recently refreshed.</summary>
    public IReadOnlyList<RegistrarBinding> Lookup(string peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _time.GetUtcNow();
        List<RegistrarBinding> found = [];
        lock (_lock)
        {
            foreach (var bindings in _bindings.Values)
            {
                found.AddRange(bindings.Where(b => IsLive(b, now) && string.Equals(b.Peer, peer, StringComparison.Ordinal)));
            }
        }

        return [.. found.OrderByDescending(b => b.Q ?? DefaultQ).ThenByDescending(b => b.UpdatedAt)];
    }

    /// <summary>Every unexpired binding.</summary>
    public IReadOnlyList<RegistrarBinding> Snapshot()
    {
        var now = _time.GetUtcNow();
        List<RegistrarBinding> all = [];
        lock (_lock)
        {
            foreach (var bindings in _bindings.Values)
            {
                all.AddRange(bindings.Where(b => IsLive(b, now)));
            }
        }

        return all;
    }

    /// <summary>Replaces the bindings of <paramref name="aor"/> (empty removes it) and queues the store write.</summary>
    public void Replace(string aor, IReadOnlyList<RegistrarBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(bindings);
        lock (_lock)
        {
            SetLocked(aor, [.. bindings]);
        }

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>
    /// Reads the unexpired bindings of <paramref name="aor"/> and, under the same lock, replaces them with what
    /// <paramref name="change"/> returns (<see langword="null"/> bindings: leave them as they are). Concurrent
    /// REGISTERs for one AOR thus cannot lose each other's bindings (RFC 3261 §10.3 processes each atomically).
    /// </summary>
    public TResult Update<TResult>(string aor, Func<IReadOnlyList<RegistrarBinding>, (IReadOnlyList<RegistrarBinding>? Bindings, TResult Result)> change)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(change);
        var now = _time.GetUtcNow();
        (IReadOnlyList<RegistrarBinding>? Bindings, TResult Result) outcome;
        lock (_lock)
        {
            var current = _bindings.TryGetValue(aor, out var bindings) ? Live(bindings, now) : [];
            outcome = change(current);
            if (outcome.Bindings is null)
            {
                return outcome.Result;
            }

            SetLocked(aor, [.. outcome.Bindings]);
        }

        _doorbell.Writer.TryWrite(true);
        return outcome.Result;
    }

    private static bool IsLive(RegistrarBinding binding, DateTimeOffset now) => binding.ExpiresAt > now;

    private static RegistrarBinding[] Live(RegistrarBinding[] bindings, DateTimeOffset now) =>
        Array.TrueForAll(bindings, b => IsLive(b, now)) ? bindings : [.. bindings.Where(b => IsLive(b, now))];

    private void SetLocked(string aor, RegistrarBinding[] bindings)
    {
        if (bindings.Length == 0)
        {
            _bindings.Remove(aor);
        }
        else
        {
            _bindings[aor] = bindings;
        }

        _pending[aor] = new PendingWrite(bindings, ++_version);
    }

    private async Task WaitAsync(DateTimeOffset wakeAt, bool listenForChanges, CancellationToken cancellationToken)
    {
        var delay = wakeAt - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero || (listenForChanges && _doorbell.Reader.TryRead(out _)))
        {
            return;
        }

        if (!listenForChanges)
        {
            await Task.Delay(delay, _time, cancellationToken);
            return;
        }

        using var timer = new CancellationTokenSource(delay, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _doorbell.Reader.WaitToReadAsync(linked.Token);
            _doorbell.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline passed: time to purge or retry.
        }
    }

    /// <summary>Writes every pending AOR; returns the first failure (the rest stay pending) or <see langword="null"/>.</summary>
    private async Task<Exception?> DrainAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            KeyValuePair<string, PendingWrite>[] batch;
            lock (_lock)
            {
                batch = [.. _pending];
            }

            foreach (var (aor, write) in batch)
            {
                try
                {
                    await _store.ReplaceAsync(aor, write.Bindings, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogStoreWriteFailed(exception, aor, batch.Length);
                    return exception;
                }

                lock (_lock)
                {
                    // A newer change to this AOR arrived meanwhile: it stays pending.
                    if (_pending.TryGetValue(aor, out var current) && current.Version == write.Version)
                    {
                        _pending.Remove(aor);
                    }
                }
            }

            return null;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var purged = 0;
        lock (_lock)
        {
            foreach (var (aor, bindings) in _bindings.ToArray())
            {
                var live = Live(bindings, now);
                if (live.Length == bindings.Length)
                {
                    continue;
                }

                purged += bindings.Length - live.Length;
                if (live.Length == 0)
                {
                    _bindings.Remove(aor);
                }
                else
                {
                    _bindings[aor] = live;
                }
            }
        }

        try
        {
            var deleted = await _store.DeleteExpiredAsync(now, cancellationToken);
            LogPurged(purged, deleted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStorePurgeFailed(exception);
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Writing the registrations of {Aor} to the store failed; {Pending} AORs stay pending and are retried")]
    private partial void LogStoreWriteFailed(Exception exception, string aor, int pending);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Purging expired registrations from the store failed")]
    private partial void LogStorePurgeFailed(Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Debug, Message = "Purged {Memory} expired bindings from memory and {Store} from the store")]
    private partial void LogPurged(int memory, int store);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Loaded {Count} registrations from the store ({Skipped} expired or superseded)")]
    private partial void LogLoaded(int count, int skipped);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Registrations of {Pending} AORs could not be written to the store before shutdown")]
    private partial void LogFinalFlushFailed(int pending);

    private readonly record struct PendingWrite(RegistrarBinding[] Bindings, long Version);
}
