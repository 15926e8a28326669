using System.Collections.Concurrent;

namespace SipTrunk.Core.Transport;

/// <summary>
/// The background tasks a transport owns (accept, receive and send loops, connection attempts), so that stopping can
/// await every one of them: no task is ever dropped.
/// </summary>
internal sealed class OwnedTasks
{
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();

    public void Add(Task task)
    {
        _tasks.TryAdd(task, 0);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() =>
        {
            // Failures were already reported to whoever awaited the task; reading Exception marks them observed.
            _ = task.Exception;
            _tasks.TryRemove(task, out _);
        });
    }

    /// <summary>Waits until every owned task, including those added meanwhile, has finished.</summary>
    public async Task WhenAllAsync(CancellationToken cancellationToken)
    {
        while (!_tasks.IsEmpty)
        {
            await Task.WhenAll(_tasks.Keys).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
