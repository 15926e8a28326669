using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Auth;

namespace SipTrunk.Core.Tests.Auth;

public class PeerCallLimiterTests
{
    private const string Peer = "pbx-1";

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryStartInboundCall_CountsTowardConcurrencyButLeavesTheRateBucketAlone()
    {
        var limiter = new PeerCallLimiter(_time);
        Assert.True(limiter.TryStartInboundCall(Peer, 2));
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 1, 2));

        // Concurrency is shared by both directions; the rate only limits what the peer sends.
        Assert.False(limiter.TryStartInboundCall(Peer, 2));
        limiter.EndCall(Peer);
        Assert.True(limiter.TryStartInboundCall(Peer, 2));
        limiter.EndCall(Peer);
        limiter.EndCall(Peer);
        Assert.True(limiter.TryStartInboundCall(Peer, 2));
        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 1, 2));
    }

    [Fact]
    public void TryStartCall_BurstOfOneSecondsWorth_ThenRateExceeded()
    {
        var limiter = new PeerCallLimiter(_time);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 5, 100));
        }

        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 5, 100));
        Assert.Equal(5, limiter.ActiveCalls(Peer));
    }

    [Fact]
    public void TryStartCall_TokensRefillAtTheRate()
    {
        var limiter = new PeerCallLimiter(_time);
        for (var i = 0; i < 5; i++)
        {
            limiter.TryStartCall(Peer, 5, 100);
        }

        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 5, 100));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 5, 100));
        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 5, 100));
    }

    [Fact]
    public void TryStartCall_LongIdle_RefillsOnlyToCapacity()
    {
        var limiter = new PeerCallLimiter(_time);
        limiter.TryStartCall(Peer, 2, 100);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 2, 100));
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 2, 100));
        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 2, 100));
    }

    [Fact]
    public void TryStartCall_AtMaxConcurrent_ConcurrencyExceededUntilACallEnds()
    {
        var limiter = new PeerCallLimiter(_time);
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 10, 2));
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 10, 2));

        Assert.Equal(CallAdmission.ConcurrencyExceeded, limiter.TryStartCall(Peer, 10, 2));
        limiter.EndCall(Peer);

        Assert.Equal(1, limiter.ActiveCalls(Peer));
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 10, 2));
    }

    [Fact]
    public void TryStartCall_RefusedCalls_ConsumeNothing()
    {
        var limiter = new PeerCallLimiter(_time);
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 2, 1));

        // Refused for concurrency: no token spent, not counted active.
        Assert.Equal(CallAdmission.ConcurrencyExceeded, limiter.TryStartCall(Peer, 2, 1));
        Assert.Equal(CallAdmission.ConcurrencyExceeded, limiter.TryStartCall(Peer, 2, 1));
        Assert.Equal(1, limiter.ActiveCalls(Peer));
        limiter.EndCall(Peer);

        // One token left of two; then refused for rate, still not counted active.
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 2, 5));
        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 2, 5));
        Assert.Equal(1, limiter.ActiveCalls(Peer));
    }

    [Fact]
    public void EndCall_MoreThanStarted_NeverBelowZero()
    {
        var limiter = new PeerCallLimiter(_time);
        limiter.TryStartCall(Peer, 10, 1);

        limiter.EndCall(Peer);
        limiter.EndCall(Peer);
        limiter.EndCall("unknown-peer");

        Assert.Equal(0, limiter.ActiveCalls(Peer));
        Assert.Equal(0, limiter.ActiveCalls("unknown-peer"));
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 10, 1));
        Assert.Equal(CallAdmission.ConcurrencyExceeded, limiter.TryStartCall(Peer, 10, 1));
    }

    [Fact]
    public void TryStartCall_Peers_AreLimitedApart()
    {
        var limiter = new PeerCallLimiter(_time);
        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall(Peer, 1, 10));
        Assert.Equal(CallAdmission.RateExceeded, limiter.TryStartCall(Peer, 1, 10));

        Assert.Equal(CallAdmission.Admitted, limiter.TryStartCall("pbx-2", 1, 10));
    }

    [Fact]
    public async Task TryStartCall_ManyThreads_AdmitExactlyTheConcurrencyLimit()
    {
        var limiter = new PeerCallLimiter(_time);
        var admitted = 0;
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (limiter.TryStartCall(Peer, 100_000, 500) == CallAdmission.Admitted)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        }));

        await Task.WhenAll(tasks);

        Assert.Equal(500, admitted);
        Assert.Equal(500, limiter.ActiveCalls(Peer));
    }
}
