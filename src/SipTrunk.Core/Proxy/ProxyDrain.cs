using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// The graceful stop of the proxy core (CONTRACT.md §2 <c>run</c>): new calls are refused at once (503 with
/// Retry-After, recorded as rejected with <see cref="DrainingReason"/>) while in-dialog requests, CANCEL and REGISTER
/// go on; calls in progress may finish on their own for up to the drain time; then SipTrunk ends the rest itself
/// (<see cref="ShutdownReason"/>: BYE to both parties of an answered call, CANCEL and 487 for a ringing one) and gives
/// its BYEs a bounded moment to be answered before the transports close.
/// </summary>
public sealed partial class ProxyDrain
{
    /// <summary>The <c>endReason</c> of a new call refused while draining.</summary>
    public const string DrainingReason = "draining";

    /// <summary>The <c>endReason</c> of a call SipTrunk ended at the end of the drain time.</summary>
    public const string ShutdownReason = "shutdown";

    private readonly SipProxy _proxy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _state;

    public ProxyDrain(SipProxy proxy, TimeProvider time, ILogger<ProxyDrain> logger)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        _proxy = proxy;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the drain is.</summary>
    public ProxyDrainState State => (ProxyDrainState)Volatile.Read(ref _state);

    /// <summary>
    /// Drains: returns once no call is left. <paramref name="drainTime"/> bounds the wait for calls to finish on their
    /// own, <paramref name="teardownLinger"/> the wait for answers to SipTrunk's own BYEs; a cancelled
    /// <paramref name="cancellationToken"/> cuts both short (the calls are still ended). Returns how many calls SipTrunk
    /// ended itself.
    /// </summary>
    public async Task<int> RunAsync(TimeSpan drainTime, TimeSpan teardownLinger, CancellationToken cancellationToken)
    {
        _proxy.BeginDrain();
        SetState(ProxyDrainState.Draining);
        var atStart = _proxy.LiveCallCount;
        LogDraining(_logger, atStart, (int)drainTime.TotalSeconds);
        var finished = await WaitAsync(_proxy.LiveCalls.WhenZeroAsync(), drainTime, cancellationToken).ConfigureAwait(false);

        SetState(ProxyDrainState.EndingCalls);
        if (!finished)
        {
            LogDrainTimeOver(_logger, _proxy.LiveCallCount);
        }

        // Even when every call finished: an INVITE that passed the gate just before it closed may have started one since.
        var ended = _proxy.EndLiveCalls(ShutdownReason);
        if (ended > 0 && !await WaitAsync(_proxy.Teardowns.WhenZeroAsync(), teardownLinger, cancellationToken).ConfigureAwait(false))
        {
            LogTeardownUnanswered(_logger, _proxy.Teardowns.Count);
        }

        SetState(ProxyDrainState.Drained);
        var finishedOnTheirOwn = Math.Max(0, atStart - ended);
        LogDrained(_logger, finishedOnTheirOwn, ended);
        return ended;
    }

    private async Task<bool> WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void SetState(ProxyDrainState state) => Volatile.Write(ref _state, (int)state);

    [LoggerMessage(EventId = 3240, Level = LogLevel.Information, Message = "Draining: new calls are refused with 503; {Calls} call(s) in progress may finish within {DrainSeconds} s")]
    private static partial void LogDraining(ILogger logger, int calls, int drainSeconds);

    [LoggerMessage(EventId = 3241, Level = LogLevel.Warning, Message = "Drain time over: SipTrunk ends the {Calls} call(s) still in progress")]
    private static partial void LogDrainTimeOver(ILogger logger, int calls);

    [LoggerMessage(EventId = 3242, Level = LogLevel.Warning, Message = "{Pending} BYE(s) sent on shutdown were not answered in time")]
    private static partial void LogTeardownUnanswered(ILogger logger, int pending);

    [LoggerMessage(EventId = 3243, Level = LogLevel.Information, Message = "Drained: {Finished} call(s) finished on their own, {Ended} ended by SipTrunk")]
    private static partial void LogDrained(ILogger logger, int finished, int ended);
}
