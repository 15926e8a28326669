using SipTrunk.Core.Proxy;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class CarrierOptionsProbeTests
{
    [Fact]
    public async Task ProbeAsync_AnyResponse_Alive()
    {
        var carrier = ProxyTestData.Carrier("carrier-a", 5081);
        using var harness = new ProxyHarness([carrier]);

        var probe = new CarrierOptionsProbe(harness.Proxy).ProbeAsync(carrier, CancellationToken.None);
        var options = Assert.Single(harness.ReceivedBy("carrier-a", SipMethod.Options));
        Assert.Equal("sips:127.0.0.1:5081", options.RequestUriText);
        harness.CarrierResponds("carrier-a", 404, SipMethod.Options);

        Assert.True(await probe);
    }

    [Fact]
    public async Task ProbeAsync_NoResponseWithinTimeout_NotAlive()
    {
        var carrier = ProxyTestData.Carrier("carrier-a", 5081);
        using var harness = new ProxyHarness([carrier]);

        var probe = new CarrierOptionsProbe(harness.Proxy).ProbeAsync(carrier, CancellationToken.None);
        harness.Time.Advance(ProxyTestData.Settings.ProbeTimeout);

        Assert.False(await probe);
    }

    [Fact]
    public async Task ProbeAsync_Unreachable_NotAlive()
    {
        var carrier = ProxyTestData.Carrier("carrier-a", 5081);
        using var harness = new ProxyHarness([carrier]);
        harness.Unreachable.Add("carrier-a");

        Assert.False(await new CarrierOptionsProbe(harness.Proxy).ProbeAsync(carrier, CancellationToken.None));
    }
}
