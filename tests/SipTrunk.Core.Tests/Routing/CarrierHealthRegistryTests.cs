using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

public class CarrierHealthRegistryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void IsAvailable_MonitoredCarrierDown_IsFalseUntilASuccess()
    {
        var carrier = TestCarriers.Create("carrier-1", failuresBeforeDown: 1);
        var registry = new CarrierHealthRegistry([carrier], _time);
        Assert.True(registry.IsAvailable(carrier));

        Assert.True(registry.TryGet("carrier-1", out var health));
        health.RecordFailure();
        Assert.False(registry.IsAvailable(carrier));

        health.RecordSuccess();
        Assert.True(registry.IsAvailable(carrier));
    }

    [Fact]
    public void IsAvailable_CarrierWithZeroInterval_IsAlwaysTrue()
    {
        var carrier = TestCarriers.Create("carrier-1", healthCheckInterval: TimeSpan.Zero, failuresBeforeDown: 1);
        var registry = new CarrierHealthRegistry([carrier], _time);
        Assert.True(registry.TryGet("carrier-1", out var health));

        health.RecordFailure();

        Assert.True(registry.IsAvailable(carrier));
    }

    [Fact]
    public void IsAvailable_CarrierTheRegistryDoesNotKnow_IsTrue()
    {
        var registry = new CarrierHealthRegistry([TestCarriers.Create("carrier-1")], _time);

        Assert.True(registry.IsAvailable(TestCarriers.Create("carrier-2")));
    }

    [Fact]
    public void TryGet_NameInAnyCase_FindsTheCarrier()
    {
        var registry = new CarrierHealthRegistry([TestCarriers.Create("carrier-1")], _time);

        Assert.True(registry.TryGet("CARRIER-1", out var health));
        Assert.Equal("carrier-1", health.CarrierName);
        Assert.False(registry.TryGet("carrier-2", out _));
    }

    [Fact]
    public void Snapshot_ReportsEveryCarrierInConfigurationOrder()
    {
        var registry = new CarrierHealthRegistry(
            [
                TestCarriers.Create("b", failuresBeforeDown: 1),
                TestCarriers.Create("a"),
                TestCarriers.Create("static", healthCheckInterval: TimeSpan.Zero),
            ],
            _time);
        Assert.True(registry.TryGet("b", out var b));
        b.RecordFailure();
        Assert.True(registry.TryGet("a", out var a));
        a.RecordSuccess();

        var now = _time.GetUtcNow();
        Assert.Equal(
            [
                new CarrierHealthSnapshot("b", CarrierHealthState.Down, 1, now, false, true),
                new CarrierHealthSnapshot("a", CarrierHealthState.Up, 0, now, true, true),
                new CarrierHealthSnapshot("static", CarrierHealthState.Unknown, 0, null, true, false),
            ],
            registry.Snapshot());
    }

    [Fact]
    public void Constructor_Callback_ReceivesChangesOfEveryCarrier()
    {
        var changes = new List<CarrierHealthChange>();
        var registry = new CarrierHealthRegistry(
            [TestCarriers.Create("a", failuresBeforeDown: 1), TestCarriers.Create("b")],
            _time,
            changes.Add);
        Assert.True(registry.TryGet("a", out var a));
        Assert.True(registry.TryGet("b", out var b));

        a.RecordFailure();
        b.RecordSuccess();

        Assert.Equal(
            [("a", CarrierHealthState.Down), ("b", CarrierHealthState.Up)],
            changes.Select(c => (c.CarrierName, c.Current)));
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CarrierHealthRegistry([TestCarriers.Create("a"), TestCarriers.Create("A")], _time));
    }
}
