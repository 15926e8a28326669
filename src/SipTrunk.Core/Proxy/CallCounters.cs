using System.Collections.Concurrent;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Counts calls as the proxy reports them: active calls and ended calls by direction and status (the series behind
/// <c>siptrunk_calls_active</c> and <c>siptrunk_calls_total</c>), and which calls are active now (for the admin API).
/// Thread-safe.
/// </summary>
/// <remarks>
/// Live calls are keyed by Call-ID and direction: a call that loops back through SipTrunk (out to a carrier that
/// sends it back in) is two calls with one Call-ID. Tracking costs one dictionary entry per call in progress, written
/// at start, answer and end only, never per message.
/// </remarks>
public sealed class CallCounters : ICallObserver
{
    private readonly ConcurrentDictionary<(string Direction, string Status), long> _ended = new();
    private readonly ConcurrentDictionary<(string CallId, string Direction), ActiveCall> _live = new();
    private readonly TimeProvider _time;
    private long _active;

    /// <summary>Creates the counters; <paramref name="time"/> stamps when calls start and are answered.</summary>
    public CallCounters(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Calls started and not yet ended.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Ended calls of one direction and status.</summary>
    public long Ended(string direction, string status) => _ended.TryGetValue((direction, status), out var count) ? count : 0;

    /// <summary>Every (direction, status) series of ended calls with its count, for exporters.</summary>
    public IReadOnlyList<KeyValuePair<(string Direction, string Status), long>> EndedSnapshot() =>
        [.. _ended.OrderBy(p => p.Key.Direction, StringComparer.Ordinal).ThenBy(p => p.Key.Status, StringComparer.Ordinal)];

    /// <summary>The calls in progress now, oldest first.</summary>
    public IReadOnlyList<ActiveCall> ActiveCalls() =>
        [.. _live.Values.OrderBy(c => c.StartedAt).ThenBy(c => c.CallId, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public void OnCallStarted(string callId, string direction, string? peer)
    {
        Interlocked.Increment(ref _active);
        _live[(callId, direction)] = new ActiveCall(callId, direction, peer, null, _time.GetUtcNow(), null);
    }

    /// <inheritdoc/>
    public void OnCallAnswered(string callId, string direction, string carrier)
    {
        var key = (callId, direction);
        if (_live.TryGetValue(key, out var call))
        {
            // Only the proxy's call object reports on its key, so a failed swap means the call just ended: nothing to do.
            _live.TryUpdate(key, call with { Carrier = carrier, AnsweredAt = _time.GetUtcNow() }, call);
        }
    }

    /// <inheritdoc/>
    public void OnCallEnded(CallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Interlocked.Decrement(ref _active);
        _live.TryRemove((summary.CallId, summary.Direction), out _);
        _ended.AddOrUpdate((summary.Direction, summary.Status), 1, static (_, count) => count + 1);
    }

    /// <summary>A refused call counts as ended only: it was never active, and a live call with its Call-ID stays listed.</summary>
    public void OnCallRejected(CallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        _ended.AddOrUpdate((summary.Direction, summary.Status), 1, static (_, count) => count + 1);
    }
}
