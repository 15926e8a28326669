using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Core.Tests.Diagnostics;

public class KeyedLogThrottleTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryEnter_OncePerPeriod_ThenReportsTheLinesHeldBack()
    {
        var throttle = new KeyedLogThrottle(Period, _time);

        Assert.True(throttle.TryEnter("198.51.100.7", out var first));
        Assert.Equal(0, first);
        Assert.False(throttle.TryEnter("198.51.100.7", out _));
        Assert.False(throttle.TryEnter("198.51.100.7", out _));
        Assert.False(throttle.TryEnter("198.51.100.7", out _));

        _time.Advance(Period - TimeSpan.FromTicks(1));
        Assert.False(throttle.TryEnter("198.51.100.7", out _));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(throttle.TryEnter("198.51.100.7", out var held));
        Assert.Equal(4, held);
    }

    [Fact]
    public void TryEnter_AfterAQuietPeriod_ReportsNothingHeldBack()
    {
        var throttle = new KeyedLogThrottle(Period, _time);
        throttle.TryEnter("k", out _);
        _time.Advance(Period);

        Assert.True(throttle.TryEnter("k", out var held));
        Assert.Equal(0, held);
    }

    [Fact]
    public void TryEnter_Keys_AreThrottledApart()
    {
        var throttle = new KeyedLogThrottle(Period, _time);
        Assert.True(throttle.TryEnter("a", out _));

        Assert.True(throttle.TryEnter("b", out _));
        Assert.False(throttle.TryEnter("a", out _));
    }

    [Fact]
    public void TryEnter_MoreKeysThanTheLimit_NewKeysShareOneBudget()
    {
        var throttle = new KeyedLogThrottle(Period, _time, maxKeys: 3);
        Assert.True(throttle.TryEnter("a", out _));
        Assert.True(throttle.TryEnter("b", out _));
        Assert.True(throttle.TryEnter("c", out _));

        Assert.True(throttle.TryEnter("d", out _));
        Assert.False(throttle.TryEnter("e", out _));
        Assert.False(throttle.TryEnter("f", out _));
        Assert.Equal(3, throttle.Count);

        Assert.False(throttle.TryEnter("a", out _));
    }

    [Fact]
    public void TryEnter_FullTableAfterAPeriod_DropsQuietKeysToMakeRoom()
    {
        var throttle = new KeyedLogThrottle(Period, _time, maxKeys: 2);
        throttle.TryEnter("a", out _);
        throttle.TryEnter("b", out _);
        _time.Advance(Period);

        Assert.True(throttle.TryEnter("c", out _));
        Assert.False(throttle.TryEnter("c", out _));
        Assert.InRange(throttle.Count, 1, 2);
    }
}
