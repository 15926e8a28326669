using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Routing;

/// <summary>
/// Probes every carrier whose <see cref="CarrierDefinition.HealthCheckInterval"/> is above zero, once at start and
/// then once per interval, and records the results in a <see cref="CarrierHealthRegistry"/> (CONTRACT.md §3).
/// </summary>
/// <remarks>
/// Each carrier has its own loop, so a slow carrier never delays another's probes. The interval timer is started
/// together with the probe, which keeps a fixed rate and doubles as the probe's deadline: a probe still running when
/// the interval ends is cancelled and counted as a failure. All waiting goes through the injected
/// <see cref="TimeProvider"/>.
/// </remarks>
public sealed partial class CarrierHealthMonitor
{
    private readonly CarrierHealthRegistry _registry;
    private readonly ICarrierProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CarrierHealthMonitor> _logger;

    /// <summary>Creates the monitor for the carriers of <paramref name="registry"/>.</summary>
    public CarrierHealthMonitor(CarrierHealthRegistry registry, ICarrierProbe probe, TimeProvider timeProvider, ILogger<CarrierHealthMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _registry = registry;
        _probe = probe;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Runs the probe loops until <paramref name="cancellationToken"/> is cancelled, then completes normally. Completes
    /// at once when no carrier has health checks. Probe failures and exceptions never end a loop.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new List<Task>();
        foreach (var carrier in _registry.Carriers)
        {
            if (carrier.HealthCheckInterval > TimeSpan.Zero && _registry.TryGet(carrier.Name, out var health))
            {
                loops.Add(RunCarrierAsync(health, cancellationToken));
            }
        }

        return Task.WhenAll(loops);
    }

    private async Task RunCarrierAsync(CarrierHealth health, CancellationToken cancellationToken)
    {
        var carrier = health.Carrier;
        var interval = carrier.HealthCheckInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            // The timer starts before the probe does, so it is already waiting when the probe is first called.
            var intervalElapsed = Task.Delay(interval, _timeProvider, cancellationToken);
            var alive = await ProbeOnceAsync(carrier, intervalElapsed, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            Record(health, alive);
            try
            {
                await intervalElapsed.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> ProbeOnceAsync(CarrierDefinition carrier, Task deadline, CancellationToken cancellationToken)
    {
        using var probeCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timedOut = false;
        try
        {
            var probe = _probe.ProbeAsync(carrier, probeCancellation.Token);
            if (await Task.WhenAny(probe, deadline).ConfigureAwait(false) != probe)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                await probeCancellation.CancelAsync().ConfigureAwait(false);
            }

            // Awaited even after cancelling it: every task has an owner, and the probe must honour its token.
            var alive = await probe.ConfigureAwait(false);
            if (timedOut)
            {
                LogProbeTimedOut(carrier.Name, carrier.HealthCheckInterval.TotalSeconds);
                return false;
            }

            return alive;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || timedOut)
        {
            if (timedOut)
            {
                LogProbeTimedOut(carrier.Name, carrier.HealthCheckInterval.TotalSeconds);
            }

            return false;
        }
        catch (Exception exception)
        {
            LogProbeThrew(exception, carrier.Name);
            return false;
        }
    }

    private void Record(CarrierHealth health, bool alive)
    {
        try
        {
            var change = alive ? health.RecordSuccess() : health.RecordFailure();
            if (!alive)
            {
                LogProbeFailed(health.CarrierName, health.ConsecutiveFailures);
            }

            if (change is null)
            {
                return;
            }

            if (change.Current == CarrierHealthState.Down)
            {
                LogCarrierDown(change.CarrierName, change.ConsecutiveFailures);
            }
            else
            {
                LogCarrierUp(change.CarrierName, change.Previous);
            }
        }
        catch (Exception exception)
        {
            // The registry's state-change callback threw; the state itself is recorded, and the loop must go on.
            LogStateChangeHandlerFailed(exception, health.CarrierName);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Carrier {Carrier} is down after {Failures} failed health probes")]
    private partial void LogCarrierDown(string carrier, int failures);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Carrier {Carrier} is up (was {PreviousState})")]
    private partial void LogCarrierUp(string carrier, CarrierHealthState previousState);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Health probe of carrier {Carrier} failed ({Failures} in a row)")]
    private partial void LogProbeFailed(string carrier, int failures);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Health probe of carrier {Carrier} got no answer within {IntervalSeconds} s")]
    private partial void LogProbeTimedOut(string carrier, double intervalSeconds);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Health probe of carrier {Carrier} threw")]
    private partial void LogProbeThrew(Exception exception, string carrier);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Carrier health state-change handler failed for carrier {Carrier}")]
    private partial void LogStateChangeHandlerFailed(Exception exception, string carrier);
}
