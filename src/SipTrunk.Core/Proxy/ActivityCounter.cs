namespace SipTrunk.Core.Proxy;

/// <summary>
/// How many things of one kind are in flight (calls in progress, BYEs of a teardown) and a wait for the moment none
/// is: what a draining proxy waits on. Thread-safe; costs a lock per change, and changes come per call, not per message.
/// </summary>
internal sealed class ActivityCounter
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _zero;

    /// <summary>How many are in flight now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Add()
    {
        lock (_gate)
        {
            _count++;
        }
    }

    public void Remove()
    {
        TaskCompletionSource? zero = null;
        lock (_gate)
        {
            _count = Math.Max(0, _count - 1);
            if (_count == 0)
            {
                zero = _zero;
                _zero = null;
            }
        }

        zero?.TrySetResult();
    }

    /// <summary>Completes once none is in flight (at once when none is now).</summary>
    public Task WhenZeroAsync()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            // Continuations run elsewhere: whoever removes the last one is inside a call's lock.
            _zero ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _zero.Task;
        }
    }
}
