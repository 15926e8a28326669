using System.Net;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Auth;

namespace SipTrunk.Core.Tests.Auth;

public class AuthFailureTrackerTests
{
    private static readonly TimeSpan BanDuration = TimeSpan.FromSeconds(600);
    private static readonly IPAddress Attacker = IPAddress.Parse("198.51.100.7");

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void RecordFailure_NthFailure_StartsTheBanExactlyThen()
    {
        var tracker = new AuthFailureTracker(3, BanDuration, _time);

        Assert.False(tracker.RecordFailure(Attacker));
        Assert.False(tracker.RecordFailure(Attacker));
        Assert.False(tracker.IsRefused(Attacker));
        Assert.Equal(0, tracker.BannedCount);

        Assert.True(tracker.RecordFailure(Attacker));

        Assert.True(tracker.IsRefused(Attacker));
        Assert.Equal(1, tracker.BannedCount);
    }

    [Fact]
    public void RecordFailure_WhileBanned_DoesNotStartAnotherBan()
    {
        var tracker = new AuthFailureTracker(1, BanDuration, _time);
        Assert.True(tracker.RecordFailure(Attacker));

        Assert.False(tracker.RecordFailure(Attacker));
        Assert.Equal(1, tracker.BannedCount);
    }

    [Fact]
    public void IsRefused_AfterBanDuration_False()
    {
        var tracker = new AuthFailureTracker(2, BanDuration, _time);
        tracker.RecordFailure(Attacker);
        tracker.RecordFailure(Attacker);

        _time.Advance(BanDuration - TimeSpan.FromTicks(1));
        Assert.True(tracker.IsRefused(Attacker));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.False(tracker.IsRefused(Attacker));
        Assert.Equal(0, tracker.BannedCount);
    }

    [Fact]
    public void RecordFailure_FailuresWhileBannedDoNotExtendTheBan()
    {
        var tracker = new AuthFailureTracker(1, BanDuration, _time);
        tracker.RecordFailure(Attacker);
        _time.Advance(BanDuration / 2);
        tracker.RecordFailure(Attacker);

        _time.Advance(BanDuration / 2);

        Assert.False(tracker.IsRefused(Attacker));
    }

    [Fact]
    public void RecordFailure_AfterABanEnds_CountsFromZeroAgain()
    {
        var tracker = new AuthFailureTracker(2, BanDuration, _time);
        tracker.RecordFailure(Attacker);
        tracker.RecordFailure(Attacker);
        _time.Advance(BanDuration);

        Assert.False(tracker.RecordFailure(Attacker));
        Assert.True(tracker.RecordFailure(Attacker));
    }

    [Fact]
    public void RecordSuccess_ClearsTheCount()
    {
        var tracker = new AuthFailureTracker(3, BanDuration, _time);
        tracker.RecordFailure(Attacker);
        tracker.RecordFailure(Attacker);

        tracker.RecordSuccess(Attacker);

        Assert.False(tracker.RecordFailure(Attacker));
        Assert.False(tracker.RecordFailure(Attacker));
        Assert.True(tracker.RecordFailure(Attacker));
    }

    [Fact]
    public void RecordSuccess_WhileBanned_KeepsTheBan()
    {
        var tracker = new AuthFailureTracker(1, BanDuration, _time);
        tracker.RecordFailure(Attacker);

        tracker.RecordSuccess(Attacker);

        Assert.True(tracker.IsRefused(Attacker));
    }

    [Fact]
    public void RecordFailure_FailuresOlderThanTheWindow_NoLongerCount()
    {
        var tracker = new AuthFailureTracker(2, BanDuration, _time);
        tracker.RecordFailure(Attacker);
        _time.Advance(BanDuration);

        Assert.False(tracker.RecordFailure(Attacker));
        Assert.False(tracker.IsRefused(Attacker));
        Assert.True(tracker.RecordFailure(Attacker));
    }

    [Fact]
    public void RecordFailure_IPv4MappedIPv6_SharesTheIPv4AddressCount()
    {
        var tracker = new AuthFailureTracker(2, BanDuration, _time);

        tracker.RecordFailure(Attacker.MapToIPv6());
        Assert.True(tracker.RecordFailure(Attacker));

        Assert.True(tracker.IsRefused(Attacker.MapToIPv6()));
        Assert.True(tracker.IsRefused(Attacker));
    }

    [Fact]
    public void RecordFailure_OtherAddresses_AreCountedApart()
    {
        var tracker = new AuthFailureTracker(2, BanDuration, _time);
        tracker.RecordFailure(Attacker);

        Assert.False(tracker.RecordFailure(IPAddress.Parse("198.51.100.8")));
        Assert.False(tracker.RecordFailure(IPAddress.Parse("2001:db8::7")));
        Assert.False(tracker.IsRefused(IPAddress.Parse("198.51.100.8")));
    }

    [Fact]
    public void RecordFailure_OverTheAddressLimit_DropsUnbannedEntriesBeforeBans()
    {
        var tracker = new AuthFailureTracker(2, BanDuration, _time, maxTrackedAddresses: 10);
        tracker.RecordFailure(Attacker);
        tracker.RecordFailure(Attacker);

        for (var i = 1; i <= 50; i++)
        {
            tracker.RecordFailure(IPAddress.Parse($"203.0.113.{i}"));
            Assert.InRange(tracker.TrackedCount, 1, 10);
        }

        Assert.True(tracker.IsRefused(Attacker));
    }

    [Fact]
    public void RecordFailure_OverTheAddressLimitWithOnlyBans_DropsTheBanEndingSoonest()
    {
        var tracker = new AuthFailureTracker(1, BanDuration, _time, maxTrackedAddresses: 2);
        var first = IPAddress.Parse("203.0.113.1");
        var second = IPAddress.Parse("203.0.113.2");
        tracker.RecordFailure(first);
        _time.Advance(TimeSpan.FromSeconds(1));
        tracker.RecordFailure(second);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(tracker.RecordFailure(Attacker));

        Assert.False(tracker.IsRefused(first));
        Assert.True(tracker.IsRefused(second));
        Assert.True(tracker.IsRefused(Attacker));
        Assert.Equal(2, tracker.TrackedCount);
    }

    [Fact]
    public void Ban_DatagramsOnly_RefusesDatagramsButNotConnections()
    {
        var tracker = new AuthFailureTracker(3, BanDuration, _time);

        Assert.True(tracker.Ban(Attacker, datagramsOnly: true));

        Assert.True(tracker.IsDatagramRefused(Attacker));
        Assert.False(tracker.IsRefused(Attacker));
        Assert.False(tracker.Ban(Attacker, datagramsOnly: true));
    }

    [Fact]
    public void Ban_Everything_RefusesBothUntilTheBanEnds()
    {
        var tracker = new AuthFailureTracker(3, BanDuration, _time);
        Assert.True(tracker.Ban(Attacker, datagramsOnly: true));

        Assert.True(tracker.Ban(Attacker, datagramsOnly: false));
        Assert.True(tracker.IsRefused(Attacker));
        Assert.True(tracker.IsDatagramRefused(IPAddress.Parse("198.51.100.7").MapToIPv6()));

        _time.Advance(BanDuration);

        Assert.False(tracker.IsRefused(Attacker));
        Assert.False(tracker.IsDatagramRefused(Attacker));
    }
}
