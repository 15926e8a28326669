using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Tests.Transport;

public sealed class SourceRateLimiterTests
{
    private static readonly SourceKey Scanner = SourceKey.From(IPAddress.Parse("192.0.2.7"));
    private static readonly SourceKey Peer = SourceKey.From(IPAddress.Parse("192.0.2.8"));
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Check_BurstThenOverRate_AdmitsBurstAnswersOnceThenDrops()
    {
        var limiter = new SourceRateLimiter(new RequestRateLimit(10, 5), _time);

        var decisions = Enumerable.Range(0, 8).Select(_ => limiter.Check(Scanner)).ToList();

        Assert.Equal([RateDecision.Admit, RateDecision.Admit, RateDecision.Admit, RateDecision.Admit, RateDecision.Admit, RateDecision.Answer, RateDecision.Drop, RateDecision.Drop], decisions);
        Assert.Equal(RateDecision.Admit, limiter.Check(Peer));
    }

    [Fact]
    public void Check_AfterRefillTime_AdmitsAtTheRate()
    {
        var limiter = new SourceRateLimiter(new RequestRateLimit(10, 1), _time);
        Assert.Equal(RateDecision.Admit, limiter.Check(Scanner));
        Assert.NotEqual(RateDecision.Admit, limiter.Check(Scanner));

        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(RateDecision.Admit, limiter.Check(Scanner));
    }

    [Fact]
    public void Check_RefusedMoreThanBurstInOneStreak_Bans()
    {
        var limiter = new SourceRateLimiter(new RequestRateLimit(1, 3), _time);
        for (var i = 0; i < 3; i++)
        {
            limiter.Check(Scanner);
        }

        var refusals = Enumerable.Range(0, 4).Select(_ => limiter.Check(Scanner)).ToList();

        Assert.Equal([RateDecision.Answer, RateDecision.Drop, RateDecision.Drop, RateDecision.Ban], refusals);
    }

    [Fact]
    public void Check_RefusalsSecondsApart_NeverBan()
    {
        // A peer that bursts now and then is refused the excess, never banned: a quiet second ends the streak.
        var limiter = new SourceRateLimiter(new RequestRateLimit(1, 2), _time);
        var decisions = new List<RateDecision>();
        for (var round = 0; round < 5; round++)
        {
            // Each round: what the refilled bucket holds is admitted, then two refusals (never more than the burst).
            for (var i = 0; i < 3; i++)
            {
                decisions.Add(limiter.Check(Scanner));
            }

            _time.Advance(TimeSpan.FromSeconds(1.5));
        }

        Assert.DoesNotContain(RateDecision.Ban, decisions);
        Assert.Contains(RateDecision.Answer, decisions);
    }

    [Fact]
    public void Check_ManySourcesBeyondTheTable_StaysBoundedAndForgetsIdleOnes()
    {
        var limiter = new SourceRateLimiter(new RequestRateLimit(10, 10), _time, maxSources: 100);
        for (var i = 0; i < 1000; i++)
        {
            limiter.Check(SourceKey.From(new IPAddress(0x0A000000u + (uint)i)));
        }

        Assert.True(limiter.Count <= 100);

        _time.Advance(TimeSpan.FromSeconds(2));
        limiter.Check(Peer);

        // The refilled entries were dropped to make room, so the new source has its own bucket.
        Assert.True(limiter.Count <= 2, $"{limiter.Count} tracked");
    }

    [Fact]
    public void From_SocketAddressAndIPAddress_SameKeyForIPv4AndItsMappedForm()
    {
        var ipv4 = IPAddress.Parse("198.51.100.20");
        var v4Socket = new IPEndPoint(ipv4, 5060).Serialize();
        var v6Socket = new IPEndPoint(ipv4.MapToIPv6(), 5060).Serialize();

        Assert.Equal(SourceKey.From(ipv4), SourceKey.From(v4Socket));
        Assert.Equal(SourceKey.From(ipv4), SourceKey.From(v6Socket));
        Assert.Equal(ipv4, SourceKey.From(v6Socket).ToAddress());
        var ipv6 = IPAddress.Parse("2001:db8::5");
        Assert.Equal(ipv6, SourceKey.From(new IPEndPoint(ipv6, 1).Serialize()).ToAddress());
        Assert.Equal(AddressFamily.InterNetworkV6, v6Socket.Family);
    }
}
