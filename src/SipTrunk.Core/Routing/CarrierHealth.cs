namespace SipTrunk.Core.Routing;

/// <summary>
/// The health of one carrier (CONTRACT.md §3: down after <c>FailuresBeforeDown</c> failed OPTIONS pings, skipped
/// until one succeeds). Safe to update from any thread.
/// </summary>
public sealed class CarrierHealth
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly Action<CarrierHealthChange>? _onStateChanged;
    private CarrierHealthState _state;
    private int _consecutiveFailures;
    private DateTimeOffset? _lastChange;

    /// <summary>Creates the health record of <paramref name="carrier"/>, in state <see cref="CarrierHealthState.Unknown"/>.</summary>
    /// <param name="carrier">The carrier; its <see cref="CarrierDefinition.FailuresBeforeDown"/> must be at least 1.</param>
    /// <param name="timeProvider">The clock for <see cref="LastChange"/>.</param>
    /// <param name="onStateChanged">
    /// Called on every state change, under this carrier's lock so that observers see changes in order; keep it short
    /// (log, set a gauge). An exception it throws reaches the caller of the Record method; the state is already updated.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CarrierDefinition.FailuresBeforeDown"/> is below 1.</exception>
    public CarrierHealth(CarrierDefinition carrier, TimeProvider timeProvider, Action<CarrierHealthChange>? onStateChanged = null)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(carrier.FailuresBeforeDown, 1, nameof(carrier));
        Carrier = carrier;
        _timeProvider = timeProvider;
        _onStateChanged = onStateChanged;
    }

    /// <summary>The carrier.</summary>
    public CarrierDefinition Carrier { get; }

    /// <summary>The carrier's name.</summary>
    public string CarrierName => Carrier.Name;

    /// <summary>Consecutive failures that make the carrier down.</summary>
    public int FailuresBeforeDown => Carrier.FailuresBeforeDown;

    /// <summary>Whether OPTIONS health checks run for the carrier (a <see cref="CarrierDefinition.HealthCheckInterval"/> above zero).</summary>
    public bool IsMonitored => Carrier.HealthCheckInterval > TimeSpan.Zero;

    /// <summary>The current state.</summary>
    public CarrierHealthState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Failures in a row since the last success.</summary>
    public int ConsecutiveFailures
    {
        get
        {
            lock (_lock)
            {
                return _consecutiveFailures;
            }
        }
    }

    /// <summary>When the state last changed, or null if it never has.</summary>
    public DateTimeOffset? LastChange
    {
        get
        {
            lock (_lock)
            {
                return _lastChange;
            }
        }
    }

    /// <summary>
    /// Whether calls may be sent: true while <see cref="CarrierHealthState.Unknown"/> or <see cref="CarrierHealthState.Up"/>,
    /// and always for a carrier without health checks (CONTRACT.md §3: only failed OPTIONS pings make a carrier down).
    /// </summary>
    public bool IsAvailable => !IsMonitored || State != CarrierHealthState.Down;

    /// <summary>A probe succeeded: the failure count resets and the carrier is up.</summary>
    /// <returns>The change, or null when the carrier was already up.</returns>
    public CarrierHealthChange? RecordSuccess()
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            return ChangeState(CarrierHealthState.Up);
        }
    }

    /// <summary>A probe failed: the carrier is down once <see cref="FailuresBeforeDown"/> failures follow one another.</summary>
    /// <returns>The change, or null when the state stays as it was.</returns>
    public CarrierHealthChange? RecordFailure()
    {
        lock (_lock)
        {
            // Saturate rather than wrap on a carrier that stays down for years of probes.
            if (_consecutiveFailures < int.MaxValue)
            {
                _consecutiveFailures++;
            }

            return _consecutiveFailures >= FailuresBeforeDown ? ChangeState(CarrierHealthState.Down) : null;
        }
    }

    /// <summary>The state, failure count and last change, read together.</summary>
    public CarrierHealthSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new CarrierHealthSnapshot(
                CarrierName,
                _state,
                _consecutiveFailures,
                _lastChange,
                !IsMonitored || _state != CarrierHealthState.Down,
                IsMonitored);
        }
    }

    private CarrierHealthChange? ChangeState(CarrierHealthState next)
    {
        if (_state == next)
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        var change = new CarrierHealthChange(CarrierName, _state, next, _consecutiveFailures, now);
        _state = next;
        _lastChange = now;
        _onStateChanged?.Invoke(change);
        return change;
    }
}
