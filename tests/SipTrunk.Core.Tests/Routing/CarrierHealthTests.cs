using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

public class CarrierHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly List<CarrierHealthChange> _changes = [];

    [Fact]
    public void Constructor_NewCarrier_IsUnknownAndAvailable()
    {
        var health = Create(failuresBeforeDown: 3);

        Assert.Equal(CarrierHealthState.Unknown, health.State);
        Assert.True(health.IsAvailable);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Null(health.LastChange);
    }

    [Fact]
    public void RecordFailure_BelowThreshold_StaysAvailableWithoutChange()
    {
        var health = Create(failuresBeforeDown: 3);

        Assert.Null(health.RecordFailure());
        Assert.Null(health.RecordFailure());

        Assert.Equal(CarrierHealthState.Unknown, health.State);
        Assert.True(health.IsAvailable);
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.Empty(_changes);
    }

    [Fact]
    public void RecordFailure_ReachingThreshold_GoesDownOnceAndReportsIt()
    {
        var health = Create(failuresBeforeDown: 3);
        health.RecordFailure();
        health.RecordFailure();
        _time.Advance(TimeSpan.FromSeconds(90));

        var change = health.RecordFailure();
        var again = health.RecordFailure();

        var expected = new CarrierHealthChange("carrier-1", CarrierHealthState.Unknown, CarrierHealthState.Down, 3, _time.GetUtcNow());
        Assert.Equal(expected, change);
        Assert.Null(again);
        Assert.Equal([expected], _changes);
        Assert.Equal(CarrierHealthState.Down, health.State);
        Assert.False(health.IsAvailable);
        Assert.Equal(4, health.ConsecutiveFailures);
        Assert.Equal(_time.GetUtcNow(), health.LastChange);
    }

    [Fact]
    public void RecordSuccess_WhenDown_IsUpAgainAfterOneSuccess()
    {
        var health = Create(failuresBeforeDown: 1);
        health.RecordFailure();
        _time.Advance(TimeSpan.FromSeconds(30));

        var change = health.RecordSuccess();

        Assert.Equal(new CarrierHealthChange("carrier-1", CarrierHealthState.Down, CarrierHealthState.Up, 0, _time.GetUtcNow()), change);
        Assert.Equal(CarrierHealthState.Up, health.State);
        Assert.True(health.IsAvailable);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(2, _changes.Count);
    }

    [Fact]
    public void RecordSuccess_WhenAlreadyUp_ReportsNoChange()
    {
        var health = Create(failuresBeforeDown: 3);
        health.RecordSuccess();

        Assert.Null(health.RecordSuccess());
        Assert.Single(_changes);
    }

    [Fact]
    public void RecordFailure_InterruptedBySuccess_CountStartsAgain()
    {
        var health = Create(failuresBeforeDown: 3);
        health.RecordFailure();
        health.RecordFailure();
        health.RecordSuccess();
        health.RecordFailure();
        health.RecordFailure();

        Assert.Equal(CarrierHealthState.Up, health.State);
        Assert.Equal(2, health.ConsecutiveFailures);
    }

    [Fact]
    public void IsAvailable_CarrierWithoutHealthChecks_StaysAvailableWhenDown()
    {
        var health = new CarrierHealth(TestCarriers.Create("carrier-1", healthCheckInterval: TimeSpan.Zero, failuresBeforeDown: 1), _time);
        health.RecordFailure();

        Assert.Equal(CarrierHealthState.Down, health.State);
        Assert.False(health.IsMonitored);
        Assert.True(health.IsAvailable);
        Assert.True(health.Snapshot().IsAvailable);
    }

    [Fact]
    public void Snapshot_ReadsStateFailuresAndLastChangeTogether()
    {
        var health = Create(failuresBeforeDown: 2);
        health.RecordFailure();
        health.RecordFailure();
        var downAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(5));
        health.RecordFailure();

        Assert.Equal(new CarrierHealthSnapshot("carrier-1", CarrierHealthState.Down, 3, downAt, false, true), health.Snapshot());
    }

    [Fact]
    public void Constructor_FailuresBeforeDownBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CarrierHealth(TestCarriers.Create("c", failuresBeforeDown: 0), _time));
    }

    [Fact]
    public void RecordFailure_CallbackThrows_StateIsStillRecorded()
    {
        var health = new CarrierHealth(TestCarriers.Create("c", failuresBeforeDown: 1), _time, _ => throw new InvalidOperationException("observer"));

        Assert.Throws<InvalidOperationException>(() => health.RecordFailure());
        Assert.Equal(CarrierHealthState.Down, health.State);
    }

    [Fact]
    public async Task RecordFailure_FromManyThreads_CountsEveryFailureAndChangesOnce()
    {
        var health = Create(failuresBeforeDown: 1000);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                health.RecordFailure();
            }
        })));

        Assert.Equal(80_000, health.ConsecutiveFailures);
        Assert.Single(_changes);
    }

    private CarrierHealth Create(int failuresBeforeDown) =>
        new(TestCarriers.Create("carrier-1", failuresBeforeDown: failuresBeforeDown), _time, change =>
        {
            lock (_changes)
            {
                _changes.Add(change);
            }
        });
}
