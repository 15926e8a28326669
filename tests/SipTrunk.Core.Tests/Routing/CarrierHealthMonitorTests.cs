using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

// Time is virtual: the monitor starts its interval timer before it calls the probe, so once a probe call is seen the
// next timer is registered and advancing the FakeTimeProvider by one interval triggers exactly the next probe.
// The real-time token only turns a hang into a failure; no assertion depends on how fast anything runs.
public sealed class CarrierHealthMonitorTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly Channel<CarrierHealthChange> _changes = Channel.CreateUnbounded<CarrierHealthChange>();
    private readonly CancellationTokenSource _hangGuard = new(TimeSpan.FromSeconds(30));
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Dispose();
        _hangGuard.Dispose();
    }

    [Fact]
    public async Task RunAsync_MonitoredCarrier_ProbesAtStartAndOncePerInterval()
    {
        var carrier = TestCarriers.Create("carrier-1");
        var probe = new FakeProbe((_, _) => Task.FromResult(true));
        var run = Start([carrier], probe, out _);

        Assert.Equal("carrier-1", await probe.NextCallAsync(_hangGuard.Token));
        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(1, probe.CallCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        await probe.NextCallAsync(_hangGuard.Token);
        _time.Advance(Interval);
        await probe.NextCallAsync(_hangGuard.Token);

        await StopAsync(run);
        Assert.Equal(3, probe.CallCount);
    }

    [Fact]
    public async Task RunAsync_FailedProbes_DownAfterThresholdThenUpAfterOneSuccess()
    {
        var carrier = TestCarriers.Create("carrier-1", failuresBeforeDown: 3);
        var results = new Queue<bool>([false, false, false, true]);
        var probe = new FakeProbe((_, _) => Task.FromResult(results.Dequeue()));
        var run = Start([carrier], probe, out var registry);

        await probe.NextCallAsync(_hangGuard.Token);
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(Interval);
            await probe.NextCallAsync(_hangGuard.Token);
        }

        var down = await _changes.Reader.ReadAsync(_hangGuard.Token);
        Assert.Equal((CarrierHealthState.Unknown, CarrierHealthState.Down, 3), (down.Previous, down.Current, down.ConsecutiveFailures));
        Assert.False(registry.IsAvailable(carrier));

        _time.Advance(Interval);
        var up = await _changes.Reader.ReadAsync(_hangGuard.Token);
        Assert.Equal((CarrierHealthState.Down, CarrierHealthState.Up), (up.Previous, up.Current));
        Assert.True(registry.IsAvailable(carrier));

        await StopAsync(run);
    }

    [Fact]
    public async Task RunAsync_ProbeThrows_CountsAsFailureAndKeepsProbing()
    {
        var carrier = TestCarriers.Create("carrier-1", failuresBeforeDown: 2);
        var calls = 0;
        var probe = new FakeProbe((_, _) => ++calls switch
        {
            1 => throw new InvalidOperationException("thrown before any await"),
            2 => Task.FromException<bool>(new IOException("connection reset")),
            _ => Task.FromResult(true),
        });
        var run = Start([carrier], probe, out _);

        await probe.NextCallAsync(_hangGuard.Token);
        _time.Advance(Interval);
        await probe.NextCallAsync(_hangGuard.Token);
        Assert.Equal(CarrierHealthState.Down, (await _changes.Reader.ReadAsync(_hangGuard.Token)).Current);

        _time.Advance(Interval);
        await probe.NextCallAsync(_hangGuard.Token);
        Assert.Equal(CarrierHealthState.Up, (await _changes.Reader.ReadAsync(_hangGuard.Token)).Current);

        await StopAsync(run);
        Assert.True(run.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RunAsync_ProbeUnansweredForAnInterval_IsCancelledAndCountsAsFailure()
    {
        var carrier = TestCarriers.Create("carrier-1", failuresBeforeDown: 1);
        var probeTokens = new List<CancellationToken>();
        var probe = new FakeProbe(async (_, ct) =>
        {
            probeTokens.Add(ct);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return true;
        });
        var run = Start([carrier], probe, out var registry);

        await probe.NextCallAsync(_hangGuard.Token);
        Assert.True(registry.IsAvailable(carrier));
        _time.Advance(Interval);

        var change = await _changes.Reader.ReadAsync(_hangGuard.Token);
        Assert.Equal(CarrierHealthState.Down, change.Current);
        Assert.True(probeTokens[0].IsCancellationRequested);

        // The missed interval is over, so the next probe starts straight away.
        await probe.NextCallAsync(_hangGuard.Token);
        await StopAsync(run);
    }

    [Fact]
    public async Task RunAsync_CarrierWithZeroInterval_IsNeverProbed()
    {
        var monitored = TestCarriers.Create("monitored");
        var unmonitored = TestCarriers.Create("unmonitored", healthCheckInterval: TimeSpan.Zero);
        var probe = new FakeProbe((_, _) => Task.FromResult(false));
        var run = Start([unmonitored, monitored], probe, out _);

        Assert.Equal("monitored", await probe.NextCallAsync(_hangGuard.Token));
        _time.Advance(Interval);
        Assert.Equal("monitored", await probe.NextCallAsync(_hangGuard.Token));

        await StopAsync(run);
    }

    [Fact]
    public void RunAsync_NoMonitoredCarriers_CompletesAtOnce()
    {
        var probe = new FakeProbe((_, _) => Task.FromResult(true));

        var run = Start([TestCarriers.Create("static", healthCheckInterval: TimeSpan.Zero)], probe, out _);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Equal(0, probe.CallCount);
    }

    [Fact]
    public async Task RunAsync_TwoCarriers_AHangingProbeDoesNotDelayTheOther()
    {
        var hanging = TestCarriers.Create("hanging");
        var healthy = TestCarriers.Create("healthy", healthCheckInterval: TimeSpan.FromSeconds(10));
        var probe = new FakeProbe(async (carrier, ct) =>
        {
            if (carrier.Name == "hanging")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return true;
        });
        var run = Start([hanging, healthy], probe, out _);

        var first = new[] { await probe.NextCallAsync(_hangGuard.Token), await probe.NextCallAsync(_hangGuard.Token) };
        Assert.Equal(["hanging", "healthy"], first.Order());
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("healthy", await probe.NextCallAsync(_hangGuard.Token));

        await StopAsync(run);
    }

    [Fact]
    public async Task RunAsync_StateChangeCallbackThrows_KeepsProbing()
    {
        var carrier = TestCarriers.Create("carrier-1", failuresBeforeDown: 1);
        var registry = new CarrierHealthRegistry([carrier], _time, _ => throw new InvalidOperationException("observer failed"));
        var probe = new FakeProbe((_, _) => Task.FromResult(false));
        var run = new CarrierHealthMonitor(registry, probe, _time, NullLogger<CarrierHealthMonitor>.Instance).RunAsync(_stop.Token);

        await probe.NextCallAsync(_hangGuard.Token);
        _time.Advance(Interval);
        await probe.NextCallAsync(_hangGuard.Token);

        Assert.False(registry.IsAvailable(carrier));
        await StopAsync(run);
    }

    [Fact]
    public async Task RunAsync_Cancelled_CancelsTheRunningProbeAndCompletes()
    {
        var probeTokens = new List<CancellationToken>();
        var probe = new FakeProbe(async (_, ct) =>
        {
            probeTokens.Add(ct);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return true;
        });
        var run = Start([TestCarriers.Create("carrier-1", failuresBeforeDown: 1)], probe, out var registry);
        await probe.NextCallAsync(_hangGuard.Token);

        await StopAsync(run);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.True(probeTokens[0].IsCancellationRequested);

        // Shutting down is not a failed probe.
        Assert.Equal(CarrierHealthState.Unknown, registry.Snapshot()[0].State);
    }

    private Task Start(CarrierDefinition[] carriers, FakeProbe probe, out CarrierHealthRegistry registry)
    {
        registry = new CarrierHealthRegistry(carriers, _time, change => _changes.Writer.TryWrite(change));
        return new CarrierHealthMonitor(registry, probe, _time, NullLogger<CarrierHealthMonitor>.Instance).RunAsync(_stop.Token);
    }

    private async Task StopAsync(Task run)
    {
        await _stop.CancelAsync();
        await run.WaitAsync(_hangGuard.Token);
    }

    private sealed class FakeProbe(Func<CarrierDefinition, CancellationToken, Task<bool>> behaviour) : ICarrierProbe
    {
        private readonly Channel<string> _calls = Channel.CreateUnbounded<string>();
        private int _callCount;

        public int CallCount => Volatile.Read(ref _callCount);

        public Task<bool> ProbeAsync(CarrierDefinition carrier, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _callCount);
            _calls.Writer.TryWrite(carrier.Name);
            return behaviour(carrier, cancellationToken);
        }

        public async Task<string> NextCallAsync(CancellationToken cancellationToken) => await _calls.Reader.ReadAsync(cancellationToken);
    }
}
