namespace SipTrunk.Core.Transactions;

/// <summary>
/// One re-armable one-shot timer of a transaction (a retransmission timer A/E/G or a lifetime timer B/D/F/H/I/J/K/L/M),
/// created through the injected <see cref="TimeProvider"/>. Every arming gets a fresh ticket, so a callback that was
/// already on its way when the timer was stopped or re-armed is recognised as stale by <see cref="TryConsume"/>.
/// Not thread-safe on its own: every member except the callback is called under the owning transaction's lock.
/// </summary>
internal sealed class TransactionTimer
{
    private readonly TimeProvider _time;
    private readonly Action<object> _onFire;
    private ITimer? _timer;
    private Ticket? _ticket;

    /// <summary>Creates a stopped timer; <paramref name="onFire"/> receives the ticket of the arming that fired.</summary>
    public TransactionTimer(TimeProvider time, Action<object> onFire)
    {
        _time = time;
        _onFire = onFire;
    }

    /// <summary>True while armed.</summary>
    public bool IsRunning => _ticket is not null;

    /// <summary>(Re-)arms the timer to fire once after <paramref name="due"/>.</summary>
    public void Start(TimeSpan due)
    {
        Stop();
        var ticket = new Ticket(this);
        _ticket = ticket;
        _timer = _time.CreateTimer(static state => ((Ticket)state!).Fire(), ticket, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True (and the timer stopped) when <paramref name="ticket"/> belongs to the current arming.</summary>
    public bool TryConsume(object ticket)
    {
        if (!ReferenceEquals(ticket, _ticket))
        {
            return false;
        }

        Stop();
        return true;
    }

    /// <summary>Stops the timer; a callback already under way becomes stale.</summary>
    public void Stop()
    {
        _ticket = null;
        _timer?.Dispose();
        _timer = null;
    }

    private sealed class Ticket(TransactionTimer owner)
    {
        public void Fire() => owner._onFire(this);
    }
}
