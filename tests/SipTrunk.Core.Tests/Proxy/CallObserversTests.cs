using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class CallObserversTests
{
    [Fact]
    public void OnCallAnswered_SeveralObservers_ReachesEach()
    {
        var first = new CallCounters();
        var second = new CallCounters();
        ICallObserver observers = new CallObservers(first, second);
        observers.OnCallStarted("c1", "outbound", "pbx-a");

        observers.OnCallAnswered("c1", "outbound", "carrier-1");

        Assert.Equal("carrier-1", Assert.Single(first.ActiveCalls()).Carrier);
        Assert.Equal("carrier-1", Assert.Single(second.ActiveCalls()).Carrier);
    }
}
