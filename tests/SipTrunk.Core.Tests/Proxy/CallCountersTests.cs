using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class CallCountersTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void OnCallStarted_ThenAnswered_ActiveCallCarriesCarrierAndTimes()
    {
        var time = new FakeTimeProvider(Start);
        var counters = new CallCounters(time);

        counters.OnCallStarted("c1@pbx", "outbound", "pbx-a");
        time.Advance(TimeSpan.FromSeconds(3));
        counters.OnCallAnswered("c1@pbx", "outbound", "carrier-1");

        var call = Assert.Single(counters.ActiveCalls());
        Assert.Equal(new ActiveCall("c1@pbx", "outbound", "pbx-a", "carrier-1", Start, Start.AddSeconds(3)), call);
        Assert.Equal(1, counters.Active);
    }

    [Fact]
    public void OnCallEnded_RemovesTheCallAndCountsItByDirectionAndStatus()
    {
        var counters = new CallCounters(new FakeTimeProvider(Start));
        counters.OnCallStarted("c1", "outbound", "pbx-a");
        counters.OnCallStarted("c2", "inbound", "pbx-a");

        counters.OnCallEnded(new CallSummary { CallId = "c1", Direction = "outbound", Status = "busy" });

        Assert.Equal("c2", Assert.Single(counters.ActiveCalls()).CallId);
        Assert.Equal(1, counters.Ended("outbound", "busy"));
        Assert.Equal([new KeyValuePair<(string, string), long>(("outbound", "busy"), 1)], counters.EndedSnapshot());
    }

    [Fact]
    public void ActiveCalls_SameCallIdBothDirections_KeepsTwoCalls()
    {
        var time = new FakeTimeProvider(Start);
        var counters = new CallCounters(time);
        counters.OnCallStarted("loop", "outbound", "pbx-a");
        time.Advance(TimeSpan.FromMilliseconds(5));
        counters.OnCallStarted("loop", "inbound", "pbx-b");

        counters.OnCallEnded(new CallSummary { CallId = "loop", Direction = "inbound", Status = "failed" });

        Assert.Equal(["outbound"], counters.ActiveCalls().Select(c => c.Direction));
    }

    [Fact]
    public void OnCallAnswered_UnknownCall_IsIgnored()
    {
        var counters = new CallCounters(new FakeTimeProvider(Start));

        counters.OnCallAnswered("gone", "outbound", "carrier-1");

        Assert.Empty(counters.ActiveCalls());
    }
}
