using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Owns the proxy's fire-and-continue work (connecting to a carrier, then sending): every task is tracked until it
/// finishes, its failure is logged, and shutdown awaits the rest (ARCHITECTURE.md "every task has an owner").
/// </summary>
public sealed partial class BackgroundTasks
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ILogger _logger;

    /// <summary>Creates the tracker.</summary>
    public BackgroundTasks(ILogger logger) => _logger = logger;

    /// <summary>How many tracked tasks are still running.</summary>
    public int Count => _running.Count;

    /// <summary>Tracks <paramref name="task"/> until it completes.</summary>
    public void Track(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            Observe(task);
            return;
        }

        _running.TryAdd(task, 0);
        _ = task.ContinueWith(
            static (t, state) =>
            {
                var self = (BackgroundTasks)state!;
                self._running.TryRemove(t, out _);
                self.Observe(t);
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits for every tracked task (they observe the proxy's stopping token).</summary>
    public Task WhenAllAsync() => Task.WhenAll(_running.Keys);

    private void Observe(Task task)
    {
        if (task.IsFaulted && task.Exception is { } exception)
        {
            LogTaskFailed(_logger, exception.GetBaseException());
        }
    }

    [LoggerMessage(EventId = 3290, Level = LogLevel.Error, Message = "Background proxy task failed")]
    private static partial void LogTaskFailed(ILogger logger, Exception exception);
}
