using System.Collections.Concurrent;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Counts calls as the proxy reports them: active calls and ended calls by direction and status (the series behind
/// <c>siptrunk_calls_active</c> and <c>siptrunk_calls_total</c>). Thread-safe.
/// </summary>
public sealed class CallCounters : ICallObserver
{
    private readonly ConcurrentDictionary<(string Direction, string Status), long> _ended = new();
    private long _active;

    /// <summary>Calls started and not yet ended.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Ended calls of one direction and status.</summary>
    public long Ended(string direction, string status) => _ended.TryGetValue((direction, status), out var count) ? count : 0;

    /// <inheritdoc/>
    public void OnCallStarted(string callId, string direction, string? peer) => Interlocked.Increment(ref _active);

    /// <inheritdoc/>
    public void OnCallEnded(CallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Interlocked.Decrement(ref _active);
        _ended.AddOrUpdate((summary.Direction, summary.Status), 1, static (_, count) => count + 1);
    }
}
